// history.jsonl streaming, the compact records, and the ClientOp form.
#include "history.hpp"

#include <algorithm>
#include <memory>

#include "runfolder/history_line.hpp"
#include "runfolder/line_reader.hpp"

namespace failsim::checker {

using runfolder::clip;
using runfolder::HistoryLine;
using runfolder::LineReader;
using runfolder::LineReaderError;
using runfolder::parse_history_line;
using runfolder::scan_history_line;

StringTable::StringTable() {
  strings_.emplace_back();
  ids_.emplace(strings_.back(), 0);
}

std::uint32_t StringTable::id(std::string_view s) {
  auto it = ids_.find(s);
  if (it != ids_.end()) return it->second;
  strings_.emplace_back(s);
  const auto id = static_cast<std::uint32_t>(strings_.size() - 1);
  ids_.emplace(strings_.back(), id);
  return id;
}

std::string describe(const History& h, const OpRecord& op) {
  std::string s = "client " + std::to_string(op.client) + " xid " + std::to_string(op.xid) + " (" +
                  std::string(model::to_string(op.type)) + " " + std::string(h.strings[op.path]);
  if (op.type == model::OpType::rename) s += " -> " + std::string(h.strings[op.to]);
  return s + ", invoked at " + std::to_string(op.invoked_s) + " s)";
}

std::string describe(const ClientOp& op) {
  std::string s = "client " + std::to_string(op.change.client) + " xid " + std::to_string(op.change.xid) + " (" +
                  std::string(model::to_string(op.change.type)) + " " + op.change.path;
  if (op.change.type == model::OpType::rename) s += " -> " + op.change.to;
  return s + ", invoked at " + std::to_string(op.invoked_s) + " s)";
}

namespace {

// Where each (client, xid)'s latest invocation is, while reading. A client
// invokes its xids in increasing order (1, 2, 3..., or any rising sequence
// in a shared stream): then its own changes, in invocation order, are the
// index - a completion is found near the end, or by binary search - and
// nothing more is kept. Only a client whose xids go back (a re-invocation)
// gets a map, from then on.
class XidIndex {
 public:
  void add(const std::vector<OpRecord>& ops) {  // ops.back() was just invoked
    const std::size_t at = ops.size() - 1;
    if (!map_ && at > 0 && ops[at].xid <= ops[at - 1].xid) {
      map_ = std::make_unique<std::unordered_map<model::Xid, std::uint32_t>>();
      for (std::size_t i = 0; i < at; ++i) (*map_)[ops[i].xid] = static_cast<std::uint32_t>(i);
    }
    if (map_) (*map_)[ops[at].xid] = static_cast<std::uint32_t>(at);
  }
  bool rising() const { return !map_; }  // every xid so far above the one before
  // The index of the latest invocation of `xid`, or -1.
  std::int64_t find(const std::vector<OpRecord>& ops, model::Xid xid) const {
    if (map_) {
      auto it = map_->find(xid);
      return it == map_->end() ? std::int64_t{-1} : std::int64_t{it->second};
    }
    // Completions come soon after their invocation: look at the last few first.
    const std::size_t n = ops.size();
    for (std::size_t k = n; k > 0 && k + 64 > n; --k)
      if (ops[k - 1].xid == xid) return static_cast<std::int64_t>(k - 1);
    auto it = std::lower_bound(ops.begin(), ops.end(), xid, [](const OpRecord& o, model::Xid x) { return o.xid < x; });
    return it != ops.end() && it->xid == xid ? it - ops.begin() : std::int64_t{-1};
  }

 private:
  std::unique_ptr<std::unordered_map<model::Xid, std::uint32_t>> map_;  // once xids stop rising
};

// Each client's op list and xid index, found by a plain array for the small
// ids clients have, by a map beyond.
class ClientSlots {
 public:
  struct Slot {
    OpList* list = nullptr;
    XidIndex index;
  };
  explicit ClientSlots(History& h) : h_(h) {}
  Slot* find(model::ClientId c) {
    if (c < dense_.size()) return dense_[c].get();
    auto it = sparse_.find(c);
    return it == sparse_.end() ? nullptr : it->second.get();
  }
  Slot& get(model::ClientId c) {
    if (Slot* s = find(c)) return *s;
    auto slot = std::make_unique<Slot>();
    slot->list = &h_.clients[c];
    Slot& ref = *slot;
    if (c < 4096) {
      if (c >= dense_.size()) dense_.resize(c + 1);
      dense_[c] = std::move(slot);
    } else {
      sparse_[c] = std::move(slot);
    }
    return ref;
  }

