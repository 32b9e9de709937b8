// Read, analyse, write: every file to a temporary one first, then all
// renamed, so that a failure anywhere leaves the previous set as it was.
#include "write_reports.hpp"

#include <nlohmann/json.hpp>

#include "common/write_file.hpp"
#include "reports/analysis.hpp"
#include "reports/chrome_trace.hpp"
#include "reports/csv_files.hpp"
#include "reports/html_page.hpp"
#include "reports/run_data.hpp"

namespace failsim::reports {

std::vector<std::string> write_reports(const std::string& dir) {
  const RunData run = read_run_folder(dir);
  FileSet set(dir);
  std::vector<std::string> files{"report.json", "trace.json", "report.html"};
  try {
    const Analysis a = analyse(run);
    set.write("report.json", a.to_json().dump(1) + "\n");
    set.write("trace.json", chrome_trace(a).dump() + "\n");
    set.write("report.html", html_page(a));
    for (std::string& f : write_csv_files(a, set)) files.push_back(std::move(f));
  } catch (const nlohmann::json::exception& e) {
    // read_run_folder checks every field the reports read; should one slip
    // through, it is still bad input, never an abort.
    throw ReportInputError(dir + ": a malformed field: " + e.what());
  }
  set.commit();
  return files;
}

}  // namespace failsim::reports
