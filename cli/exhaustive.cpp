// `failsim check FILE --exhaustive` (exhaustive.hpp): the scenario's own run
// counts its points, then a campaign runs one case per point.
#include "exhaustive.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "campaign.hpp"
#include "checker/judge.hpp"
#include "common/fork_pool.hpp"
#include "common/temp_folder.hpp"
#include "common/wall_limit.hpp"
#include "exit_status.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// One case: the point fault of `kind` at the node's k-th point.
struct PointCase {
  int node = 0;
  sim::FaultKind kind{};
  std::uint64_t k = 0;
};

// The scenario's own run: how it ended, and the points it reached.
struct BaseRun {
  int code = exit_internal;  // the child's exit code
  checker::Outcome outcome = checker::Outcome::held;
  std::string failure;  // the verdict's violations and undecided parts, one per line
  sim::PointsReached points;
};

// In a forked child, as every simulation: SimGrid keeps one engine per process.
BaseRun run_base(const sim::Scenario& s, std::uint64_t search_states) {
  const std::string work = make_work_folder("failsim-exhaustive");
  const fs::path result_file = fs::path(work) / "base.json";
  BaseRun base;
  run_forked({0}, {.in_child =
                       [&](std::uint64_t) {
                         const fs::path dir = fs::path(work) / "base";
                         fs::create_directories(dir);
                         std::ostringstream text;
                         sim::PointsReached points;
                         sim::run_simulation(s, dir.string(), text, &points);
                         const checker::Verdict v = checker::judge_run_folder(dir.string(), search_states);
                         std::string failure;
                         for (const auto& x : v.violations) failure += x.property + ": " + x.detail + "\n";
                         for (const auto& part : v.undecided) failure += "undecided: " + part + "\n";
                         std::ofstream(result_file)
                             << json{{"outcome", static_cast<int>(v.outcome())}, {"failure", failure},
                                     {"points", points.count}}.dump()
                             << "\n";
                         return exit_status_of(v.outcome());
                       },
                   .on_exit = [&](std::uint64_t, int code) { base.code = code; }});
  if (std::ifstream in(result_file); in && (base.code == exit_held || base.code == exit_violated ||
                                            base.code == exit_undecided)) {
    const json r = json::parse(in);
    base.outcome = static_cast<checker::Outcome>(r["outcome"].get<int>());
    base.failure = r["failure"];
    base.points.count = r["points"];
  } else if (base.code == exit_held) {
    base.code = exit_internal;  // no result: failsim failed
  }
  remove_temp_folder(work);
  return base;
}

// Every point each node reached, node by node, kind by kind, k ascending.
std::vector<PointCase> every_point(const sim::PointsReached& points) {
  std::vector<PointCase> all;
  for (int n = 0; n < 2; ++n)
    for (const sim::FaultKindInfo& info : sim::fault_kind_table)
      if (info.timing == sim::FaultTiming::point)
        for (std::uint64_t k = 1; k <= points.count[n][static_cast<std::size_t>(info.kind)]; ++k)
          all.push_back({n, info.kind, k});
  return all;
}

// At most `bound` of them, spread evenly when there are more: every kind and
// every stretch of the run keeps its share.
std::vector<PointCase> bounded(const std::vector<PointCase>& all, std::uint64_t bound) {
  if (all.size() <= bound) return all;
  std::vector<PointCase> some;
  for (std::uint64_t i = 0; i < bound; ++i) some.push_back(all[i * all.size() / bound]);
  return some;
}

void print_points(const sim::Scenario& s, const sim::PointsReached& points, std::ostream& out) {
  for (int n = 0; n < 2; ++n) {
    out << "  " << s.cluster.nodes[n] << ":";
    const char* sep = " ";
    for (const sim::FaultKindInfo& info : sim::fault_kind_table)
      if (info.timing == sim::FaultTiming::point) {
        out << sep << info.name << " " << points.count[n][static_cast<std::size_t>(info.kind)];
        sep = ", ";
      }
    out << "\n";
  }
}

}  // namespace

