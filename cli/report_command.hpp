// `failsim report DIR`: rebuilds the reports of a run folder (report.json,
// report.html, trace.json, the CSV series). Exit 0, or 2 when the folder is
// missing or malformed (the message names the file).
#pragma once

#include <CLI/CLI.hpp>

#include <iosfwd>
#include <string>

namespace failsim::cli {

struct ReportOptions {
  std::string dir;
};

void add_report_command(CLI::App& app, ReportOptions& options);
int report_command(const ReportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace failsim::cli
