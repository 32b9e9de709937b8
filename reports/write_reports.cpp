// Read, analyse, write.
#include "write_reports.hpp"

#include "common/write_file.hpp"

#include "reports/analysis.hpp"
#include "reports/chrome_trace.hpp"
#include "reports/csv_files.hpp"
#include "reports/html_page.hpp"
#include "reports/run_data.hpp"

namespace failsim::reports {

namespace {

void write_text(const std::string& path, const std::string& text) { write_file(path, text); }

}  // namespace

std::vector<std::string> write_reports(const std::string& dir) {
  const RunData run = read_run_folder(dir);
  const Analysis a = analyse(run);
  std::vector<std::string> files{"report.json", "trace.json", "report.html"};
  write_text(dir + "/report.json", a.to_json().dump(1) + "\n");
  write_text(dir + "/trace.json", chrome_trace(a).dump() + "\n");
  write_text(dir + "/report.html", html_page(a));
  for (std::string& f : write_csv_files(a, dir)) files.push_back(std::move(f));
  return files;
}

}  // namespace failsim::reports
