// Everything a run writes as it goes: history.jsonl (client events) and
// events.jsonl (node events), streamed to the run folder so that a long run
// never holds its history in memory; plus the figures summary.json needs.
// History lines are written as text directly (sim/run/json_line.hpp), the
// same bytes nlohmann::json would give, through a buffer of our own.
#pragma once

#include <cstdint>
#include <exception>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/change.hpp"
#include "model/result.hpp"
#include "runfolder/ack_gap.hpp"
#include "runfolder/event.hpp"
#include "runfolder/event_kind.hpp"

namespace failsim::sim {

nlohmann::json op_to_json(const model::Change& c);

class Recorder {
 public:
  explicit Recorder(const std::string& dir);
  // What a run that ends early wrote so far is kept. A failed write is
  // reported by the run's own flush(), never from here.
  ~Recorder() {
    try {
      flush();
    } catch (const std::exception&) {
    }
  }
  Recorder(const Recorder&) = delete;
  Recorder& operator=(const Recorder&) = delete;

  void invoke(double time_s, model::ClientId client, model::Xid xid, const std::string& aggregate,
              const model::Change& c);
  void complete(double time_s, model::ClientId client, model::Xid xid, model::Result result, double latency_s,
                model::OpType type);
  // A change whose outcome is unknown: its client gave up retrying, or the
  // run ended while it still waited for its answer.
  enum class Unknown { gave_up, waiting_at_end };
  void give_up(double time_s, model::ClientId client, model::Xid xid, Unknown why = Unknown::gave_up);
  void retransmit() { ++retransmissions_; }
  // One events.jsonl line, through the run folder's writer.
  void event(double time_s, const std::string& node, runfolder::EventKind kind, nlohmann::json fields = {});
  // An event line already written as text (json_line), without its newline.
  void event_text(std::string_view line);

  struct Stats {
    std::uint64_t issued = 0, answered = 0, unknown = 0, retransmissions = 0;
    std::vector<double> latencies_s;  // per answered op
  };
  Stats stats() const { return {issued_, answered_, unknown_, retransmissions_, latencies_s_}; }
  // When the last change was answered or given up: the workload's end.
  double last_completion_s() const { return last_completion_s_; }
  // Per aggregate, the longest stretch its clients went without an ack.
  // `end_s`: the run's end (the `end` event).
  std::map<std::string, runfolder::AckGap> ack_gaps(double end_s) const;
  // The events the serving timeline reads (serve, stop_serving, crash,
  // end), kept as written: summary.json's figures come from them, without
  // reading events.jsonl back.
  const std::vector<runfolder::Event>& serving_events() const { return serving_events_; }
  void flush();  // throws WriteError when a write failed

 private:
  void line_done(std::string& buffer, std::ofstream& file);  // ends a line; writes the buffer out when full
  void write_out(std::string& buffer, std::ofstream& file);  // keeps the errno of the first failed write
  int write_errno_ = 0;
  std::string history_path_, events_path_;
  std::ofstream history_;
  std::ofstream events_;
  std::string history_buffer_, events_buffer_;
  std::uint64_t issued_ = 0, answered_ = 0, unknown_ = 0, retransmissions_ = 0;
  std::vector<double> latencies_s_;
  double last_completion_s_ = 0;
  std::vector<runfolder::Event> serving_events_;
  // Per aggregate its first request and its acks; each client's entry, by
  // client id, found once at its first request (a client keeps its aggregate).
  struct AggregateAcks {
    double first_invoke_s = -1;
    std::vector<double> acks_s;
    std::uint64_t unanswered = 0;  // requests issued, not (yet) answered or given up
  };
  std::map<std::string, AggregateAcks> acks_by_aggregate_;
  std::vector<AggregateAcks*> acks_of_client_;
};

}  // namespace failsim::sim
