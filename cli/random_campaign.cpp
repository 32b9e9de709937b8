// The random campaign: generate, fork, simulate, judge, count.
#include "random_campaign.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "checker/judge.hpp"
#include "terminal_text.hpp"
#include "checker/scenario_gen.hpp"
#include "sim/run/rng.hpp"
#include "sim/run/run_limits.hpp"
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
  std::cout.flush();
  pid_t pid = ::fork();
  if (pid == 0) {
    sim::arm_wall_limit();
    int code = 3;
    try {
      const fs::path dir = work / ("shrink-" + std::to_string(::getpid()));
      fs::create_directories(dir);
      std::ostringstream text;
      sim::run_simulation(s, dir.string(), text);
      code = checker::judge_run_folder(dir.string(), search_states).valid() ? 0 : 1;
      fs::remove_all(dir);
    } catch (...) {
    }
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return !WIFEXITED(status) || WEXITSTATUS(status) != 0;
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

// In the child: simulate, judge, write the result file; exit 0 or 1.
[[noreturn]] void run_case(const sim::Scenario& s, const fs::path& work, std::uint64_t index,
                           std::uint64_t search_states) {
  sim::arm_wall_limit();
  int code = 3;
  try {
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
    code = v.valid() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "failsim: case " << index << ": internal error: " << e.what() << "\n";
  }
  std::cout.flush();
  std::cerr.flush();
  ::_exit(code);
}

}  // namespace

int random_campaign(const CheckOptions& o, std::ostream& out, std::ostream& err) {
  const fs::path work = fs::temp_directory_path() / ("failsim-campaign-" + std::to_string(::getpid()));
  fs::create_directories(work);
  std::uint64_t first = 0, last = o.random;
  if (o.only_case) {
    first = *o.only_case;
    last = first + 1;
  }
  const bool tty = ::isatty(2);
  std::map<pid_t, std::uint64_t> running;
  std::map<std::string, std::uint64_t> scheduled, fired;
  std::uint64_t next = first, done = 0, failed = 0, crashed = 0, undecided = 0;
  std::vector<std::uint64_t> failures;

  auto reap = [&] {
    int status = 0;
    pid_t pid = ::wait(&status);
    if (pid <= 0) return;
    std::uint64_t index = running.at(pid);
    running.erase(pid);
    ++done;
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 3;
    const fs::path result_file = work / ("case-" + std::to_string(index) + ".json");
    if (code == 3 || !fs::exists(result_file)) {
      ++crashed;
      failures.push_back(index);
      const std::string death = sim::child_death(status);
      err << "case " << index << ": the simulation " << (death.empty() ? "died" : death) << "\n";
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
      err << "case " << index << ": UNDECIDED";
      for (const auto& part : result["undecided"]) err << "\n  " << part.get<std::string>();
      err << "\n";
      keep();
    }
    if (!result["valid"].get<bool>()) {
      ++failed;
      failures.push_back(index);
      err << "case " << index << ": VIOLATED";
      for (const auto& v : result["violations"]) err << "\n  " << v["property"].get<std::string>() << ": " << v["detail"].get<std::string>();
      err << "\n";
      keep();
    }
    if (tty) unfiltered(err) << "\r[" << done << "/" << (last - first) << "] " << failed + crashed << " failing" << std::flush;
  };

  out.flush();
  while (next < last || !running.empty()) {
    while (next < last && static_cast<int>(running.size()) < o.jobs) {
      sim::Scenario s = case_shrinkable(o, next).value();
      for (const auto& f : s.faults) ++scheduled[f.kind];
      pid_t pid = ::fork();
      if (pid < 0) {
        err << "failsim: cannot fork\n";
        return 2;
      }
      if (pid == 0) run_case(s, work, next, search_budget(o));
      running[pid] = next++;
    }
    reap();
  }
  if (tty) unfiltered(err) << "\n";
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
