// results.csv, and writing the three files.
#include "sweep/sweep_files.hpp"

#include <fstream>

#include "reports/format.hpp"
#include "sweep/sweep_html.hpp"
#include "sweep/sweep_read.hpp"

namespace failsim::sweep {

using nlohmann::json;

std::string results_csv(const SweepResult& r) {
  const Sweep& s = r.sweep;
  std::string out = "index,seed";
  for (const Parameter& p : s.parameters) out += "," + reports::csv_field(p.name);
  for (const Figure& f : s.figures) out += "," + reports::csv_field(f.column);
  out += ",verdict,violations,undecided\n";
  // null (no such figure in that run) is an empty cell; numbers in full precision.
  auto cell = [](const json& v) { return v.is_null() ? std::string() : reports::csv_field(value_text(v)); };
  for (const Row& row : r.rows) {
    out += std::to_string(row.index) + "," + std::to_string(row.seed);
    for (const json& v : row.values) out += "," + cell(v);
    for (const json& v : row.figures) out += "," + cell(v);
    out += "," + row.verdict + "," + std::to_string(row.violations.size()) + "," + std::to_string(row.undecided.size()) +
           "\n";
  }
  return out;
}

void write_sweep_files(const SweepResult& r, const std::string& dir) {
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream out(dir + "/" + name, std::ios::binary);
    out << text;
    if (!out.flush()) throw SweepError({dir + "/" + name + ": cannot be written"});
  };
  write("sweep.json", r.to_json().dump(1) + "\n");
  write("results.csv", results_csv(r));
  write("sweep.html", sweep_html(r));
}

}  // namespace failsim::sweep