 private:
  History& h_;
  std::vector<std::unique_ptr<Slot>> dense_;
  std::map<model::ClientId, std::unique_ptr<Slot>> sparse_;
};

}  // namespace

void read_history_into(const std::string& path, History& out) {
  std::unique_ptr<LineReader> reader;
  try {
    reader = std::make_unique<LineReader>(path);
  } catch (const LineReaderError& e) {
    throw HistoryError(e.what());  // names the file and why: missing, a directory, too big, ...
  }
  ClientSlots clients(out);
  double last_s = 0;  // lines are in time order, from 0
  auto invoked = [&](model::ClientId client, model::Xid xid) {
    ClientSlots::Slot* slot = clients.find(client);
    return slot && slot->index.find(slot->list->ops, xid) >= 0;
  };
  HistoryLine line;
  std::string_view text;
  for (;;) {
    try {
      if (!reader->next(text)) break;
    } catch (const LineReaderError& e) {
      throw HistoryError(e.what());
    }
    try {
      if (!scan_history_line(text, line)) parse_history_line(text, invoked, line);
      // One comparison a line: also false for NaN. Infinity cannot be
      // written in JSON, and the parser refuses numbers beyond a double.
      // After the reference path's own checks, so both paths fail alike.
      auto in_time_order = [&] {
        if (!(line.time_s >= last_s))
          throw HistoryError("time_s: " + std::to_string(line.time_s) + " is before the previous line's " +
                             std::to_string(last_s) + " (expected time order, from 0)");
        last_s = line.time_s;
      };
      if (line.kind == HistoryLine::Kind::invoke) {
        in_time_order();
        ClientSlots::Slot& slot = clients.get(line.client);
        OpList& list = *slot.list;
        // A retransmission is not a new invocation: an xid is invoked once.
        // Rising xids (the simulator's) are new at the cost of one comparison.
        if (!list.ops.empty() && (!slot.index.rising() || line.xid <= list.ops.back().xid) &&
            slot.index.find(list.ops, line.xid) >= 0)
          throw HistoryError("client " + std::to_string(line.client) + " invokes xid " + std::to_string(line.xid) +
                             " twice");
        OpRecord op;
        op.invoked_s = line.time_s;
        op.xid = line.xid;
        op.offset = line.offset;
        op.size = line.size;
        op.client = line.client;
        op.mode = line.mode;
        op.path = out.strings.id(line.path);
        op.to = out.strings.id(line.to);
        op.aggregate = out.strings.id(line.aggregate);
        op.type = line.type;
        list.add_data(op, line.data);
        list.ops.push_back(op);
        slot.index.add(list.ops);
        continue;
      }
      ClientSlots::Slot* slot = clients.find(line.client);
      const std::int64_t at = slot ? slot->index.find(slot->list->ops, line.xid) : -1;
      if (at < 0) throw HistoryError("completion of an op never invoked");
      in_time_order();
      OpRecord& op = slot->list->ops[static_cast<std::size_t>(at)];
      if (op.completed)
        throw HistoryError("client " + std::to_string(line.client) + " xid " + std::to_string(line.xid) +
                           " completed twice (first at " + std::to_string(op.completed_s) + " s)");
      op.completed = true;
      op.completed_s = line.time_s;
      if (line.kind == HistoryLine::Kind::ok) {
        op.has_result = true;
        op.result = line.result;
      }
    } catch (const std::exception& err) {
      // Clipped: nlohmann::json quotes the token it stopped at, which may be
      // the whole of a huge line.
      throw HistoryError(path + ":" + std::to_string(reader->line_number()) + ": " + clip(err.what(), 300));
    }
  }
}

std::map<model::ClientId, std::vector<ClientOp>> read_history(const std::string& path) {
  History h;
  read_history_into(path, h);
  std::map<model::ClientId, std::vector<ClientOp>> out;
  for (const auto& [client, list] : h.clients) {
    auto& ops = out[client];
    for (const OpRecord& r : list.ops) {
      ClientOp o;
      o.change.type = r.type;
      o.change.client = r.client;
      o.change.xid = r.xid;
      o.change.path = h.strings[r.path];
      o.change.to = h.strings[r.to];
      o.change.offset = r.offset;
      o.change.size = r.size;
      o.change.mode = r.mode;
      o.change.data = list.data_of(r);
      o.aggregate = h.strings[r.aggregate];
      o.invoked_s = r.invoked_s;
      if (r.completed) o.completed_s = r.completed_s;
      if (r.has_result) o.result = r.result;
      ops.push_back(std::move(o));
    }
  }
  return out;
}

void to_history(const std::map<model::ClientId, std::vector<ClientOp>>& ops, History& out) {
  for (const auto& [client, list] : ops) {
    OpList& dest = out.clients[client];
    for (const ClientOp& o : list) {
      OpRecord r;
      r.invoked_s = o.invoked_s;
      r.completed = o.completed_s.has_value();
      r.completed_s = o.completed_s.value_or(0);
      r.has_result = o.result.has_value();
      r.result = o.result.value_or(model::Result::ok);
      r.xid = o.change.xid;
      r.offset = o.change.offset;
      r.size = o.change.size;
      r.client = o.change.client;
      r.mode = o.change.mode;
      r.path = out.strings.id(o.change.path);
      r.to = out.strings.id(o.change.to);
      r.aggregate = out.strings.id(o.aggregate);
      r.type = o.change.type;
      dest.add_data(r, o.change.data);
      dest.ops.push_back(r);
    }
  }
}

}  // namespace failsim::checker
