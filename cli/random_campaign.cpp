// The random campaign: generate, fork, simulate, judge, count, and report
// each case's outcome; the worst outcome decides the exit status.
#include "random_campaign.hpp"

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "campaign_results.hpp"
#include "campaign_stop.hpp"
#include "checker/judge.hpp"
#include "checker/scenario_gen.hpp"
#include "cli/build_info.hpp"
#include "common/digest.hpp"
#include "common/fork_pool.hpp"
#include "common/progress.hpp"
#include "common/temp_folder.hpp"
#include "common/wall_limit.hpp"
#include "common/write_file.hpp"
#include "exit_status.hpp"
#include "runfolder/event_reader.hpp"
#include "sim/run/rng.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim::cli {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

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
  run_forked({0}, {.in_child =
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

// In the child: simulate, judge, write the result file (the verdict and the
// fault kinds that fired); its status is the verdict's.
int run_case(const sim::Scenario& s, const fs::path& work, std::uint64_t index, std::uint64_t search_states) {
  const fs::path dir = work / ("case-" + std::to_string(index));
  fs::create_directories(dir);
  std::ostringstream text;
  sim::run_simulation(s, dir.string(), text);
  checker::Verdict v = checker::judge_run_folder(dir.string(), search_states);
  json result = v.to_json();
  json fired = json::array();
  runfolder::EventReader events((dir / "events.jsonl").string());
  for (runfolder::Event e; events.next(e);)
    if (e.kind == runfolder::EventKind::fault) fired.push_back(e.get<runfolder::FaultNote>()->fault);
  result["fired"] = fired;
  std::ofstream(work / ("case-" + std::to_string(index) + ".json")) << result.dump() << "\n";
  if (v.outcome() == checker::Outcome::held) fs::remove_all(dir);
  return exit_status_of(v.outcome());
}

std::string build_name() {
  std::string b = std::string("failsim ") + failsim_version;
  if (*failsim_git_commit) b += std::string(" (commit ") + failsim_git_commit + ")";
  return b;
}

// A case's outcome from its child's exit code and result file.
CaseResult judge_case(std::uint64_t index, int code, const fs::path& result_file) {
  CaseResult c;
  c.index = index;
  if (code == 128 + SIGALRM) {
    c.outcome = CaseOutcome::timeout;
    c.failure = "the simulation " + child_end(code);
    return c;
  }
  std::ifstream in(result_file);
  if ((code != 0 && code != 1 && code != 4) || !in) {
    c.outcome = CaseOutcome::internal_error;
    c.failure = "the simulation " + (in ? child_end(code) : std::string("left no result"));
    return c;
  }
  const json result = json::parse(in);
  for (const auto& k : result["fired"]) c.fired.push_back(k.get<std::string>());
  const std::string outcome = result["outcome"];
  c.outcome = outcome == "violated" ? CaseOutcome::violated : outcome == "undecided" ? CaseOutcome::undecided
                                                                                     : CaseOutcome::held;
  std::string lines;
  for (const auto& v : result["violations"])
    lines += v["property"].get<std::string>() + ": " + v["detail"].get<std::string>() + "\n";
  for (const auto& part : result["undecided"]) lines += "undecided: " + part.get<std::string>() + "\n";
  if (!lines.empty()) lines.pop_back();
  c.failure = lines;
  return c;
}

int status_of(CaseOutcome o, bool allow_undecided) {
  switch (o) {
    case CaseOutcome::held: return exit_held;
    case CaseOutcome::undecided: return allow_undecided ? exit_held : exit_undecided;
    case CaseOutcome::timeout:
    case CaseOutcome::internal_error: return exit_internal;
    case CaseOutcome::violated: return exit_violated;
  }
  return exit_internal;
}

}  // namespace

int random_campaign(const CheckOptions& o, std::ostream& out, std::ostream& err) {
  const auto started = Clock::now();
  auto seconds_since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  const fs::path work = make_work_folder("failsim-campaign");  // mkdtemp: an unpredictable name
  fs::create_directories(work);
  std::uint64_t first = 0, last = o.random;
  if (o.only_case) {
    first = *o.only_case;
    last = first + 1;
  }
  // A case reruns alone with the campaign's options that shape it; the
  // wall-clock limit too, so that a timeout reproduces as one.
  std::string envelope = o.out_of_envelope ? " --out-of-envelope" : "";
  if (wall_limit_s() != default_wall_limit_s) {
    std::ostringstream limit;
    limit << " --max-wall-s " << wall_limit_s();
    envelope += limit.str();
  }
  CampaignResults results;
  results.seed = o.seed;
  results.random = o.random;
  results.out_of_envelope = o.out_of_envelope;
  results.allow_undecided = o.allow_undecided;
  results.planned = last - first;
  results.time_budget_s = o.time_budget_s;
  results.build = build_name();
  results.fault_kinds = o.out_of_envelope ? std::vector<std::string>{"nvram_battery_loss", "power_loss"}
                                          : checker::generated_fault_kinds();
  std::map<std::uint64_t, CaseResult> done_cases;
  std::map<std::uint64_t, CaseResult> starting;  // what the parent knows of a case before it runs
  std::map<std::uint64_t, Clock::time_point> start_of;
  std::uint64_t failing = 0;
  Progress progress(err, ::isatty(2), last - first, "random scenarios");

  auto keep = [&](std::uint64_t index) {
    if (o.keep_dir.empty()) return;
    const fs::path into(o.keep_dir);
    std::error_code ec;
    fs::create_directories(into, ec);
    const std::string name = "case-" + std::to_string(index);
    fs::rename(work / name, into / name, ec);
    // The scenario itself, even when the child died before writing its folder.
    std::ofstream(into / (name + ".json")) << sim::to_json(case_shrinkable(o, index).value()).dump(1) << "\n";
  };
  auto on_exit = [&](std::uint64_t index, int code) {
    CaseResult c = judge_case(index, code, work / ("case-" + std::to_string(index) + ".json"));
    CaseResult& before = starting.at(index);
    c.scenario_digest = std::move(before.scenario_digest);
    c.scheduled = std::move(before.scheduled);
    c.wall_s = seconds_since(start_of.at(index));
    starting.erase(index);  // a long campaign keeps only the results
    start_of.erase(index);
    c.reproduce = "failsim check --random " + std::to_string(o.random) + " --seed " + std::to_string(o.seed) +
                  envelope + " --case " + std::to_string(index);
    for (const auto& k : c.fired) ++results.fired[k];
    if (c.outcome != CaseOutcome::held) {
      progress.interrupt() << "case " << index << ": " << case_outcome_name(c.outcome);
      std::istringstream lines(c.failure);
      for (std::string line; std::getline(lines, line);) err << "\n  " << line;
      err << "\n";
      keep(index);
      if (status_of(c.outcome, o.allow_undecided) != exit_held) ++failing;
    }
    done_cases[index] = std::move(c);
    progress.update(done_cases.size(), failing);
  };

  // The cases go to the fork pool in chunks, so that the time budget can
  // stop the campaign between chunks; within a chunk, a case due after the
  // budget is forked only to end at once.
  const std::size_t chunk = std::max<std::size_t>(64, 16 * static_cast<std::size_t>(o.jobs));
  bool skip = false;                 // read by the child forked right after before_fork
  std::set<std::uint64_t> skipped;
  std::uint64_t stopped_running = 0;  // cases a stop signal ended before they finished
  CampaignStop stop;
  sim::Scenario next;  // generated in the parent (for the counts), simulated in the child
  try {
    for (std::uint64_t at = first; at < last && !results.budget_reached && !stop.requested(); at += chunk) {
      std::vector<std::uint64_t> cases;
      for (std::uint64_t i = at; i < std::min<std::uint64_t>(last, at + chunk); ++i) cases.push_back(i);
      run_forked(cases, {.jobs = o.jobs,
                         .before_fork =
                             [&](std::uint64_t i) {
                               skip = stop.requested() || (o.time_budget_s && seconds_since(started) >= *o.time_budget_s);
                               if (skip) {
                                 if (!stop.requested()) results.budget_reached = true;
                                 skipped.insert(i);
                                 return;
                               }
                               next = case_shrinkable(o, i).value();
                               CaseResult& c = starting[i];
                               c.scenario_digest = sha256_hex(sim::to_json(next).dump());
                               for (const auto& f : next.faults) {
                                 c.scheduled.emplace_back(sim::to_string(f.kind()));
                                 ++results.scheduled[c.scheduled.back()];
                               }
                               start_of[i] = Clock::now();
                             },
                         .in_child =
                             [&](std::uint64_t i) {
                               stop.enter_child();
                               return skip ? 0 : run_case(next, work, i, search_budget(o));
                             },
                         .on_exit =
                             [&](std::uint64_t i, int code) {
                               if (skipped.contains(i)) return;
                               if (stop.requested() && (code == 128 + SIGTERM || code == 128 + SIGINT)) {
                                 ++stopped_running;  // not a result: the campaign stopped it
                                 return;
                               }
                               on_exit(i, code);
                             }});
    }
  } catch (const ForkError& e) {
    err << "failsim: " << e.what() << "\n";
    return exit_internal;
  }
  progress.finish();

  int status = exit_held;
  std::map<CaseOutcome, std::uint64_t> counts;
  CaseOutcome worst = CaseOutcome::held;
  for (auto& [i, c] : done_cases) {
    ++counts[c.outcome];
    if (status_of(c.outcome, o.allow_undecided) != exit_held) worst = std::max(worst, c.outcome);
    results.cases.push_back(c);
  }
  status = status_of(worst, o.allow_undecided);
  // Stopped by a signal: what ran decides when it failed; otherwise 128 + the signal, as a killed program.
  results.stopped_by_signal = stop.requested();
  if (results.stopped_by_signal && status == exit_held) status = 128 + results.stopped_by_signal;
  results.exit_status = status;
  std::string shrunk;
  for (const CaseResult& c : results.cases)
    if (c.outcome == CaseOutcome::violated && !results.stopped_by_signal) {
      if (o.shrink) shrunk = shrink(o, c.index, work, err, stop);
      break;
    }
  std::error_code ec;
  fs::remove_all(work, ec);
  results.wall_s = seconds_since(started);

  out << "random scenarios: " << results.cases.size() << " run, " << counts[CaseOutcome::violated] << " violated, "
      << counts[CaseOutcome::timeout] << " timed out, " << counts[CaseOutcome::internal_error] << " died, "
      << counts[CaseOutcome::undecided] << " undecided (seed " << o.seed << ")\n";
  if (results.stopped_by_signal)
    out << "stopped by signal " << results.stopped_by_signal << " (" << ::strsignal(results.stopped_by_signal)
        << "): " << results.cases.size() << " of " << results.planned << " cases run, " << stopped_running
        << " stopped while running, the rest not started\n";
  if (results.budget_reached)
    out << "time budget: " << *o.time_budget_s << " s reached; " << results.cases.size() << " of " << results.planned
        << " cases run, the rest not started\n";
  out << "fault kinds: scheduled / fired\n";
  std::vector<std::string> never_fired;
  for (const auto& kind : results.fault_kinds) {
    out << "  " << kind << ": " << results.scheduled[kind] << " / " << results.fired[kind] << "\n";
    if (results.scheduled[kind] > 0 && results.fired[kind] == 0) never_fired.push_back(kind);
  }
  if (!never_fired.empty()) {
    out << "coverage: WARNING: scheduled but never fired:";
    for (const auto& k : never_fired) out << " " << k;
    out << "\n";
  }
  for (const CaseResult& c : results.cases)
    if (c.outcome != CaseOutcome::held) out << "reproduce (" << case_outcome_name(c.outcome) << "): " << c.reproduce << "\n";
  if (!shrunk.empty()) out << "reproduce the shrunk case: failsim check " << shrunk << "\n";
  if (!o.report_dir.empty()) {
    try {
      fs::create_directories(o.report_dir, ec);
      write_file((fs::path(o.report_dir) / "campaign.json").string(), campaign_json(results).dump(1) + "\n");
      write_file((fs::path(o.report_dir) / "junit.xml").string(), junit_xml(results));
    } catch (const WriteError& e) {
      err << "failsim: " << e.what() << "\n";
      return exit_bad_input;
    }
  }
  const char* verdict = worst == CaseOutcome::violated                                          ? "VIOLATED"
                        : worst == CaseOutcome::timeout                                         ? "TIMEOUT"
                        : worst == CaseOutcome::internal_error                                  ? "FAILSIM ERROR"
                        : worst == CaseOutcome::undecided                                       ? "UNDECIDED"
                        : results.stopped_by_signal             ? "STOPPED (the cases run held)"
                        : counts[CaseOutcome::undecided] > 0 ? "OK (undecided cases allowed)" : "OK";
  out << "VERDICT: " << verdict << "\n";
  return status;
}

}  // namespace failsim::cli
