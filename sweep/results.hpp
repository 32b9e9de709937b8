// The results of a sweep (or of one shard of it): one row per run, and
// sweep.json, which holds the resolved sweep and every row, so that shard
// folders can be merged and every other file rebuilt from it alone.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sweep/sweep.hpp"

namespace failsim::sweep {

struct Row {
  std::uint64_t index = 0, seed = 0;
  std::vector<nlohmann::json> values;   // parameter values, in parameter order
  std::vector<nlohmann::json> figures;  // in figure order; null where the run's file has none
  std::string verdict;                  // "ok", "violated" or "died" (the simulation or the checker died)
  nlohmann::json violations = nlohmann::json::array();  // [{"property", "detail"}]
  std::vector<std::string> undecided;   // parts the checker could neither prove nor refute
  bool kept = false;                    // its run folder is in the sweep folder
};

// Shard K of N holds the runs i with i % N == K - 1.
struct Shard {
  std::uint64_t k = 1, n = 1;
  bool holds(std::uint64_t run) const { return run % n == k - 1; }
  std::string text() const { return std::to_string(k) + "/" + std::to_string(n); }
};

struct SweepResult {
  Sweep sweep;
  std::optional<Shard> shard;  // none: the whole grid
  // The failsim that ran the runs (common/build_info.hpp); none: a sweep.json
  // written before builds were recorded.
  std::optional<std::string> build;
  std::vector<Row> rows;       // in index order
  nlohmann::json to_json() const;  // sweep.json
};

// "runs/0042": the run folder of run i inside a sweep folder (digits enough for every run).
std::string run_folder_name(const Sweep& s, std::uint64_t run);

// Reads DIR/sweep.json back. Throws SweepError naming the file when it is
// missing or malformed, or its rows do not belong to its sweep.
SweepResult read_sweep_folder(const std::string& dir);

}  // namespace failsim::sweep
