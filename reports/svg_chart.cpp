// Chart marks as SVG elements; coordinates with two decimals.
#include "svg_chart.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "reports/format.hpp"

namespace failsim::reports {

namespace {
std::string num(double v) { return fixed(v, 2); }
}  // namespace

std::string tick_label(double v) {
  const double a = std::fabs(v);
  if (a == 0) return "0";
  if (a >= 100) return fixed(v, 0);
  // The fewest decimals that show the tick as it is: 0.015 and 0.02 on a 0.005 grid, not 0.01 twice.
  for (int d = 0; d < 6; ++d) {
    const double scale = std::pow(10.0, d);
    if (std::fabs(std::round(v * scale) / scale - v) <= a * 1e-9) return fixed(v, d);
  }
  return fixed(v, 6);
}

SvgChart::SvgChart(int width_px, int height_px, Axis x, Axis y, int left_px, int right_px, int top_px, int bottom_px)
    : width_(width_px), height_(height_px), left_(left_px), right_(right_px), top_(top_px), bottom_(bottom_px),
      x_(std::move(x)), y_(std::move(y)) {
  for (Axis* a : {&x_, &y_}) {
    if (a->log) {
      a->min = std::max(a->min, 1e-9);
      a->max = std::max(a->max, a->min * 10);
    }
    if (!(a->max > a->min)) a->max = a->min + 1;  // an empty or flat series still gets an axis
  }
}

double SvgChart::map(const Axis& a, double v, double lo_px, double hi_px) const {
  double f = a.log ? (std::log10(std::max(v, a.min)) - std::log10(a.min)) / (std::log10(a.max) - std::log10(a.min))
                   : (v - a.min) / (a.max - a.min);
  f = std::clamp(f, 0.0, 1.0);
  return lo_px + f * (hi_px - lo_px);
}

double SvgChart::px(double x) const { return map(x_, x, left(), right()); }
double SvgChart::py(double y) const { return map(y_, y, bottom(), top()); }

std::vector<double> SvgChart::ticks(const Axis& a) const {
  std::vector<double> t;
  if (a.log) {
    for (double d = std::pow(10, std::ceil(std::log10(a.min) - 1e-9)); d <= a.max * (1 + 1e-9); d *= 10) t.push_back(d);
    return t;
  }
  const double raw = (a.max - a.min) / 6;
  const double decade = std::pow(10, std::floor(std::log10(raw)));
  double step = decade;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * decade >= raw) {
      step = m * decade;
      break;
    }
  for (double v = std::ceil(a.min / step - 1e-9) * step; v <= a.max + step * 1e-9; v += step)
    t.push_back(std::fabs(v) < step * 1e-9 ? 0 : v);
  return t;
}

void SvgChart::axes(bool x_ticks, bool y_ticks) {
  std::string& b = body_;
  if (x_ticks)
    for (double v : ticks(x_)) {
      const std::string x = num(px(v));
      b += "<line x1=\"" + x + "\" y1=\"" + num(top()) + "\" x2=\"" + x + "\" y2=\"" + num(bottom()) +
           "\" stroke=\"#eee\"/>";
      // A label at either edge is drawn inward, so that it is not clipped by the picture's edge.
      const std::string label = tick_label(v);
      const double half_px = 3.2 * static_cast<double>(label.size());  // about half its width at 10 px
      const bool at_right = px(v) + half_px > width_ - 1, at_left = px(v) - half_px < 1;
      const std::string at = at_right ? num(width_ - 1) : at_left ? num(1) : x;
      b += "<text x=\"" + at + "\" y=\"" + num(bottom() + 14) + "\" text-anchor=\"" +
           (at_right ? "end" : at_left ? "start" : "middle") + "\" font-size=\"10\">" + label + "</text>";
    }
  if (y_ticks)
    for (double v : ticks(y_)) {
      const std::string y = num(py(v));
      b += "<line x1=\"" + num(left()) + "\" y1=\"" + y + "\" x2=\"" + num(right()) + "\" y2=\"" + y +
           "\" stroke=\"#eee\"/>";
      b += "<text x=\"" + num(left() - 4) + "\" y=\"" + num(py(v) + 3) + "\" text-anchor=\"end\" font-size=\"10\">" +
           tick_label(v) + "</text>";
    }
  b += "<rect x=\"" + num(left()) + "\" y=\"" + num(top()) + "\" width=\"" + num(right() - left()) + "\" height=\"" +
       num(bottom() - top()) + "\" fill=\"none\" stroke=\"#999\"/>";
  if (!x_.label.empty())
    text_px((left() + right()) / 2, height_ - 6, x_.label, "middle");
  if (!y_.label.empty())
    body_ += "<text transform=\"translate(12," + num((top() + bottom()) / 2) +
             ") rotate(-90)\" text-anchor=\"middle\" font-size=\"11\" fill=\"#333\">" + html_escape(y_.label) +
             "</text>";
}

void SvgChart::line(const std::vector<std::pair<double, double>>& pts, const std::string& color, double width,
                    bool dashed) {
  if (pts.empty()) return;
  std::string p;
  for (const auto& [x, y] : pts) p += num(px(x)) + "," + num(py(y)) + " ";
  p.pop_back();
  body_ += "<polyline points=\"" + p + "\" fill=\"none\" stroke=\"" + color + "\" stroke-width=\"" + num(width) +
           "\"" + (dashed ? " stroke-dasharray=\"5,3\"" : "") + "/>";
}

