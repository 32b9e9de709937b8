// JSON lines for history and events.
#include "recorder.hpp"

#include <cerrno>

#include "common/write_file.hpp"
#include "runfolder/event_writer.hpp"
#include "runfolder/serving_timeline.hpp"
#include "sim/run/json_line.hpp"

namespace failsim::sim {

using nlohmann::json;

namespace {
constexpr std::size_t buffer_bytes = 1 << 16;
}

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
      events_(events_path_, std::ios::binary) {
  history_buffer_.reserve(buffer_bytes + 4096);
}

void Recorder::line_done(std::string& buffer, std::ofstream& file) {
  buffer += '\n';
  if (buffer.size() >= buffer_bytes) write_out(buffer, file);
}

void Recorder::write_out(std::string& buffer, std::ofstream& file) {
  file.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  if (!file && write_errno_ == 0) write_errno_ = errno != 0 ? errno : EIO;
  buffer.clear();
}

void Recorder::invoke(double t, model::ClientId client, model::Xid xid, const std::string& aggregate,
                      const model::Change& c) {
  ++issued_;
  if (acks_of_client_.size() <= client) acks_of_client_.resize(client + 1, nullptr);
  if (!acks_of_client_[client]) {
    AggregateAcks& a = acks_by_aggregate_[aggregate];
    if (a.first_invoke_s < 0) a.first_invoke_s = t;
    acks_of_client_[client] = &a;
  }
  ++acks_of_client_[client]->unanswered;
  json_line::append_invoke(history_buffer_, t, client, xid, aggregate, c);
  line_done(history_buffer_, history_);
}

void Recorder::complete(double t, model::ClientId client, model::Xid xid, model::Result result, double latency_s,
                        model::OpType) {
  ++answered_;
  last_completion_s_ = t;
  latencies_s_.push_back(latency_s);
  if (client < acks_of_client_.size() && acks_of_client_[client]) {
    acks_of_client_[client]->acks_s.push_back(t);
    --acks_of_client_[client]->unanswered;
  }
  json_line::append_ok(history_buffer_, t, client, xid, result);
  line_done(history_buffer_, history_);
}

void Recorder::give_up(double t, model::ClientId client, model::Xid xid, Unknown why) {
  ++unknown_;
  if (why == Unknown::gave_up && client < acks_of_client_.size() && acks_of_client_[client])
    --acks_of_client_[client]->unanswered;
  last_completion_s_ = t;
  json_line::append_info(history_buffer_, t, client, xid);
  line_done(history_buffer_, history_);
}

void Recorder::event(double t, const std::string& node, runfolder::EventKind kind, json fields) {
  if (runfolder::ServingTimeline::concerns(kind)) {
    // Decoded as a reader of events.jsonl would: the same typed event.
    json line = fields;
    line["time_s"] = t;
    line["node"] = node;
    line["kind"] = std::string(runfolder::to_string(kind));
    serving_events_.push_back(runfolder::decode_event(line));
  }
  runfolder::append_event_line(events_buffer_, t, node, kind, std::move(fields));
  line_done(events_buffer_, events_);
}

void Recorder::event_text(std::string_view line) {
  events_buffer_ += line;
  line_done(events_buffer_, events_);
}

void Recorder::flush() {
  write_out(history_buffer_, history_);
  write_out(events_buffer_, events_);
  finish_write(history_, history_path_, write_errno_);
  finish_write(events_, events_path_, write_errno_);
}

std::map<std::string, runfolder::AckGap> Recorder::ack_gaps(double end_s) const {
  std::map<std::string, runfolder::AckGap> out;
  for (const auto& [aggregate, a] : acks_by_aggregate_)
    out[aggregate] = runfolder::longest_ack_gap(a.first_invoke_s, a.acks_s,
                                                a.unanswered > 0 ? std::optional<double>(end_s) : std::nullopt);
  return out;
}

}  // namespace failsim::sim
