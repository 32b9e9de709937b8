// The sweep command: read and check the sweep file, run its slice of the
// grid into a temporary folder, write the files, rename; or merge shards.
#include "sweep_command.hpp"

#include <iostream>

#include "run_command.hpp"
#include "common/build_info.hpp"
#include "common/fork_pool.hpp"
#include "sweep/point_stats.hpp"
#include "sweep/sweep_files.hpp"
#include "sweep/sweep_folder.hpp"
#include "sweep/sweep_merge.hpp"
#include "sweep/sweep_read.hpp"
#include "sweep/sweep_run.hpp"

namespace failsim::cli {

using namespace failsim::sweep;

void add_sweep_command(CLI::App& app, SweepOptions& o) {
  CLI::App* cmd = app.add_subcommand("sweep", "Run a scenario over a grid of parameters and seeds, or merge shards");
  cmd->add_option("file", o.file, "Sweep file (JSON; docs/sweeps.md)");
  cmd->add_option("--jobs", o.jobs, "Simulations at a time")->check(CLI::Range(1, 256))->capture_default_str();
  cmd->add_option("--out", o.out, "Sweep folder to write (default: sweeps/<name>, or sweeps/<name>.shard-K-of-N)");
  cmd->add_flag("--force", o.force, "Replace the sweep folder if it exists");
  cmd->add_option("--shard", o.shard, "Run only shard K of N: the runs i with i mod N = K-1");
  cmd->add_flag("--keep-runs", o.keep_runs, "Keep every run folder (default: only those of failing runs)");
  cmd->add_option("--merge", o.merge, "Join these shard folders into one sweep folder");
  cmd->add_option("--search-states", o.search_states,
                  "The checker's serialization search budget per namespace part (default 2000000)");
  add_wall_limit_option(*cmd);
}

namespace {

// "1 run", "2 runs".
std::string count(std::uint64_t n, const std::string& what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

// "K/N" with 1 <= K <= N.
std::optional<Shard> parse_shard(const std::string& text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  auto number = [](const std::string& s) -> std::optional<std::uint64_t> {
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    return std::stoull(s);
  };
  const auto k = number(text.substr(0, slash)), n = number(text.substr(slash + 1));
  if (!k || !n || *k < 1 || *k > *n) return std::nullopt;
  return Shard{*k, *n};
}

// The summary, the reproducing commands, the exit status: the same for a sweep and a merge.
int report(const SweepResult& r, const std::string& out) {
  std::size_t violated = 0, died = 0, undecided = 0;
  for (const Row& row : r.rows) {
    violated += row.verdict == "violated";
    died += row.verdict == "died";
    undecided += !row.undecided.empty();
  }
  std::cout << "\n" << markdown_table(r, point_stats(r)) << "\n";
  std::cout << "sweep " << r.sweep.name << (r.shard ? " shard " + r.shard->text() : "") << ": "
            << count(r.rows.size(), "run") << ", " << violated << " violated, " << died << " died, " << undecided
            << " undecided\n";
  std::cout << "sweep folder: " << out << "\n";
  for (const Row& row : r.rows)
    if (row.verdict != "ok")
      std::cout << "reproduce run " << row.index << ": failsim check " << out << "/"
                << run_folder_name(r.sweep, row.index) << "/scenario.json\n";
  return died ? 3 : violated ? 1 : 0;
}

int run_sweep(const SweepOptions& o) {
  const Sweep s = load_sweep_file(o.file);
  std::optional<Shard> shard;
  if (!o.shard.empty() && !(shard = parse_shard(o.shard))) {
    std::cerr << "failsim sweep: --shard " << o.shard << ": expected K/N with 1 <= K <= N, such as 2/8\n";
    return 2;
  }
  const std::string out = !o.out.empty() ? o.out
                          : shard        ? "sweeps/" + s.name + ".shard-" + std::to_string(shard->k) + "-of-" +
                                        std::to_string(shard->n)
                                         : "sweeps/" + s.name;
  FolderInProgress folder(out, o.force);
  std::vector<std::uint64_t> indices;
  for (std::uint64_t i = 0; i < s.runs(); ++i)
    if (!shard || shard->holds(i)) indices.push_back(i);
  std::cout << "sweep " << s.name << ": " << count(s.runs(), "run") << " (" << count(s.points(), "grid point") << " x "
            << count(s.seeds.size(), "seed") << ")";
  if (shard) std::cout << ", shard " << shard->text() << ": " << indices.size() << " of them";
  std::cout << ", " << o.jobs << " at a time\n";
  SweepResult r{.sweep = s, .shard = shard, .build = build_name()};
  r.rows = run_grid(s, indices, folder.path(),
                    {.jobs = o.jobs, .keep_runs = o.keep_runs, .search_states = o.search_states, .sweep_file = o.file},
                    std::cerr);
  write_sweep_files(r, folder.path());
  folder.commit();
  return report(r, out);
}

int merge(const SweepOptions& o) {
  const MergePlan plan = plan_merge(o.merge);
  const std::string out = o.out.empty() ? "sweeps/" + plan.result.sweep.name : o.out;
  FolderInProgress folder(out, o.force);
  copy_run_folders(plan, folder.path());
  write_sweep_files(plan.result, folder.path());
  folder.commit();
  return report(plan.result, out);
}

}  // namespace

int sweep_command(const SweepOptions& o) {
  if (o.merge.empty() == o.file.empty()) {
    std::cerr << "failsim sweep: expected a sweep file, or --merge with shard folders (not both)\n";
    return 2;
  }
  if (!o.merge.empty() && (!o.shard.empty() || o.keep_runs)) {
    std::cerr << "failsim sweep --merge: --shard and --keep-runs belong to the runs, not to the merge\n";
    return 2;
  }
  try {
    return o.merge.empty() ? run_sweep(o) : merge(o);
  } catch (const SweepError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  } catch (const ForkError& e) {
    std::cerr << "failsim sweep: " << e.what() << "\n";
    return 3;
  }
}

}  // namespace failsim::cli
