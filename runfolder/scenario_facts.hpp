// What the checker needs of a run folder's scenario.json, typed. The
// simulator writes scenario.json with every field filled in, so each field
// here is required (a missing one is an error, never a repeated default);
// an expectation the scenario does not state is null.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace failsim::runfolder {

enum class GivebackMode : std::uint8_t { automatic, at_time, never };  // "auto", "at", "never"

struct ScenarioFacts {
  std::map<std::string, std::string> owners;  // aggregate -> its owner node
  GivebackMode giveback = GivebackMode::automatic;
  std::uint64_t clients = 0, ops_per_client = 0, retry_limit = 0;  // retry_limit 0: retry until answered
  bool shared_namespace = false;
  double fault_phase_s = 0;
  std::map<std::string, std::size_t> plexes;  // aggregate -> how many plexes it has
  struct Expect {
    std::optional<double> max_takeover_s, max_outage_s, loss_only_acked_after_s;
    std::optional<bool> takeover, split_brain_free, owner_serves_at_end;
    bool data_loss = false;
    std::set<std::string> lost_aggregates;
  } expect;
};

// Reads DIR/scenario.json; nullopt when the folder has none (a bare
// folder). Throws LineReaderError when it cannot be read, FormatError
// naming the file and field when a field is missing or of the wrong type.
std::optional<ScenarioFacts> read_scenario_facts(const std::string& dir);

}  // namespace failsim::runfolder
