// Takeovers and givebacks, each broken into the steps the events show:
// takeover = detection, fencing, aggregate load, replay, recovery CP, first
// reply; giveback = final CP, handover, aggregate load, replay, recovery CP,
// first reply. One record per aggregate moved.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "reports/run_data.hpp"

namespace failsim::reports {

struct Segment {
  std::string name;
  double start_s = 0, end_s = 0;
  double duration_s() const { return end_s - start_s; }
};

struct Recovery {
  std::string kind;       // "takeover" or "giveback"
  std::string node;       // the node that takes the aggregate over, or gives it back
  std::string partner;    // the failed node, or the owner getting it back
  std::string aggregate;
  double start_s = 0;     // takeover: its owner ceasing to serve it (crash or stop); giveback: giveback_started
  std::optional<double> served_s;       // the aggregate served again
  // How long nobody served it before served_s: the serving timeline's
  // outage (runfolder/serving_timeline.hpp), the one definition summary.json's
  // takeover_s and giveback_s use too.
  std::optional<double> outage_s;
  std::optional<double> first_reply_s;  // the first client ack for it after that
  std::uint64_t blocks_read = 0, replayed = 0, skipped = 0;
  std::string refused;  // takeover_refused: why
  std::vector<Segment> segments;  // in order, where the events show them

  nlohmann::json to_json() const;
};

std::vector<Recovery> build_recoveries(const RunData& run);

// The segment names in order, for legends.
const std::vector<std::string>& takeover_segment_names();
const std::vector<std::string>& giveback_segment_names();

}  // namespace failsim::reports
