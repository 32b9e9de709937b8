// The random campaign: generate, fork, simulate, judge, count.
#include "random_campaign.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "checker/judge.hpp"
#include "checker/scenario_gen.hpp"
#include "common/fork_pool.hpp"
#include "common/progress.hpp"
#include "common/temp_folder.hpp"
#include "common/wall_limit.hpp"
#include "sim/run/rng.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

rc::Shrinkable<sim::Scenario> case_shrinkable(const CheckOptions& o, std::uint64_t index) {
  // Sizes ramp up as RapidCheck's do: early cases are small.
  const int size = static_cast<int>(index % 100) + 1;
  const auto gen = o.out_of_envelope ? checker::out_of_envelope_gen() : checker::scenario_gen();
  return gen(rc::Random(sim::stream_seed(o.seed, "case" + std::to_string(index))), size);
}

// Whether a scenario breaks a property: simulated and judged in a child.
bool fails(const sim::Scenario& s, const fs::path& work, std::uint64_t search_states) {
  int status = 0;
  run_forked({0}, {.in_child =
                       [&](std::uint64_t) {
                         const fs::path dir = work / ("shrink-" + std::to_string(::getpid()));
                         fs::create_directories(dir);
                         std::ostringstream text;
                         sim::run_simulation(s, dir.string(), text);
                         const bool valid = checker::judge_run_folder(dir.string(), search_states).valid();
                         fs::remove_all(dir);
                         return valid ? 0 : 1;
                       },
                   .on_exit = [&](std::uint64_t, int code) { status = code; }});
  return status != 0;
}

// Shrinks a failing case (fewer faults, clients, changes, earlier times) and
// writes the smallest failing scenario as a file `failsim check` replays.
std::string shrink(const CheckOptions& o, std::uint64_t index, const fs::path& work, std::ostream& err) {
  const std::uint64_t seed = o.seed;
  auto current = case_shrinkable(o, index);
  int runs = 0;
  constexpr int max_runs = 300;
  for (bool improved = true; improved && runs < max_runs;) {
    improved = false;
    auto candidates = current.shrinks();
    while (auto next = candidates.next()) {
      if (++runs > max_runs) break;
      if (fails(next->value(), work, search_budget(o))) {
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

// In the child: simulate, judge, write the result file; 0 valid, 1 violated.
int run_case(const sim::Scenario& s, const fs::path& work, std::uint64_t index, std::uint64_t search_states) {
  const fs::path dir = work / ("case-" + std::to_string(index));
  fs::create_directories(dir);
  std::ostringstream text;
  sim::run_simulation(s, dir.string(), text);
  checker::Verdict v = checker::judge_run_folder(dir.string(), search_states);
  json result = v.to_json();
  // The fault kinds that actually fired, from the events.
  json fired = json::array();
  std::ifstream events(dir / "events.jsonl");
  for (std::string line; std::getline(events, line);) {
    json e = json::parse(line);
    if (e["kind"] == "fault") fired.push_back(e["fault"]);
  }
  result["fired"] = fired;
  std::ofstream(work / ("case-" + std::to_string(index) + ".json")) << result.dump() << "\n";
  if (v.valid() && v.undecided.empty()) fs::remove_all(dir);
  return v.valid() ? 0 : 1;
}

}  // namespace

int random_campaign(const CheckOptions& o, std::ostream& out, std::ostream& err) {
  const fs::path work = make_work_folder("failsim-campaign");  // mkdtemp: an unpredictable name
  fs::create_directories(work);
  std::uint64_t first = 0, last = o.random;
  if (o.only_case) {
    first = *o.only_case;
    last = first + 1;
  }
  std::map<std::string, std::uint64_t> scheduled, fired;
  std::uint64_t done = 0, failed = 0, crashed = 0, undecided = 0;
  std::vector<std::uint64_t> failures;
  Progress progress(err, ::isatty(2), last - first, "random scenarios");

  auto on_exit = [&](std::uint64_t index, int code) {
    ++done;
    const fs::path result_file = work / ("case-" + std::to_string(index) + ".json");
    if (code > 1 || !fs::exists(result_file)) {
      ++crashed;
      failures.push_back(index);
      progress.interrupt() << "case " << index << ": the simulation "
                           << (code > 1 ? child_end(code) : "left no result") << "\n";
      progress.update(done, failed + crashed);
      return;
    }
    std::ifstream in(result_file);
    json result = json::parse(in);
    for (const auto& k : result["fired"]) ++fired[k.get<std::string>()];
    auto keep = [&] {
      if (o.keep_dir.empty()) return;
      fs::create_directories(o.keep_dir);
      std::error_code ec;
      fs::rename(work / ("case-" + std::to_string(index)), fs::path(o.keep_dir) / ("case-" + std::to_string(index)), ec);
    };
    if (!result["undecided"].empty()) {
      ++undecided;
      progress.interrupt() << "case " << index << ": UNDECIDED";
      for (const auto& part : result["undecided"]) err << "\n  " << part.get<std::string>();
      err << "\n";
      keep();
    }
    if (!result["valid"].get<bool>()) {
      ++failed;
      failures.push_back(index);
      progress.interrupt() << "case " << index << ": VIOLATED";
      for (const auto& v : result["violations"]) err << "\n  " << v["property"].get<std::string>() << ": " << v["detail"].get<std::string>();
      err << "\n";
      keep();
    }
    progress.update(done, failed + crashed);
  };

  std::vector<std::uint64_t> cases;
  for (std::uint64_t i = first; i < last; ++i) cases.push_back(i);
  sim::Scenario next;  // generated in the parent (for the counts), simulated in the child
  try {
    run_forked(cases, {.jobs = o.jobs,
                       .before_fork =
                           [&](std::uint64_t i) {
                             next = case_shrinkable(o, i).value();
                             for (const auto& f : next.faults) ++scheduled[f.kind];
                           },
                       .in_child = [&](std::uint64_t i) { return run_case(next, work, i, search_budget(o)); },
                       .on_exit = on_exit});
  } catch (const ForkError& e) {
    err << "failsim: " << e.what() << "\n";
    return 2;
  }
  progress.finish();
  std::string shrunk;
  if (!failures.empty() && o.shrink) shrunk = shrink(o, failures.front(), work, err);
  std::error_code ec;
  fs::remove_all(work, ec);

  out << "random scenarios: " << (last - first) << " run, " << failed << " violated, " << crashed << " died, "
      << undecided << " undecided (seed " << o.seed << ")\n";
  out << "fault kinds: scheduled / fired\n";
  for (const auto& kind : o.out_of_envelope ? std::vector<std::string>{"nvram_battery_loss", "power_loss"}
                                            : checker::generated_fault_kinds())
    out << "  " << kind << ": " << scheduled[kind] << " / " << fired[kind] << "\n";
  const std::string envelope = o.out_of_envelope ? " --out-of-envelope" : "";
  for (std::uint64_t i : failures)
    out << "reproduce: failsim check --random " << o.random << " --seed " << o.seed << envelope << " --case " << i
        << "\n";
  if (!shrunk.empty()) out << "reproduce the shrunk case: failsim check " << shrunk << "\n";
  out << (failures.empty() ? "VERDICT: OK" : "VERDICT: VIOLATED") << "\n";
  return failures.empty() ? 0 : 1;
}

}  // namespace failsim::cli
