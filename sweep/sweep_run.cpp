// The child's work (simulate, judge, report, pick the figures) and the
// parent's (collect the row, keep or drop the run folder).
#include "sweep/sweep_run.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include "checker/judge.hpp"
#include "common/fork_pool.hpp"
#include "common/progress.hpp"
#include "common/wall_limit.hpp"
#include "reports/write_reports.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_json.hpp"
#include "sweep/sweep_read.hpp"

namespace failsim::sweep {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json read_json(const fs::path& file) {
  std::ifstream in(file);
  return json::parse(in);
}

fs::path row_file(const fs::path& work, std::uint64_t i) { return work / ("row-" + std::to_string(i) + ".json"); }

// In the child: the whole life of one run. Returns 0 when every property held, 1 otherwise.
int run_one(const Sweep& s, std::uint64_t i, const fs::path& work, std::uint64_t search_states) {
  const fs::path dir = work / std::to_string(i);
  fs::create_directories(dir);
  // The reader checked every grid point before anything ran: a refusal here is failsim's own fault.
  const sim::Scenario scenario = sim::parse_scenario(s.scenario_json(i).dump(), "grid run " + std::to_string(i));
  std::ostringstream text;
  sim::run_simulation(scenario, dir.string(), text);
  const checker::Verdict v =
      checker::judge_run_folder(dir.string(), search_states ? search_states : checker::default_search_states);
  std::ofstream(dir / "verdict.json") << v.to_json().dump(1) << "\n";
  reports::write_reports(dir.string());  // after the verdict, so report.json and the page show it

  const json report = read_json(dir / "report.json"), verdict = read_json(dir / "verdict.json");
  json figures = json::array();
  for (const Figure& f : s.figures) {
    const json& from = f.file == "verdict.json" ? verdict : report;
    const json::json_pointer ptr(f.pointer);
    bool present = false;
    try {
      present = from.contains(ptr);
    } catch (const json::exception&) {  // a word where the run has an array
    }
    figures.push_back(present ? from.at(ptr) : json(nullptr));  // absent: this run has none (no takeover, say)
  }
  const json row{{"figures", figures}, {"verdict", v.violations.empty() ? "ok" : "violated"},
                 {"violations", v.to_json()["violations"]}, {"undecided", v.undecided}};
  std::ofstream(row_file(work, i)) << row.dump() << "\n";
  return v.violations.empty() ? 0 : 1;  // a sweep reports undecided runs in their row, as before
}

}  // namespace

std::vector<Row> run_grid(const Sweep& s, const std::vector<std::uint64_t>& indices, const std::string& folder,
                          const RunOptions& o, std::ostream& err) {
  const fs::path work = fs::path(folder) / "work";
  fs::create_directories(work);
  std::vector<Row> rows;
  std::vector<std::string> problems;
  std::vector<bool> figure_refused(s.figures.size());  // one problem per figure, not one per run
  std::uint64_t failing = 0;
  Progress progress(err, ::isatty(2), indices.size(), "runs");

  auto on_exit = [&](std::uint64_t i, int code) {
    Row row{.index = i, .seed = s.seed_of_run(i), .values = s.values_of_run(i)};
    const fs::path dir = work / std::to_string(i), kept = fs::path(folder) / run_folder_name(s, i);
    std::error_code ec;
    if (code > 1 || !fs::exists(row_file(work, i))) {
      // Died: keep the scenario alone, so that one command reproduces it.
      row.verdict = "died";
      row.figures.assign(s.figures.size(), nullptr);
      fs::remove_all(dir, ec);
      fs::create_directories(kept);
      std::ofstream(kept / "scenario.json") << s.scenario_json(i).dump(1) << "\n";
      row.kept = true;
      progress.interrupt() << s.run_label(i) << ": the simulation "
                           << (code > 1 ? child_end(code) : "left no result") << "\n";
    } else {
      const json r = read_json(row_file(work, i));
      fs::remove(row_file(work, i), ec);
      row.verdict = r["verdict"].get<std::string>();
      row.violations = r["violations"];
      row.undecided = r["undecided"].get<std::vector<std::string>>();
      for (std::size_t k = 0; k < s.figures.size(); ++k) {
        const json& v = r["figures"][k];
        if (v.is_structured() && !figure_refused[k]) {
          figure_refused[k] = true;
          const Figure& f = s.figures[k];
          problems.push_back(o.sweep_file + ": $.figures[" + std::to_string(k) + "]." +
                             (f.file == "report.json" ? "report" : "verdict") + ": " + f.file + " of run " +
                             std::to_string(i) + " has " + (v.is_object() ? "an object" : "an array") + " at " +
                             f.pointer + ", expected a number, a string or a boolean");
        }
        row.figures.push_back(v.is_structured() ? json(nullptr) : v);
      }
      if (!row.undecided.empty()) {
        progress.interrupt() << s.run_label(i) << ": UNDECIDED";
        for (const std::string& part : row.undecided) err << "\n  " << part;
        err << "\n";
      }
      if (row.verdict != "ok") {
        progress.interrupt() << s.run_label(i) << ": VIOLATED";
        for (const json& x : row.violations)
          err << "\n  " << x["property"].get<std::string>() << ": " << x["detail"].get<std::string>();
        err << "\n";
      }
      if (row.verdict != "ok" || o.keep_runs) {
        fs::create_directories(kept.parent_path());
        fs::rename(dir, kept, ec);
        row.kept = !ec;
      } else {
        fs::remove_all(dir, ec);
      }
    }
    if (row.verdict != "ok") ++failing;
    rows.push_back(std::move(row));
    progress.update(rows.size(), failing);
  };
  run_forked(indices, {.jobs = o.jobs,
                       .in_child = [&](std::uint64_t i) { return run_one(s, i, work, o.search_states); },
                       .on_exit = on_exit});
  progress.finish();
  std::error_code ec;
  fs::remove_all(work, ec);
  if (!problems.empty()) throw SweepError(problems);
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.index < b.index; });
  return rows;
}

}  // namespace failsim::sweep
