// `failsim check --random N`: the campaign's cases generated
// (checker/scenario_gen), and a violating case shrunk to a scenario file.
#include "random_campaign.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "campaign.hpp"
#include "checker/judge.hpp"
#include "checker/scenario_gen.hpp"
#include "common/fork_pool.hpp"
#include "sim/run/rng.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim::cli {

namespace fs = std::filesystem;

namespace {

rc::Shrinkable<sim::Scenario> case_shrinkable(const CheckOptions& o, std::uint64_t index) {
  // Sizes ramp up as RapidCheck's do: early cases are small.
  const int size = static_cast<int>(index % 100) + 1;
  const auto gen = o.out_of_envelope ? checker::out_of_envelope_gen() : checker::scenario_gen();
  return gen(rc::Random(sim::stream_seed(o.seed, "case" + std::to_string(index))), size);
}

// Whether a scenario violates a property: simulated and judged in a child.
// Only a violation counts: a candidate that times out, crashes or is
// undecided does not reproduce the failure being shrunk.
bool violates(const sim::Scenario& s, const fs::path& work, std::uint64_t search_states, const CampaignStop& stop) {
  int status = 0;
  run_forked({0}, {.after_fork = [&](std::uint64_t, pid_t pid) { stop.adopt(pid); },
                   .in_child =
                       [&](std::uint64_t) {
                         stop.enter_child();
                         const fs::path dir = work / ("shrink-" + std::to_string(::getpid()));
                         fs::create_directories(dir);
                         std::ostringstream text;
                         sim::run_simulation(s, dir.string(), text);
                         const auto outcome = checker::judge_run_folder(dir.string(), search_states).outcome();
                         fs::remove_all(dir);
                         return outcome == checker::Outcome::violated ? 1 : 0;
                       },
                   .on_exit = [&](std::uint64_t, int code) { status = code; }});
  return status == 1;
}

// Shrinks a violating case (fewer faults, clients, changes, earlier times)
// and writes the smallest violating scenario as a file `failsim check` replays.
std::string shrink(const CheckOptions& o, std::uint64_t index, const fs::path& work, std::ostream& err,
                   const CampaignStop& stop) {
  const std::uint64_t seed = o.seed;
  auto current = case_shrinkable(o, index);
  int runs = 0;
  constexpr int max_runs = 300;
  for (bool improved = true; improved && runs < max_runs && !stop.requested();) {
    improved = false;
    auto candidates = current.shrinks();
    while (auto next = candidates.next()) {
      if (++runs > max_runs || stop.requested()) break;
      if (violates(next->value(), work, search_budget(o), stop)) {
        current = std::move(*next);
        improved = true;
        break;
      }
    }
  }
  sim::Scenario s = current.value();
  s.name = "shrunk-seed" + std::to_string(seed) + "-case" + std::to_string(index);
  s.description = "Shrunk from failsim check --random ... --seed " + std::to_string(seed) +
                  (o.out_of_envelope ? " --out-of-envelope" : "") + " --case " +
                  std::to_string(index) + " after " + std::to_string(runs) + " runs";
  const std::string file = s.name + ".json";
  std::ofstream(file) << sim::to_json(s).dump(1) << "\n";
  err << "shrunk case " << index << " in " << runs << " runs to " << s.faults.size() << " fault(s), "
      << s.workload.clients << " client(s) x " << s.workload.ops_per_client << " changes: " << file << "\n";
  return file;
}

}  // namespace

int random_campaign(const CheckOptions& o, std::ostream& out, std::ostream& err) {
  CaseSource source;
  source.title = "random scenarios";
  source.about = "seed " + std::to_string(o.seed);
  source.count = o.random;
  source.scenario = [&o](std::uint64_t i) { return case_shrinkable(o, i).value(); };
  source.rerun = "failsim check --random " + std::to_string(o.random) + " --seed " + std::to_string(o.seed) +
                 (o.out_of_envelope ? " --out-of-envelope" : "");
  source.fault_kinds = o.out_of_envelope ? std::vector<std::string>{"nvram_battery_loss", "power_loss"}
                                         : checker::generated_fault_kinds();
  source.shrink = [&o, &err](std::uint64_t index, const fs::path& work, const CampaignStop& stop) {
    return shrink(o, index, work, err, stop);
  };
  return run_campaign(o, source, out, err);
}

}  // namespace failsim::cli
