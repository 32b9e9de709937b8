// JSON lines for history and events.
#include "recorder.hpp"

#include <cassert>
#include <cerrno>

#include "common/write_file.hpp"

namespace failsim::sim {

using nlohmann::json;

json op_to_json(const model::Change& c) {
  json op{{"f", model::to_string(c.type)}};
  switch (c.type) {
    case model::OpType::create:
    case model::OpType::mkdir: op["path"] = c.path; op["mode"] = c.mode; break;
    case model::OpType::write: op["path"] = c.path; op["offset"] = c.offset; op["data"] = c.data; break;
    case model::OpType::append: op["path"] = c.path; op["data"] = c.data; break;
    case model::OpType::truncate: op["path"] = c.path; op["size"] = c.size; break;
    case model::OpType::rename: op["from"] = c.path; op["to"] = c.to; break;
    case model::OpType::unlink:
    case model::OpType::rmdir: op["path"] = c.path; break;
    case model::OpType::setattr: op["path"] = c.path; op["mode"] = c.mode; break;
  }
  return op;
}

Recorder::Recorder(const std::string& dir)
    : history_path_(dir + "/history.jsonl"),
      events_path_(dir + "/events.jsonl"),
      history_(history_path_, std::ios::binary),
      events_(events_path_, std::ios::binary) {}

void Recorder::invoke(double t, model::ClientId client, model::Xid xid, const std::string& aggregate,
                      const model::Change& c) {
  ++issued_;
  history_ << json{{"time_s", t}, {"client", client}, {"xid", xid}, {"type", "invoke"}, {"aggregate", aggregate},
                   {"op", op_to_json(c)}}
                  .dump()
           << '\n';
  after_write();
}

void Recorder::complete(double t, model::ClientId client, model::Xid xid, model::Result result, double latency_s,
                        model::OpType) {
  ++answered_;
  latencies_s_.push_back(latency_s);
  history_ << json{{"time_s", t}, {"client", client}, {"xid", xid}, {"type", "ok"}, {"result", model::to_string(result)}}
                  .dump()
           << '\n';
  after_write();
}

void Recorder::give_up(double t, model::ClientId client, model::Xid xid) {
  ++unknown_;
  history_ << json{{"time_s", t}, {"client", client}, {"xid", xid}, {"type", "info"}}.dump() << '\n';
  after_write();
}

void Recorder::event(double t, const std::string& node, const std::string& kind, json fields) {
  json e{{"time_s", t}, {"node", node}, {"kind", kind}};
  if (fields.is_object())
    for (auto& [k, v] : fields.items()) {
      assert(k != "time_s" && k != "node" && k != "kind" && "event fields must not replace the event's own");
      e[k] = v;
    }
  events_ << e.dump() << '\n';
  after_write();
}

void Recorder::after_write() {
  if (write_errno_ == 0 && (!history_ || !events_)) write_errno_ = errno != 0 ? errno : EIO;
}

void Recorder::flush() {
  finish_write(history_, history_path_, write_errno_);
  finish_write(events_, events_path_, write_errno_);
}

}  // namespace failsim::sim
