// Grouping rows by grid point (index / seeds) and summing up each figure.
#include "sweep/point_stats.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "reports/format.hpp"

namespace failsim::sweep {

using nlohmann::json;

std::vector<PointStats> point_stats(const SweepResult& r) {
  const Sweep& s = r.sweep;
  std::map<std::uint64_t, std::vector<const Row*>> by_point;
  for (const Row& row : r.rows) by_point[row.index / s.seeds.size()].push_back(&row);
  std::vector<PointStats> out;
  for (const auto& [point, rows] : by_point) {
    PointStats p{.point = point, .first_run = rows.front()->index, .values = rows.front()->values};
    p.runs = rows.size();
    for (const Row* row : rows) p.failing += row->verdict != "ok";
    for (std::size_t k = 0; k < s.figures.size(); ++k) {
      Stat st;
      double sum = 0;
      for (const Row* row : rows) {
        const json& v = row->figures[k];
        if (!v.is_number() && !v.is_boolean()) continue;
        const double x = v.is_boolean() ? (v.get<bool>() ? 1.0 : 0.0) : v.get<double>();
        st.min = st.n ? std::min(st.min, x) : x;
        st.max = st.n ? std::max(st.max, x) : x;
        sum += x;
        ++st.n;
      }
      if (st.n) st.mean = sum / static_cast<double>(st.n);
      p.figures.push_back(st);
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::string number_text(double v) {
  const double a = std::fabs(v);
  if (a == 0) return "0";
  if (v == std::floor(v) && a < 1e15) return reports::fixed(v, 0);  // counts stay counts
  const int decimals = std::clamp(3 - static_cast<int>(std::floor(std::log10(a))), 0, 9);
  return reports::fixed(v, decimals);
}

std::string stat_text(const Stat& s) {
  if (s.n == 0) return "-";
  if (number_text(s.min) == number_text(s.max)) return number_text(s.mean);  // agree to the digits shown
  return number_text(s.mean) + " [" + number_text(s.min) + ", " + number_text(s.max) + "]";
}

std::string markdown_table(const SweepResult& r, const std::vector<PointStats>& stats) {
  const Sweep& s = r.sweep;
  // A value with a | would end its cell early.
  auto cell = [](std::string t) {
    for (std::size_t at = 0; (at = t.find('|', at)) != std::string::npos; at += 2) t.replace(at, 1, "\\|");
    return t;
  };
  std::string head = "|", rule = "|";
  for (const Parameter& p : s.parameters) head += " " + cell(p.name) + " |", rule += " --- |";
  for (const Figure& f : s.figures) head += " " + cell(f.column) + " |", rule += " ---: |";
  head += " runs (failing) |\n";
  rule += " ---: |\n";
  std::string body;
  for (const PointStats& p : stats) {
    body += "|";
    for (const json& v : p.values) body += " " + cell(value_text(v)) + " |";
    for (const Stat& st : p.figures) body += " " + stat_text(st) + " |";
    body += " " + std::to_string(p.runs) + " (" + std::to_string(p.failing) + ") |\n";
  }
  return head + rule + body;
}

}  // namespace failsim::sweep
