// Reading a run folder's history.jsonl: per client, each change it invoked
// and how it ended (a result, or unknown when the client gave up).
//
// The file is streamed, a line at a time, into compact records (80 bytes a
// change; paths and aggregate names kept once in a string table, data in
// one byte arena per client), so that a history of 10^7 events fits in a
// few hundred MiB and each part can be judged and freed in turn. The
// ClientOp form (a model::Change per op) remains for small histories made
// by hand in tests.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "checker/reference_fs.hpp"
#include "model/change.hpp"
#include "model/result.hpp"
#include "runfolder/format_error.hpp"

namespace failsim::checker {

// A run folder that cannot be read or breaks the format (runfolder/).
using HistoryError = runfolder::FormatError;

struct ClientOp {
  model::Change change;
  std::string aggregate;
  double invoked_s = 0;
  std::optional<double> completed_s;
  std::optional<model::Result> result;  // none: outcome unknown
};

// Strings that repeat across a history (paths, aggregate names), each kept
// once. Id 0 is "".
class StringTable {
 public:
  StringTable();
  StringTable(const StringTable&) = delete;  // the index holds views into the strings
  StringTable& operator=(const StringTable&) = delete;
  std::uint32_t id(std::string_view s);
  std::string_view operator[](std::uint32_t id) const { return strings_[id]; }

 private:
  std::deque<std::string> strings_;  // a deque: growing never moves a string
  std::unordered_map<std::string_view, std::uint32_t> ids_;
};

// One change, compact.
struct OpRecord {
  double invoked_s = 0;
  double completed_s = 0;  // when `completed`
  model::Xid xid = 0;
  std::uint64_t offset = 0, size = 0;
  std::uint64_t data_at = 0;  // in its OpList's data
  std::uint32_t data_len = 0;
  model::ClientId client = 0;
  std::uint32_t mode = 0;
  std::uint32_t path = 0, to = 0, aggregate = 0;  // in the history's StringTable
  model::OpType type = model::OpType::create;
  bool completed = false;   // a completion line was seen
  bool has_result = false;  // ... and it gave a result ("ok")
  model::Result result = model::Result::ok;
};

// Changes with the bytes of their data.
struct OpList {
  std::vector<OpRecord> ops;
  std::string data;
  void add_data(OpRecord& op, std::string_view bytes) {
    op.data_at = data.size();
    op.data_len = static_cast<std::uint32_t>(bytes.size());
    data.append(bytes);
  }
  std::string_view data_of(const OpRecord& op) const { return std::string_view(data).substr(op.data_at, op.data_len); }
  // Appends a copy of `op` of `from`, with its data.
  void add_copy(const OpList& from, const OpRecord& op) {
    OpRecord copy = op;
    add_data(copy, from.data_of(op));
    ops.push_back(copy);
  }
  void release() {  // frees the memory, not just the contents
    std::vector<OpRecord>().swap(ops);
    std::string().swap(data);
  }
};

struct History {
  StringTable strings;
  std::map<model::ClientId, OpList> clients;  // each client's changes, in invocation order

  ChangeRef change(const OpList& list, const OpRecord& op) const {
    return {op.type, strings[op.path], strings[op.to], list.data_of(op), op.offset, op.size, op.mode};
  }
};

// "client 3 xid 17 (append /c3/f1, invoked at 1.25 s)".
std::string describe(const History& h, const OpRecord& op);
std::string describe(const ClientOp& op);

// Streams history.jsonl into `out` (empty). The file must be a regular
// file within the caps of runfolder/line_reader.hpp; every line is checked
// (runfolder/history_line.hpp), lines are in time order from 0, and a
// client's xid is invoked once and completed at most once, after its
// invocation. Throws HistoryError naming the file, the line and the field.
void read_history_into(const std::string& path, History& out);

// The same, as ClientOps: per client, in invocation order.
std::map<model::ClientId, std::vector<ClientOp>> read_history(const std::string& path);

// ClientOps (in the order given per client) as a History.
void to_history(const std::map<model::ClientId, std::vector<ClientOp>>& ops, History& out);

}  // namespace failsim::checker
