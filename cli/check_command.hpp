// `failsim check DIR`: judges an existing run folder. Writes verdict.json in
// the folder and a short report; exit 0 when every property holds, 1 on a
// violation, 2 on bad input.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace failsim::cli {

struct CheckOptions {
  std::string target;
};

void add_check_command(CLI::App& app, CheckOptions& options);
int check_command(const CheckOptions& options);

}  // namespace failsim::cli
