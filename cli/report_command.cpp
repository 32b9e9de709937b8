// The report command.
#include "report_command.hpp"

#include <ostream>

#include "common/write_file.hpp"
#include "reports/run_data.hpp"
#include "reports/write_reports.hpp"

namespace failsim::cli {

void add_report_command(CLI::App& app, ReportOptions& o) {
  CLI::App* report = app.add_subcommand("report", "Rebuild the reports of a run folder (HTML, JSON, CSV, trace)");
  report->add_option("dir", o.dir, "Run folder")->required();
}

int report_command(const ReportOptions& o, std::ostream& out, std::ostream& err) {
  try {
    const auto files = reports::write_reports(o.dir);
    out << "reports in " << o.dir << ":";
    for (const auto& f : files) out << " " << f;
    out << "\n";
    return 0;
  } catch (const reports::ReportInputError& e) {
    err << "failsim: " << e.what() << "\n";
    return 2;
  } catch (const WriteError& e) {
    err << "failsim: " << e.what() << "\n";
    return 2;
  }
}

}  // namespace failsim::cli
