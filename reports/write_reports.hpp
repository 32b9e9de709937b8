// Writes every report of a run folder into it: report.json, report.html,
// trace.json and the CSV series. The same folder always gives the same bytes.
#pragma once

#include <string>
#include <vector>

namespace failsim::reports {

// Returns the names of the files written. Throws ReportInputError when the
// folder is missing or malformed, WriteError when a file cannot be written.
std::vector<std::string> write_reports(const std::string& dir);

}  // namespace failsim::reports