void SvgChart::steps(const std::vector<std::pair<double, double>>& pts, const std::string& color, double width) {
  std::vector<std::pair<double, double>> s;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    if (i > 0) s.emplace_back(pts[i].first, pts[i - 1].second);
    s.push_back(pts[i]);
  }
  line(s, color, width);
}

void SvgChart::dots(const std::vector<std::pair<double, double>>& pts, const std::string& color, double radius) {
  if (pts.empty()) return;
  // One path of tiny circles (two arcs each): far smaller than a <circle> per point.
  std::string d;
  const std::string r = num(radius), dia = num(2 * radius);
  for (const auto& [x, y] : pts)
    d += "M" + num(px(x) - radius) + "," + num(py(y)) + "a" + r + "," + r + " 0 1,0 " + dia + ",0a" + r + "," + r +
         " 0 1,0 -" + dia + ",0";
  body_ += "<path d=\"" + d + "\" fill=\"" + color + "\" fill-opacity=\"0.7\"/>";
}

void SvgChart::area(const std::vector<std::pair<double, double>>& low,
                    const std::vector<std::pair<double, double>>& high, const std::string& color, double opacity) {
  assert(low.size() == high.size() && "a band needs a low and a high value at each x");
  if (low.empty()) return;
  std::string p;
  for (const auto& [x, y] : high) p += num(px(x)) + "," + num(py(y)) + " ";
  for (auto it = low.rbegin(); it != low.rend(); ++it) p += num(px(it->first)) + "," + num(py(it->second)) + " ";
  p.pop_back();
  body_ += "<polygon points=\"" + p + "\" fill=\"" + color + "\" fill-opacity=\"" + num(opacity) + "\" stroke=\"none\"/>";
}

void SvgChart::rect(double x0, double x1, double y0, double y1, const std::string& color, const std::string& title,
                    double opacity) {
  const double a = px(x0), b = px(x1), c = py(y1), d = py(y0);
  body_ += "<rect x=\"" + num(a) + "\" y=\"" + num(c) + "\" width=\"" + num(std::max(b - a, 2.0)) + "\" height=\"" +
           num(std::max(d - c, 0.5)) + "\" fill=\"" + color + "\"" +
           (opacity < 1 ? " fill-opacity=\"" + num(opacity) + "\"" : "") + "><title>" + html_escape(title) +
           "</title></rect>";
}

void SvgChart::rect_px_y(double x0, double x1, double y0_px, double y1_px, const std::string& color,
                         const std::string& title) {
  const double a = px(x0), b = px(x1);
  body_ += "<rect x=\"" + num(a) + "\" y=\"" + num(y0_px) + "\" width=\"" + num(std::max(b - a, 1.5)) +
           "\" height=\"" + num(y1_px - y0_px) + "\" fill=\"" + color + "\"><title>" + html_escape(title) +
           "</title></rect>";
}

void SvgChart::band(double x0, double x1, const std::string& color, const std::string& title, double opacity) {
  const double a = px(x0), b = px(x1);
  body_ += "<rect x=\"" + num(a) + "\" y=\"" + num(top()) + "\" width=\"" + num(std::max(b - a, 1.0)) +
           "\" height=\"" + num(bottom() - top()) + "\" fill=\"" + color + "\" fill-opacity=\"" + num(opacity) +
           "\"><title>" + html_escape(title) + "</title></rect>";
}

void SvgChart::rule(double x, const std::string& color, const std::string& title, bool dashed) {
  const std::string xs = num(px(x));
  body_ += "<line x1=\"" + xs + "\" y1=\"" + num(top()) + "\" x2=\"" + xs + "\" y2=\"" + num(bottom()) +
           "\" stroke=\"" + color + "\" stroke-width=\"1.5\"" + (dashed ? " stroke-dasharray=\"4,3\"" : "") +
           "><title>" + html_escape(title) + "</title></line>";
}

void SvgChart::hrule(double y, const std::string& color, const std::string& label) {
  const std::string ys = num(py(y));
  body_ += "<line x1=\"" + num(left()) + "\" y1=\"" + ys + "\" x2=\"" + num(right()) + "\" y2=\"" + ys +
           "\" stroke=\"" + color + "\" stroke-dasharray=\"6,3\"/>";
  text_px(right() - 4, py(y) - 4, label, "end", 10, color);
}

void SvgChart::text_px(double x_px, double y_px, const std::string& text, const std::string& anchor, int size_px,
                       const std::string& color) {
  body_ += "<text x=\"" + num(x_px) + "\" y=\"" + num(y_px) + "\" text-anchor=\"" + anchor + "\" font-size=\"" +
           std::to_string(size_px) + "\" fill=\"" + color + "\">" + html_escape(text) + "</text>";
}

std::string SvgChart::svg(const std::string& title) const {
  return "<svg width=\"" + std::to_string(width_) + "\" height=\"" +
         std::to_string(height_) + "\" viewBox=\"0 0 " + std::to_string(width_) + " " + std::to_string(height_) +
         "\" role=\"img\" font-family=\"sans-serif\"><title>" + html_escape(title) + "</title>" + body_ + "</svg>";
}

}  // namespace failsim::reports
