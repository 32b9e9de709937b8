// A run folder read into memory for the reports: the scenario, the summary,
// the verdict when there is one, the node events, and the client history
// joined into one record per request (invocation with its completion).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runfolder/event.hpp"

namespace failsim::reports {

// A run folder that is missing or malformed; the message names the file
// (and the line of a JSON-lines file). Exit status 2 at the command line.
struct ReportInputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct Request {
  std::uint64_t client = 0;
  std::uint64_t xid = 0;
  std::string aggregate;
  std::string op;  // the change type: create, write, ...
  double invoke_s = 0;
  // Completion: "ok" (answered, `result` holds the errno name), "info" (the
  // client gave up or the run ended: outcome unknown), "" (no completion line).
  std::string outcome;
  std::string result;
  double done_s = 0;  // when outcome is not empty
  bool answered() const { return outcome == "ok"; }
  double latency_s() const { return done_s - invoke_s; }
};

struct RunData {
  std::string dir;
  nlohmann::json scenario;                // scenario.json
  nlohmann::json summary;                 // summary.json
  std::optional<nlohmann::json> verdict;  // verdict.json, when `failsim check` judged the run
  std::vector<runfolder::Event> events;   // events.jsonl, in time order
  std::vector<Request> requests;          // history.jsonl, in invocation order

  std::vector<std::string> nodes() const;
  // The home node of an aggregate ("" when the scenario does not name it).
  std::string owner_of(const std::string& aggregate) const;
  double end_s() const;  // the last time anything happened
  // The run's end as the simulator judged it: the `end` event (end_s()
  // without one).
  double run_end_s() const;
};

// Throws ReportInputError when a file is missing or malformed.
RunData read_run_folder(const std::string& dir);

}  // namespace failsim::reports
