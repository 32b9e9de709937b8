// The results of a campaign (random or exhaustive), case by case, and the files a CI job
// reads them from: campaign.json (every case with its outcome, faults
// scheduled and fired, wall time and the command that reproduces it) and
// junit.xml (one testcase per case; a violation or an undecided case is a
// failure, a timed-out or crashed simulation an error).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace failsim::cli {

// How a case ended. The order is the ranking: the worst outcome of a
// campaign decides its exit status (a violation before failsim's own
// failure, that before an undecided case).
enum class CaseOutcome { held, undecided, timeout, internal_error, violated };
const char* case_outcome_name(CaseOutcome outcome);  // "held", "undecided", "timeout", "internal_error", "violated"

struct CaseResult {
  std::uint64_t index = 0;
  CaseOutcome outcome = CaseOutcome::held;
  std::string scenario_digest;  // SHA-256 of the generated scenario's JSON
  std::vector<std::string> scheduled, fired;  // fault kinds
  double wall_s = 0;
  std::string reproduce;     // the command that reruns this case alone
  std::string failure;       // what went wrong, one line per violation / undecided part / child's end
};

struct CampaignResults {
  std::uint64_t seed = 0, random = 0;  // --seed, --random
  std::string exhaustive;              // check FILE --exhaustive: FILE ("": a random campaign)
  bool out_of_envelope = false, allow_undecided = false;
  std::uint64_t planned = 0;           // cases the campaign was to run
  double wall_s = 0;
  std::optional<double> time_budget_s;
  bool budget_reached = false;         // cases were left unstarted
  int stopped_by_signal = 0;           // SIGINT or SIGTERM stopped the campaign (0: it was not)
  std::string build;                   // failsim's version and commit
  std::vector<CaseResult> cases;       // in case order
  std::map<std::string, std::uint64_t> scheduled, fired;  // per fault kind, over every case
  std::vector<std::string> fault_kinds;                   // the kinds the campaign may generate
  int exit_status = 0;
};

nlohmann::json campaign_json(const CampaignResults& results);
std::string junit_xml(const CampaignResults& results);

}  // namespace failsim::cli
