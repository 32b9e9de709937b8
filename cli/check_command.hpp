// `failsim check DIR` judges an existing run folder (writes verdict.json);
// `failsim check FILE [--seed N] [--out DIR] [--force]` runs a scenario file
// into a run folder and judges it; `failsim check --random N [--seed S]
// [--jobs J] ...` runs N generated scenarios and judges each
// (--out-of-envelope: cases that must show a loss); `failsim check FILE
// --exhaustive` a case per point the scenario's run reaches. Exit statuses: see
// cli/exit_status.hpp (0 held, 1 violated, 2 bad input, 3 failsim failed or
// the wall-clock limit, 4 undecided).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "sim/scenario/scenario.hpp"

namespace failsim::cli {

inline constexpr std::uint64_t default_max_points = 2000;

struct CheckOptions {
  CLI::App* command = nullptr;  // to tell which options were given
  std::string target;
  std::uint64_t random = 0;
  std::uint64_t seed = 1;
  CLI::Option* seed_option = nullptr;  // given on the command line?
  int jobs = 1;
  std::optional<std::uint64_t> only_case;
  std::string keep_dir;
  bool shrink = true;
  bool out_of_envelope = false;  // generate cases that must report a loss
  bool allow_undecided = false;  // undecided counts as passed (exit 0)
  std::uint64_t search_states = 0;  // the checker's search budget per part (0: its default)
  std::string out;                  // FILE: the run folder to write
  bool force = false;               // FILE: replace an existing run folder
  std::string report_dir;           // campaign: campaign.json and junit.xml go here
  std::optional<double> time_budget_s;  // campaign: no new case starts after this many seconds
  bool exhaustive = false;              // FILE: one case per point its run reaches (cli/exhaustive.hpp)
  std::uint64_t max_points = default_max_points;  // --exhaustive: at most this many cases
};

void add_check_command(CLI::App& app, CheckOptions& options);
std::uint64_t search_budget(const CheckOptions& options);
// The scenario file `target`, with --seed when given; nullopt when it is bad
// input (its problems printed).
std::optional<sim::Scenario> load_target_scenario(const CheckOptions& options);
int check_command(const CheckOptions& options);

}  // namespace failsim::cli
