// The page, its verdict box, chart sections and tables.
#include "sweep/sweep_html.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "reports/format.hpp"
#include "reports/html_parts.hpp"
#include "reports/svg_chart.hpp"
#include "sweep/point_stats.hpp"

namespace failsim::sweep {

namespace html = reports::html;
using nlohmann::json;
using reports::html_escape;

namespace {

std::string cell_text(const json& v) {
  if (v.is_null()) return "";
  return v.is_number() ? number_text(v.get<double>()) : value_text(v);
}

std::string header(const SweepResult& r) {
  const Sweep& s = r.sweep;
  std::string h = "<header><h1>failsim sweep: " + html_escape(s.name) + "</h1>";
  if (!s.description.empty()) h += "<p class=\"desc\">" + html_escape(s.description) + "</p>";
  h += "<p class=\"meta\">base scenario " + html_escape(s.base.value("name", "")) + " - " + std::to_string(s.runs()) +
       " runs: " + std::to_string(s.points()) + " grid points x " + std::to_string(s.seeds.size()) + " seeds";
  if (r.shard)
    h += " - shard " + r.shard->text() + ": " + std::to_string(r.rows.size()) + " of the " + std::to_string(s.runs()) +
         " runs";
  h += "</p>";
  for (const Parameter& p : s.parameters) {
    std::string values;
    for (const json& v : p.values) values += (values.empty() ? "" : ", ") + value_text(v);
    h += "<p class=\"meta\">" + html_escape(p.name) + " (<code>" + html_escape(p.path) + "</code>): " +
         html_escape(values) + "</p>";
  }
  return h + "</header>\n";
}

std::string verdict_box(const SweepResult& r) {
  std::size_t failing = 0, undecided = 0;
  std::string items;
  for (const Row& row : r.rows) {
    undecided += !row.undecided.empty();
    if (row.verdict == "ok") continue;
    ++failing;
    std::string item =
        r.sweep.run_label(row.index) + ": " + (row.verdict == "died" ? "the simulation died" : "violated");
    // The first violation says what broke; the rest are in sweep.json and the run folder.
    if (!row.violations.empty()) {
      const json& x = row.violations[0];
      item += ": " + x.value("property", "") + ": " + x.value("detail", "");
      if (row.violations.size() > 1) item += " (and " + std::to_string(row.violations.size() - 1) + " more)";
    }
    if (row.kept) item += " - " + run_folder_name(r.sweep, row.index);
    items += "<li>" + html_escape(item) + "</li>";
  }
  const std::string runs = std::to_string(r.rows.size());
  std::string box = failing == 0 ? "<div class=\"verdict ok\">VERDICT: every property held in all " + runs + " runs"
                                 : "<div class=\"verdict bad\">VERDICT: VIOLATED in " + std::to_string(failing) +
                                       " of " + runs + " runs";
  if (undecided) box += " - " + std::to_string(undecided) + " with parts the checker left undecided";
  if (!items.empty()) box += "<ul>" + items + "</ul>";
  return box + "</div>\n";
}

// A chart's points: panel (value indices of the parameters that are neither
// x nor series) -> series value index -> x value index -> stat; and the
// range of the figure over all of them.
struct Panels {
  std::map<std::vector<std::size_t>, std::map<std::size_t, std::map<std::size_t, const PointStats*>>> by_panel;
  double lo = 0, hi = 0;
};

Panels gather_panels(const Sweep& s, const std::vector<PointStats>& stats, std::size_t xk, std::size_t sk,
                     std::size_t fig) {
  Panels out;
  bool any = false;
  for (const PointStats& p : stats) {
    const auto idx = s.value_indices(p.point);
    std::vector<std::size_t> panel;
    for (std::size_t k = 0; k < idx.size(); ++k)
      if (k != xk && k != sk) panel.push_back(idx[k]);
    out.by_panel[panel][sk < idx.size() ? idx[sk] : 0][idx[xk]] = &p;
    const Stat& st = p.figures[fig];
    if (!st.n) continue;
    out.lo = any ? std::min(out.lo, st.min) : st.min;
    out.hi = any ? std::max(out.hi, st.max) : st.max;
    any = true;
  }
  return out;
}

// One series of a panel: its band and mean line on the chart, a row per x
// value in the table (with the series value, when there is one).
void draw_series(reports::SvgChart& chart, const std::string& color, const std::optional<std::string>& series_value,
                 const std::map<std::size_t, const PointStats*>& by_x, std::size_t fig, const Parameter& xp,
                 const std::vector<double>& xs, std::vector<std::vector<std::string>>& rows) {
  // In increasing x, so the line does not fold back.
  std::vector<std::pair<double, const Stat*>> pts;
  for (const auto& [xi, p] : by_x) {
    const Stat& st = p->figures[fig];
    std::vector<std::string> row{value_text(xp.values[xi])};
    if (series_value) row.push_back(*series_value);
    row.insert(row.end(), {std::to_string(st.n), st.n ? number_text(st.mean) : "-", st.n ? number_text(st.min) : "-",
                           st.n ? number_text(st.max) : "-"});
    rows.push_back(std::move(row));
    if (st.n) pts.emplace_back(xs[xi], &st);
  }
  std::sort(pts.begin(), pts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  html::Points mean, low, high;
  for (const auto& [x, st] : pts) {
    mean.emplace_back(x, st->mean);
    low.emplace_back(x, st->min);
    high.emplace_back(x, st->max);
  }
  chart.area(low, high, color);
  chart.line(mean, color, 2);
  chart.dots(mean, color, 3);
}

// One chart: a panel per combination of the parameters that are neither x nor series.
std::string chart_section(const SweepResult& r, const std::vector<PointStats>& stats, const Chart& c, std::size_t n) {
  const Sweep& s = r.sweep;
  const auto index_of = [&](const std::string& name) {
    for (std::size_t k = 0; k < s.parameters.size(); ++k)
      if (s.parameters[k].name == name) return k;
    return s.parameters.size();
  };
  const std::size_t xk = index_of(c.x), sk = index_of(c.series);
  std::size_t fig = 0;
  while (s.figures[fig].column != c.y) ++fig;
  const Parameter& xp = s.parameters[xk];
  const bool numeric_x = std::all_of(xp.values.begin(), xp.values.end(), [](const json& v) { return v.is_number(); });
  const bool log_x = numeric_x && c.log_x;  // the reader allows it only for positive numbers
  std::vector<double> xs;  // where each x value sits: itself, or (a word) its index
  for (std::size_t xi = 0; xi < xp.values.size(); ++xi)
    xs.push_back(numeric_x ? xp.values[xi].get<double>() : static_cast<double>(xi));
  auto x_of = [&](std::size_t xi) { return xs[xi]; };

  const Panels panels = gather_panels(s, stats, xk, sk, fig);
  const double lo = panels.lo, hi = panels.hi;
  // From zero when the figure is never negative: heights compare honestly.
  const double y_min = lo >= 0 ? 0 : lo - (hi - lo) * 0.08, y_max = hi + (hi - std::min(lo, 0.0)) * 0.08;
  double x_min = *std::min_element(xs.begin(), xs.end()), x_max = *std::max_element(xs.begin(), xs.end());
  // Room beside the first and last value for their labels.
  if (!numeric_x) x_min -= 0.5, x_max += 0.5;
  if (log_x && x_max > x_min) {
    const double pad = std::pow(x_max / x_min, 0.06);
    x_min /= pad, x_max *= pad;
  }

  std::string pictures, numbers;
  for (const auto& [panel, series] : panels.by_panel) {
    const PointStats* any_point = series.begin()->second.begin()->second;
    std::vector<std::string> shown{c.x};
    if (!c.series.empty()) shown.push_back(c.series);
    const std::string panel_label = s.point_label(any_point->first_run, shown);
    reports::SvgChart chart(html::kChartWidth_px, 260, {x_min, x_max, log_x, c.x}, {y_min, y_max, false, c.y});
    // Words, and values on a log axis (whose ticks would be bare decades), are labelled where they are.
    chart.axes(numeric_x && !log_x, true);
    if (!numeric_x || log_x)
      for (std::size_t xi = 0; xi < xp.values.size(); ++xi)
        chart.text_px(chart.px(x_of(xi)), chart.bottom() + 14, value_text(xp.values[xi]), "middle", 10);
    std::vector<std::pair<std::string, std::string>> keys;
    std::vector<std::vector<std::string>> rows;
    for (const auto& [si, by_x] : series) {
      const std::string& color = html::series_color(si);
      const std::optional<std::string> series_value =
          c.series.empty() ? std::nullopt : std::optional<std::string>(value_text(s.parameters[sk].values[si]));
      draw_series(chart, color, series_value, by_x, fig, xp, xs, rows);
      keys.emplace_back(series_value ? c.series + " = " + *series_value : c.y + " (mean, min to max)", color);
    }
    const std::string title = c.y + " against " + c.x + (panel_label.empty() ? "" : " (" + panel_label + ")");
    if (!panel_label.empty()) pictures += "<p class=\"meta\">" + html_escape(panel_label) + "</p>";
    pictures += chart.svg(title) + html::legend(keys);
    std::vector<std::string> head{c.x};
    if (!c.series.empty()) head.push_back(c.series);
    head.insert(head.end(), {"runs", "mean", "min", "max"});
    numbers += html::table(head, rows, panel_label.empty() ? c.y : c.y + " - " + panel_label);
  }
  const std::string heading = c.y + " against " + c.x + (c.series.empty() ? "" : " by " + c.series);
  return html::section("chart-" + std::to_string(n), heading, pictures, numbers,
                       "Lines through the mean over seeds; the band spans the smallest to the largest value.");
}

std::string grid_section(const SweepResult& r, const std::vector<PointStats>& stats) {
  const Sweep& s = r.sweep;
  std::vector<std::string> head;
  for (const Parameter& p : s.parameters) head.push_back(p.name);
  for (const Figure& f : s.figures) head.push_back(f.column);
  head.push_back("runs (failing)");
  std::vector<std::vector<std::string>> rows;
  for (const PointStats& p : stats) {
    std::vector<std::string> row;
    for (const json& v : p.values) row.push_back(value_text(v));
    for (const Stat& st : p.figures) row.push_back(stat_text(st));
    row.push_back(std::to_string(p.runs) + " (" + std::to_string(p.failing) + ")");
    rows.push_back(std::move(row));
  }
  return "<section id=\"grid\"><h2>Grid points: mean [min, max] over seeds</h2>" + html::table(head, rows) +
         "</section>\n";
}

std::string runs_section(const SweepResult& r) {
  const Sweep& s = r.sweep;
  std::vector<std::string> head{"index", "seed"};
  for (const Parameter& p : s.parameters) head.push_back(p.name);
  for (const Figure& f : s.figures) head.push_back(f.column);
  head.insert(head.end(), {"verdict", "violations", "undecided", "run folder"});
  std::vector<std::vector<std::string>> rows;
  for (const Row& row : r.rows) {
    std::vector<std::string> cells{std::to_string(row.index), std::to_string(row.seed)};
    for (const json& v : row.values) cells.push_back(value_text(v));  // as the sweep file writes them
    for (const json& v : row.figures) cells.push_back(cell_text(v));
    cells.insert(cells.end(), {row.verdict, std::to_string(row.violations.size()), std::to_string(row.undecided.size()),
                               row.kept ? run_folder_name(s, row.index) : ""});
    rows.push_back(std::move(cells));
  }
  return "<section id=\"runs\"><h2>Runs</h2>" + html::table(head, rows) + "</section>\n";
}

}  // namespace

std::string sweep_html(const SweepResult& r) {
  const std::vector<PointStats> stats = point_stats(r);
  std::string p = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>failsim sweep: " +
                  html_escape(r.sweep.name) + "</title><style>" + html::page_style() + "</style></head><body>\n";
  p += header(r) + verdict_box(r);
  for (std::size_t i = 0; i < r.sweep.charts.size(); ++i) p += chart_section(r, stats, r.sweep.charts[i], i);
  p += grid_section(r, stats) + runs_section(r);
  p += "<footer class=\"note\">Beside this page in the sweep folder: sweep.json (the resolved sweep file and every "
       "run), results.csv (one row per run), and under runs/ the run folders of the runs that failed (all of them "
       "with --keep-runs), each with its scenario.json and report.html.</footer>\n</body></html>\n";
  return p;
}

}  // namespace failsim::sweep
