// A campaign (campaign.hpp): fork, simulate, judge, count, and report each
// case's outcome; the worst outcome decides the exit status.
#include "campaign.hpp"

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
#include "common/build_info.hpp"
#include "common/digest.hpp"
#include "common/fork_pool.hpp"
#include "common/progress.hpp"
#include "common/temp_folder.hpp"
#include "common/wall_limit.hpp"
#include "common/write_file.hpp"
#include "exit_status.hpp"
#include "runfolder/event_reader.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim::cli {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

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
  // A repair fault fires as a repair event naming its kind (the settle
  // phase's repairs name none; an interconnect coming back names its cut).
  auto repair_fault = [](const std::string& name) {
    const auto kind = sim::from_word<sim::FaultKind>(name);
    return kind && sim::is_repair(*kind);
  };
  for (runfolder::Event e; events.next(e);) {
    const runfolder::FaultNote* note = e.get<runfolder::FaultNote>();
    if (e.kind == runfolder::EventKind::fault || (e.kind == runfolder::EventKind::repair && repair_fault(note->fault)))
      fired.push_back(note->fault);
  }
  result["fired"] = fired;
  std::ofstream(work / ("case-" + std::to_string(index) + ".json")) << result.dump() << "\n";
  if (v.outcome() == checker::Outcome::held) fs::remove_all(dir);
  return exit_status_of(v.outcome());
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

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// What a campaign's summary and result files say, from its results.
// (Every kind gets its counts, zero included: campaign.json lists them all.)
void print_summary(const CheckOptions& o, const CaseSource& source, CampaignResults& results,
                   std::map<CaseOutcome, std::uint64_t>& counts, std::uint64_t stopped_running,
                   const std::string& shrunk, std::ostream& out) {
  out << source.title << ": " << results.cases.size() << " run, " << counts[CaseOutcome::violated] << " violated, "
      << counts[CaseOutcome::timeout] << " timed out, " << counts[CaseOutcome::internal_error] << " died, "
      << counts[CaseOutcome::undecided] << " undecided (" << source.about << ")\n";
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
}

const char* verdict_text(CaseOutcome worst, const CampaignResults& results, std::uint64_t undecided) {
  return worst == CaseOutcome::violated         ? "VIOLATED"
         : worst == CaseOutcome::timeout        ? "TIMEOUT"
         : worst == CaseOutcome::internal_error ? "FAILSIM ERROR"
         : worst == CaseOutcome::undecided      ? "UNDECIDED"
         : results.stopped_by_signal            ? "STOPPED (the cases run held)"
         : undecided > 0                        ? "OK (undecided cases allowed)"
                                                : "OK";
}

// One campaign: its cases forked in chunks, each judged as it ends, then
// the summary.
class Campaign {
 public:
  Campaign(const CheckOptions& o, const CaseSource& source, std::ostream& out, std::ostream& err)
      : o_(o), source_(source), out_(out), err_(err), work_(make_work_folder("failsim-campaign")) {  // mkdtemp: unpredictable
    fs::create_directories(work_);
    // A case reruns alone with the campaign's options that shape it; the
    // wall-clock limit too, so that a timeout reproduces as one.
    rerun_ = source.rerun;
    if (wall_limit_s() != default_wall_limit_s) {
      std::ostringstream limit;
      limit << " --max-wall-s " << wall_limit_s();
      rerun_ += limit.str();
    }
    results_.seed = o.seed;
    results_.random = o.random;
    results_.exhaustive = source.exhaustive;
    results_.out_of_envelope = o.out_of_envelope;
    results_.allow_undecided = o.allow_undecided;
    results_.planned = last_ - first_;
    results_.time_budget_s = o.time_budget_s;
    results_.build = build_name();
    results_.fault_kinds = source.fault_kinds;
  }

  int run() {
    try {
      run_cases();
    } catch (const ForkError& e) {
      err_ << "failsim: " << e.what() << "\n";
      return exit_internal;
    }
    progress_.finish();
    return finish();
  }

 private:
  void keep(std::uint64_t index) {
    if (o_.keep_dir.empty()) return;
    const fs::path into(o_.keep_dir);
    std::error_code ec;
    fs::create_directories(into, ec);
    const std::string name = "case-" + std::to_string(index);
    fs::rename(work_ / name, into / name, ec);
    // The scenario itself, even when the child died before writing its folder.
    std::ofstream(into / (name + ".json")) << sim::to_json(source_.scenario(index)).dump(1) << "\n";
  }

  // Generated in the parent (for the counts), simulated in the child.
  void before_fork(std::uint64_t i) {
    skip_ = stop_.requested() || (o_.time_budget_s && seconds_since(started_) >= *o_.time_budget_s);
    if (skip_) {
      if (!stop_.requested()) results_.budget_reached = true;
      skipped_.insert(i);
      return;
    }
    next_ = source_.scenario(i);
    CaseResult& c = starting_[i];
    c.scenario_digest = sha256_hex(sim::to_json(next_).dump());
    for (const auto& f : next_.faults) {
      c.scheduled.emplace_back(sim::to_string(f.kind()));
      ++results_.scheduled[c.scheduled.back()];
    }
    start_of_[i] = Clock::now();
  }

