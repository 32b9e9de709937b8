// A small inline-SVG chart: a plot area with linear or logarithmic axes,
// ticks and grid, and the marks the report needs (lines, steps, points,
// rectangles, areas, vertical bands and rules). Coordinates are data values; every
// text is HTML-escaped here. Numbers are written with fixed decimals, so the
// same data gives the same bytes.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace failsim::reports {

struct Axis {
  double min = 0, max = 1;
  bool log = false;
  std::string label;
};

class SvgChart {
 public:
  // Plot area inside margins: left for y tick labels, bottom for x ticks.
  SvgChart(int width_px, int height_px, Axis x, Axis y, int left_px = 64, int right_px = 12, int top_px = 12,
           int bottom_px = 40);

  double px(double x) const;  // data -> pixels, clamped to the plot area
  double py(double y) const;
  double left() const { return left_; }
  double right() const { return width_ - right_; }
  double top() const { return top_; }
  double bottom() const { return height_ - bottom_; }

  void axes(bool x_ticks = true, bool y_ticks = true);
  void line(const std::vector<std::pair<double, double>>& points, const std::string& color, double width = 1.5,
            bool dashed = false);
  void steps(const std::vector<std::pair<double, double>>& points, const std::string& color, double width = 1.5);
  void dots(const std::vector<std::pair<double, double>>& points, const std::string& color, double radius = 1.6);
  // The region between two lines over the same x values (a min/max band):
  // `low` and `high` in increasing x, as many points each.
  void area(const std::vector<std::pair<double, double>>& low, const std::vector<std::pair<double, double>>& high,
            const std::string& color, double opacity = 0.18);
  // A rectangle in data coordinates, with a tooltip.
  void rect(double x0, double x1, double y0, double y1, const std::string& color, const std::string& title,
            double opacity = 1.0);
  // A rectangle whose y extent is in pixels (timeline rows).
  void rect_px_y(double x0, double x1, double y0_px, double y1_px, const std::string& color, const std::string& title);
  void band(double x0, double x1, const std::string& color, const std::string& title, double opacity = 0.15);
  void rule(double x, const std::string& color, const std::string& title, bool dashed = true);
  void hrule(double y, const std::string& color, const std::string& label);
  void text_px(double x_px, double y_px, const std::string& text, const std::string& anchor = "start",
               int size_px = 11, const std::string& color = "#333");

  // The finished <svg> element; `title` is its accessible name.
  std::string svg(const std::string& title) const;

 private:
  double map(const Axis& a, double v, double lo_px, double hi_px) const;
  std::vector<double> ticks(const Axis& a) const;

  int width_, height_, left_, right_, top_, bottom_;
  Axis x_, y_;
  std::string body_;
};

// Tick label text: few decimals for big numbers, more for small.
std::string tick_label(double v);

}  // namespace failsim::reports
