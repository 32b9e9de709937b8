// Everything the reports show, computed once from a run folder: the
// timeline, who served each aggregate when, takeovers and givebacks,
// latency, time series, storage recovery. report.json is
// its to_json(); the CSV, trace and HTML writers read it too.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "reports/latency.hpp"
#include "reports/log_figures.hpp"
#include "reports/ownership.hpp"
#include "reports/recovery.hpp"
#include "reports/run_data.hpp"
#include "reports/series.hpp"
#include "reports/storage.hpp"
#include "reports/timeline.hpp"

namespace failsim::reports {

struct OpCounts {
  std::uint64_t issued = 0, answered = 0, unknown = 0;
  // Answered changes per second from the first invocation to the last ack
  // (0 when nothing was answered): the rate the clients got, outages included.
  double acks_per_s = 0;
};

struct Analysis {
  const RunData& run;
  OpCounts ops;
  Timeline timeline;
  Ownership ownership;
  std::vector<Recovery> recoveries;
  LatencyReport latency;
  Series series;
  LogFigures log;
  Storage storage;  // empty when the run has no storage event
  std::vector<const Span*> cps() const;  // the CP activities, in start order

  nlohmann::json to_json() const;  // report.json
};

Analysis analyse(const RunData& run);

}  // namespace failsim::reports
