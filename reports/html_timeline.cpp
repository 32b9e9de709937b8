// report.html: the timeline of node states, activities and faults, and a
// lane per aggregate showing who served it when (owner, partner, nobody).
#include <algorithm>
#include <map>

#include "reports/format.hpp"
#include "reports/html_parts.hpp"
#include "reports/lanes.hpp"

namespace failsim::reports::html {

const std::string& ownership_color(const std::string& role) {
  static const std::string owner = "#4e79a7", partner = "#f28e2b", nobody = "#e15759";
  return role == "owner" ? owner : role == "partner" ? partner : nobody;
}

namespace {

constexpr int kOwnershipLane_px = 16;

// The aggregates' lanes from `y`: each span in its role's colour, the
// serving node written on it where it fits.
void ownership_lanes(SvgChart& c, const Ownership& o, double y) {
  for (const AggregateOwnership& ag : o.aggregates) {
    c.text_px(c.left() - 6, y + 12, ag.aggregate, "end", 11, "#222");
    for (const OwnershipSpan& s : ag.spans) {
      const std::string who = s.server.empty() ? "nobody" : s.server + " (" + s.role + ")";
      c.rect_px_y(s.start_s, s.end_s, y, y + kOwnershipLane_px - 2, ownership_color(s.role),
                  ag.aggregate + " served by " + who + " " + s3(s.start_s) + " - " + s3(s.end_s) + " s");
      const std::string label = s.server.empty() ? "nobody" : s.server;
      if (c.px(s.end_s) - c.px(s.start_s) > 7.0 * static_cast<double>(label.size()) + 6)
        c.text_px((c.px(s.start_s) + c.px(s.end_s)) / 2, y + 11, label, "middle", 10, "#fff");
    }
    y += kOwnershipLane_px;
  }
}

std::vector<std::pair<std::string, std::string>> timeline_keys() {
  std::vector<std::pair<std::string, std::string>> keys;
  for (const std::string& s : state_names()) keys.emplace_back(s, state_color(s));
  for (const char* s : {"CP", "reserve", "load", "replay"}) keys.emplace_back(s, activity_color(s));
  keys.emplace_back("fault", "#d62728");
  keys.emplace_back("repair", "#2ca02c");
  keys.emplace_back("settle phase", "#888");
  for (const std::string& r : ownership_roles()) keys.emplace_back("served by " + r, ownership_color(r));
  return keys;
}

std::vector<std::vector<std::string>> ownership_rows(const Ownership& o) {
  std::vector<std::vector<std::string>> rows;
  for (const AggregateOwnership& ag : o.aggregates)
    rows.push_back({ag.aggregate, ag.owner, s3(ag.owner_s), s3(ag.partner_s), s3(ag.unserved_s)});
  return rows;
}

// A rule per fault, repair and the settle phase, and a label above for the
// faults and the settle phase, on two rows so that close ones do not overlap.
void fault_markers(SvgChart& c, const std::vector<Marker>& markers, int top) {
  double row_end_px[2] = {-1e9, -1e9};  // where the last label of each of two rows ends
  std::string last_label;
  double last_label_px = -1e9;
  for (const Marker& m : markers) {
    const std::string color = m.kind == "fault" ? "#d62728" : m.kind == "repair" ? "#2ca02c" : "#888";
    c.rule(m.time_s, color, m.label + " at " + s3(m.time_s) + " s", m.kind != "fault");
    // The same fault on each node at one instant: one label.
    const bool repeated = m.label == last_label && c.px(m.time_s) - last_label_px < 4;
    if ((m.kind == "fault" || m.kind == "settle") && !repeated) {
      last_label = m.label;
      last_label_px = c.px(m.time_s);
      const bool near_right = c.px(m.time_s) > c.right() - 90;  // keep the label inside the picture
      const double x = c.px(m.time_s) + (near_right ? -3 : 3), width_px = 5.5 * static_cast<double>(m.label.size());
      const double from_px = near_right ? x - width_px : x;
      // Faults close together: the second label one row up, not over the first.
      const int row = from_px > row_end_px[0] + 4 ? 0 : from_px > row_end_px[1] + 4 ? 1 : row_end_px[1] < row_end_px[0];
      row_end_px[row] = from_px + width_px;
      c.text_px(x, top - 6 - 12 * row, m.label, near_right ? "end" : "start", 10, color);
    }
  }
}

}  // namespace

std::string timeline_section(const Analysis& a) {
  const Timeline& t = a.timeline;
  const int state_h = 20, lane_h = 11, gap = 10, top = 36;  // two rows of fault labels above
  // Per node: its activity lanes packed so that nothing overlaps.
  std::map<std::string, std::vector<std::pair<const Span*, std::size_t>>> acts;
  std::map<std::string, std::size_t> lanes;
  for (const std::string& n : t.nodes) {
    std::vector<const Span*> spans;
    std::vector<std::pair<double, double>> iv;
    for (const Span& s : t.activities)
      if (s.node == n) {
        spans.push_back(&s);
        iv.emplace_back(s.start_s, s.end_s);
      }
    const std::vector<std::size_t> lane = assign_lanes(iv);
    for (std::size_t i = 0; i < spans.size(); ++i) acts[n].emplace_back(spans[i], lane[i]);
    lanes[n] = lane.empty() ? 0 : *std::max_element(lane.begin(), lane.end()) + 1;
  }
  int height = top + 40;
  for (const std::string& n : t.nodes) height += state_h + static_cast<int>(lanes[n]) * lane_h + gap;
  height += static_cast<int>(a.ownership.aggregates.size()) * kOwnershipLane_px + gap;
  SvgChart c(kChartWidth_px, height, {0, t.end_s, false, "time (s)"}, {0, 1, false, ""}, 90, 12, top, 40);
  c.axes(true, false);
  double y = top + 4;
  for (const std::string& n : t.nodes) {
    c.text_px(c.left() - 6, y + 14, n, "end", 12, "#222");
    for (const Span& s : t.states)
      if (s.node == n)
        c.rect_px_y(s.start_s, s.end_s, y, y + state_h, state_color(s.name),
                    n + ": " + s.name + " " + s3(s.start_s) + " - " + s3(s.end_s) + " s");
    y += state_h;
    for (const auto& [s, lane] : acts[n]) {
      const double y0 = y + static_cast<double>(lane) * lane_h + 1;
      std::string tip = n + ": " + s->name + " " + s->args.value("aggregate", "") + " " + s3(s->start_s) + " - " +
                        s3(s->end_s) + " s (" + ms(s->duration_s() * 1e3) + " ms)";
      if (s->name == "replay")
        tip += ", " + std::to_string(s->args.value("replayed", 0)) + " replayed, " +
               std::to_string(s->args.value("skipped", 0)) + " skipped";
      c.rect_px_y(s->start_s, s->end_s, y0, y0 + lane_h - 2, activity_color(s->name), tip);
    }
    y += static_cast<double>(lanes[n]) * lane_h + gap;
  }
  c.text_px(c.left() - 6, y + 2, "served by", "end", 10, "#666");
  ownership_lanes(c, a.ownership, y + 6);
  fault_markers(c, t.markers, top);

  std::vector<std::vector<std::string>> rows;
  for (const std::string& n : t.nodes) {
    std::map<std::string, double> in_state;
    for (const Span& s : t.states)
      if (s.node == n) in_state[s.name] += s.duration_s();
    for (const std::string& s : state_names())
      if (in_state.count(s)) rows.push_back({n, s, s3(in_state[s])});
  }
  return section("timeline", "Timeline: node states, activities and faults",
                 c.svg("timeline of node states") + legend(timeline_keys()),
                 table({"node", "state", "time (s)"}, rows) +
                     table({"aggregate", "owner", "by owner (s)", "by partner (s)", "unserved (s)"},
                           ownership_rows(a.ownership), "who served each aggregate"),
                 "Each node: its state on the upper row, its CPs and recovery steps (reserve, load, replay) below. "
                 "Then each aggregate: who served it when, from the serving timeline (the one the checker and "
                 "summary.json use), until the run's end; unserved counts from its first serve. Hover a bar for "
                 "its times.");
}

}  // namespace failsim::reports::html
