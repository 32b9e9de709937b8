// `failsim check DIR` judges an existing run folder (writes verdict.json);
// `failsim check --random N [--seed S] [--jobs J]` runs N generated
// scenarios and judges each (--out-of-envelope: cases that must show a loss). Exit 0 when every property holds, 1 on a
// violation, 2 on bad input.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace failsim::cli {

struct CheckOptions {
  std::string target;
  std::uint64_t random = 0;
  std::uint64_t seed = 1;
  CLI::Option* seed_option = nullptr;  // given on the command line?
  int jobs = 1;
  std::optional<std::uint64_t> only_case;
  std::string keep_dir;
  bool shrink = true;
  bool out_of_envelope = false;  // generate cases that must report a loss
  std::uint64_t search_states = 0;  // the checker's search budget per part (0: its default)
};

void add_check_command(CLI::App& app, CheckOptions& options);
std::uint64_t search_budget(const CheckOptions& options);
int check_command(const CheckOptions& options);

}  // namespace failsim::cli
