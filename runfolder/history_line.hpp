// One line of history.jsonl, parsed. The simulator writes every line in one
// canonical form, which a hand-written scanner reads without building a
// JSON document (10^7 lines in seconds). Any line it does not recognise -
// other spacing or key order is fine, but escapes, non-ASCII text, unknown
// keys, unusual numbers, missing or mistyped fields are not - goes through
// nlohmann::json (the reference path below), so the result, or
// the error, is the same for every line.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "runfolder/json_text.hpp"
#include "model/change.hpp"
#include "model/result.hpp"

namespace failsim::runfolder {

struct HistoryLine {
  enum class Kind : std::uint8_t { invoke, ok, other };  // other: a completion with unknown outcome ("info")
  Kind kind = Kind::other;
  model::ClientId client = 0;
  model::Xid xid = 0;
  double time_s = 0;
  // An invocation: the aggregate and the change (views into the line, or
  // into `owned` for a line read through nlohmann::json).
  std::string_view aggregate;
  model::OpType type = model::OpType::create;
  std::string_view path, to, data;  // rename: path is "from"
  std::uint64_t offset = 0, size = 0;
  std::uint32_t mode = 0;
  // An "ok" completion.
  model::Result result = model::Result::ok;
  std::string owned[4];

  HistoryLine() = default;
  HistoryLine(const HistoryLine&) = delete;  // the views may point into `owned`
  HistoryLine& operator=(const HistoryLine&) = delete;
};

// The fast path: true when `line` is in the canonical form and `out` now
// holds it; false (and `out` unspecified) for any other line.
bool scan_history_line(std::string_view line, HistoryLine& out);

// The reference path, through nlohmann::json: every field checked for its
// type, integers for their range (no silent conversion), `type` and `result`
// for known values; `invoked(client, xid)` says whether a completion has its
// invocation. Throws FormatError naming the field, or nlohmann::json's
// parse_error for text that is not JSON.
void parse_history_line(std::string_view line, const std::function<bool(model::ClientId, model::Xid)>& invoked,
                        HistoryLine& out);

// The names of an op type and a result, as history lines write them.
std::string op_name(model::OpType type);
std::string result_name(model::Result result);

}  // namespace failsim::runfolder