int exhaustive_check(const CheckOptions& o) {
  const std::optional<sim::Scenario> loaded = load_target_scenario(o);
  if (!loaded) return exit_bad_input;
  const sim::Scenario& base = *loaded;

  const BaseRun run = run_base(base, search_budget(o));
  if (run.code != exit_held && run.code != exit_violated && run.code != exit_undecided) {
    std::cerr << "failsim: the scenario's own run " << child_end(run.code) << "\n";
    return exit_internal;
  }
  std::string rerun = "failsim check " + o.target + " --exhaustive";
  if (o.seed_option->count() > 0) rerun += " --seed " + std::to_string(o.seed);
  if (o.max_points != default_max_points) rerun += " --max-points " + std::to_string(o.max_points);
  if (run.outcome != checker::Outcome::held && !(run.outcome == checker::Outcome::undecided && o.allow_undecided)) {
    // Its points are not worth enumerating: the scenario fails without them.
    std::cout << run.failure << "exhaustive: the scenario fails without any point fault; reproduce: failsim check "
              << o.target << (o.seed_option->count() > 0 ? " --seed " + std::to_string(o.seed) : "") << "\n"
              << "VERDICT: " << (run.outcome == checker::Outcome::violated ? "VIOLATED" : "UNDECIDED") << "\n";
    return exit_status_of(run.outcome);
  }

  // A node a point fault crashes is down until the settle phase, then boots:
  // a settle phase shorter than two boots ends most cases unserved.
  if (base.phases.settle_s < 2 * base.server.boot_time_s)
    std::cout << "warning: phases.settle_s (" << base.phases.settle_s << " s) is under twice server.boot_time_s ("
              << base.server.boot_time_s << " s): a node crashed at a point boots at the settle phase, and may "
              << "not serve again before the run ends\n";
  const std::vector<PointCase> all = every_point(run.points);
  const std::vector<PointCase> cases = bounded(all, o.max_points);
  std::cout << "exhaustive: " << o.target << ": its fault phase reached " << all.size() << " points\n";
  print_points(base, run.points, std::cout);
  if (cases.size() < all.size())
    std::cout << "bounded: " << cases.size() << " of them, spread evenly (--max-points " << o.max_points << ")\n";
  if (o.only_case && *o.only_case >= cases.size()) {
    std::cerr << "failsim: --case " << *o.only_case << ": the enumeration has "
              << (cases.empty() ? "no cases" : "cases 0 to " + std::to_string(cases.size() - 1)) << "\n";
    return exit_bad_input;
  }
  if (cases.empty()) {  // no change, no CP: nothing to crash at
    std::cout << "exhaustive: nothing to enumerate\nVERDICT: OK\n";
    return exit_held;
  }

  auto scenario_of = [&](std::uint64_t i) {
    const PointCase& p = cases.at(i);
    sim::Scenario s = base;
    const std::string& node = s.cluster.nodes[p.node];
    s.faults.push_back(sim::point_fault(p.kind, node, p.k));
    s.name += "-point" + std::to_string(i);
    s.description = std::string(sim::to_string(p.kind)) + " at " + node + "'s point " + std::to_string(p.k) +
                    ", added to " + o.target + ": " + rerun + " --case " + std::to_string(i);
    // What the scenario expects of a takeover (that one happens, how long it
    // and an outage may take) is about its own faults; a second one changes
    // it. Every property, and what the scenario says may be lost, stays.
    s.expect.takeover.reset();
    s.expect.max_takeover_s.reset();
    s.expect.max_outage_s.reset();
    return s;
  };
  // A point fault the scenario cannot take (a check of the scenario's)
  // would fail every case alike: said once, before any runs.
  for (std::size_t i = 0; i < cases.size(); ++i) {
    try {
      sim::parse_scenario(sim::to_json(scenario_of(i)).dump(), o.target + " with a " +
                                                                   std::string(sim::to_string(cases[i].kind)));
    } catch (const sim::ScenarioError& e) {
      std::cerr << e.what() << "\n";
      return exit_bad_input;
    }
  }

  CaseSource source;
  source.title = "exhaustive points";
  source.about = o.target + ", " + std::to_string(cases.size()) + " of " + std::to_string(all.size()) + " points";
  source.count = cases.size();
  source.scenario = scenario_of;
  source.rerun = rerun;
  for (const sim::FaultKindInfo& info : sim::fault_kind_table)
    if (info.timing == sim::FaultTiming::point) source.fault_kinds.emplace_back(info.name);
  source.exhaustive = o.target;
  return run_campaign(o, source, std::cout, std::cerr);
}

}  // namespace failsim::cli