  void on_exit(std::uint64_t index, int code) {
    if (skipped_.contains(index)) return;
    // Not a result: the campaign stopped it (by SIGTERM or SIGINT, or by any
    // signal the stop met it with while it was still starting).
    if (stop_.requested() && code >= 128) {
      ++stopped_running_;
      return;
    }
    CaseResult c = judge_case(index, code, work_ / ("case-" + std::to_string(index) + ".json"));
    CaseResult& before = starting_.at(index);
    c.scenario_digest = std::move(before.scenario_digest);
    c.scheduled = std::move(before.scheduled);
    c.wall_s = seconds_since(start_of_.at(index));
    starting_.erase(index);  // a long campaign keeps only the results
    start_of_.erase(index);
    c.reproduce = rerun_ + " --case " + std::to_string(index);
    for (const auto& k : c.fired) ++results_.fired[k];
    if (c.outcome != CaseOutcome::held) {
      progress_.interrupt() << "case " << index << ": " << case_outcome_name(c.outcome);
      std::istringstream lines(c.failure);
      for (std::string line; std::getline(lines, line);) err_ << "\n  " << line;
      err_ << "\n";
      keep(index);
      if (status_of(c.outcome, o_.allow_undecided) != exit_held) ++failing_;
    } else if (o_.only_case) {
      keep(index);  // one case rerun to look at it: kept whatever its outcome
    }
    done_cases_[index] = std::move(c);
    progress_.update(done_cases_.size(), failing_);
  }

  // The cases go to the fork pool in chunks, so that the time budget can
  // stop the campaign between chunks; within a chunk, a case due after the
  // budget is forked only to end at once.
  void run_cases() {
    const std::size_t chunk = std::max<std::size_t>(64, 16 * static_cast<std::size_t>(o_.jobs));
    for (std::uint64_t at = first_; at < last_ && !results_.budget_reached && !stop_.requested(); at += chunk) {
      std::vector<std::uint64_t> cases;
      for (std::uint64_t i = at; i < std::min<std::uint64_t>(last_, at + chunk); ++i) cases.push_back(i);
      run_forked(cases, {.jobs = o_.jobs,
                         .before_fork = [this](std::uint64_t i) { before_fork(i); },
                         .after_fork = [this](std::uint64_t, pid_t pid) { stop_.adopt(pid); },
                         .in_child =
                             [this](std::uint64_t i) {
                               stop_.enter_child();
                               return skip_ ? 0 : run_case(next_, work_, i, search_budget(o_));
                             },
                         .on_exit = [this](std::uint64_t i, int code) { on_exit(i, code); }});
    }
  }

  int finish() {
    std::map<CaseOutcome, std::uint64_t> counts;
    CaseOutcome worst = CaseOutcome::held;
    for (auto& [i, c] : done_cases_) {
      ++counts[c.outcome];
      if (status_of(c.outcome, o_.allow_undecided) != exit_held) worst = std::max(worst, c.outcome);
      results_.cases.push_back(c);
    }
    int status = status_of(worst, o_.allow_undecided);
    // Stopped by a signal: what ran decides when it failed; otherwise 128 + the signal, as a killed program.
    results_.stopped_by_signal = stop_.requested();
    if (results_.stopped_by_signal && status == exit_held) status = 128 + results_.stopped_by_signal;
    results_.exit_status = status;
    std::string shrunk;
    for (const CaseResult& c : results_.cases)
      if (c.outcome == CaseOutcome::violated && !results_.stopped_by_signal) {
        if (o_.shrink && source_.shrink) shrunk = source_.shrink(c.index, work_, stop_);
        break;
      }
    std::error_code ec;
    fs::remove_all(work_, ec);
    results_.wall_s = seconds_since(started_);
    print_summary(o_, source_, results_, counts, stopped_running_, shrunk, out_);
    if (!o_.report_dir.empty()) {
      try {
        fs::create_directories(o_.report_dir, ec);
        write_file((fs::path(o_.report_dir) / "campaign.json").string(), campaign_json(results_).dump(1) + "\n");
        write_file((fs::path(o_.report_dir) / "junit.xml").string(), junit_xml(results_));
      } catch (const WriteError& e) {
        err_ << "failsim: " << e.what() << "\n";
        return exit_bad_input;
      }
    }
    out_ << "VERDICT: " << verdict_text(worst, results_, counts[CaseOutcome::undecided]) << "\n";
    return status;
  }

  const CheckOptions& o_;
  const CaseSource& source_;
  std::ostream& out_;
  std::ostream& err_;
  const Clock::time_point started_ = Clock::now();
  const fs::path work_;
  // The cases run: all, or the one --case names.
  const std::uint64_t first_ = o_.only_case ? *o_.only_case : 0;
  const std::uint64_t last_ = o_.only_case ? *o_.only_case + 1 : source_.count;
  std::string rerun_;
  CampaignResults results_;
  std::map<std::uint64_t, CaseResult> done_cases_;
  std::map<std::uint64_t, CaseResult> starting_;  // what the parent knows of a case before it runs
  std::map<std::uint64_t, Clock::time_point> start_of_;
  std::uint64_t failing_ = 0;
  Progress progress_{err_, ::isatty(2) != 0, last_ - first_, source_.title};
  bool skip_ = false;  // read by the child forked right after before_fork
  std::set<std::uint64_t> skipped_;
  std::uint64_t stopped_running_ = 0;  // cases a stop signal ended before they finished
  CampaignStop stop_;
  sim::Scenario next_;
};

}  // namespace

int run_campaign(const CheckOptions& o, const CaseSource& source, std::ostream& out, std::ostream& err) {
  return Campaign(o, source, out, err).run();
}

}  // namespace failsim::cli
