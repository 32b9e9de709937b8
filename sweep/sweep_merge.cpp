// Reading the shards, checking that they fit together, joining their rows.
#include "sweep/sweep_merge.hpp"

#include <algorithm>
#include <filesystem>
#include <map>

#include "sweep/copy_tree.hpp"
#include "sweep/sweep_read.hpp"

namespace failsim::sweep {

namespace fs = std::filesystem;

namespace {

// Why the shard in `dir` may not join the first one (in `first_dir`) by
// build, "" when it may. The digest covers the sweep, not the binary: only
// one build gives the bytes of one unsharded run, and a result should name
// the one build that produced it. A shard with no recorded build (written by
// a failsim before builds were recorded) cannot show that it is of the same
// build, so it is refused too.
std::string build_problem(const SweepResult& s, const std::string& dir, const SweepResult& first,
                          const std::string& first_dir) {
  if (!s.build)
    return dir + ": its sweep.json records no build (written by a failsim before builds were recorded): "
                 "expected shards that name the failsim that ran them; run this shard again";
  if (first.build && *s.build != *first.build)
    return dir + ": run by " + *s.build + ", but " + first_dir + " by " + *first.build +
           ": expected shards of one failsim build";
  return "";
}

}  // namespace

MergePlan plan_merge(const std::vector<std::string>& dirs) {
  if (dirs.empty()) throw SweepError({"failsim sweep --merge: expected one or more shard folders"});
  std::vector<SweepResult> shards;
  for (const std::string& d : dirs) shards.push_back(read_sweep_folder(d));
  std::vector<std::string> problems;
  const SweepResult& first = shards.front();
  const Shard first_shard = first.shard.value_or(Shard{});
  std::map<std::uint64_t, std::string> by_k;
  for (std::size_t i = 0; i < shards.size(); ++i) {
    const SweepResult& s = shards[i];
    const Shard sh = s.shard.value_or(Shard{});  // a whole sweep is shard 1/1
    if (s.sweep.digest() != first.sweep.digest()) {
      problems.push_back(dirs[i] + ": a shard of another sweep (\"" + s.sweep.name + "\", digest " +
                         s.sweep.digest().substr(0, 12) + ") than " + dirs[0] + " (\"" + first.sweep.name +
                         "\", digest " + first.sweep.digest().substr(0, 12) + ")");
      continue;
    }
    if (const std::string why = build_problem(s, dirs[i], first, dirs[0]); !why.empty()) {
      problems.push_back(why);
      continue;
    }
    if (sh.n != first_shard.n) {
      problems.push_back(dirs[i] + ": shard " + sh.text() + ", but " + dirs[0] + " is shard " + first_shard.text() +
                         ": expected shards of one split");
      continue;
    }
    if (auto [it, fresh] = by_k.emplace(sh.k, dirs[i]); !fresh) {
      problems.push_back(dirs[i] + ": shard " + sh.text() + " again (" + it->second + " is shard " + sh.text() +
                         "): expected each shard once");
      continue;
    }
    for (const Row& row : s.rows)
      if (!sh.holds(row.index)) {
        problems.push_back(dirs[i] + ": holds run " + std::to_string(row.index) + ", which is not in shard " + sh.text());
        break;
      }
  }
  if (problems.empty())
    for (std::uint64_t k = 1; k <= first_shard.n; ++k)
      if (!by_k.count(k))
        problems.push_back("failsim sweep --merge: shard " + std::to_string(k) + "/" + std::to_string(first_shard.n) +
                           " is missing: expected every shard from 1/" + std::to_string(first_shard.n) + " to " +
                           std::to_string(first_shard.n) + "/" + std::to_string(first_shard.n));
  if (!problems.empty()) throw SweepError(problems);

  MergePlan plan;
  plan.result.sweep = first.sweep;
  plan.result.build = first.build;  // one build, checked above
  std::vector<bool> seen(first.sweep.runs());
  for (std::size_t i = 0; i < shards.size(); ++i)
    for (const Row& row : shards[i].rows) {
      if (seen[row.index]) problems.push_back(dirs[i] + ": run " + std::to_string(row.index) + " is there twice");
      seen[row.index] = true;
      if (row.kept) {
        const std::string name = run_folder_name(first.sweep, row.index);
        const fs::path from = fs::path(dirs[i]) / name;
        if (!fs::is_directory(from)) problems.push_back(from.string() + ": missing, though sweep.json lists it");
        plan.run_folders.emplace_back(from.string(), name);
      }
      plan.result.rows.push_back(row);
    }
  for (std::uint64_t run = 0; run < seen.size() && problems.size() < 20; ++run)
    if (!seen[run]) problems.push_back("failsim sweep --merge: run " + std::to_string(run) + " is in no shard folder");
  if (!problems.empty()) throw SweepError(problems);
  std::sort(plan.result.rows.begin(), plan.result.rows.end(),
            [](const Row& a, const Row& b) { return a.index < b.index; });
  return plan;
}

void copy_run_folders(const MergePlan& plan, const std::string& into) {
  for (const auto& [from, name] : plan.run_folders) {
    const fs::path to = fs::path(into) / name;
    std::error_code ec;
    fs::create_directories(to.parent_path(), ec);
    copy_regular_tree(from, to.string());
  }
}

}  // namespace failsim::sweep
