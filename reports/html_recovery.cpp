// report.html: the takeover and giveback breakdown.
#include <algorithm>
#include <set>

#include "reports/format.hpp"
#include "reports/html_parts.hpp"

namespace failsim::reports::html {

std::string recovery_section(const Analysis& a) {
  if (a.recoveries.empty())
    return section("recovery", "Takeover and giveback", "<p>No takeover or giveback in this run.</p>", "");
  double span_s = 0;
  for (const Recovery& r : a.recoveries)
    for (const Segment& s : r.segments) span_s = std::max(span_s, s.end_s - r.start_s);
  const int bar_h = 22, top = 10;
  const int height = top + static_cast<int>(a.recoveries.size()) * (bar_h + 8) + 44;
  SvgChart c(kChartWidth_px, height, {0, std::max(span_s, 1e-3), false, "seconds from the crash / giveback start"},
             {0, 1, false, ""}, 170, 12, top, 40);
  c.axes(true, false);
  std::set<std::string> used;
  double y = top + 4;
  std::vector<std::vector<std::string>> rows, counts;
  std::string refused;
  for (const Recovery& r : a.recoveries) {
    c.text_px(c.left() - 6, y + 15, r.kind + " " + r.aggregate + " by " + r.node, "end", 11, "#222");
    for (const Segment& s : r.segments) {
      c.rect_px_y(s.start_s - r.start_s, s.end_s - r.start_s, y, y + bar_h, segment_color(s.name),
                  s.name + ": " + ms(s.duration_s() * 1e3) + " ms");
      used.insert(s.name);
      rows.push_back({r.kind + " " + r.aggregate, s.name, ms(s.duration_s() * 1e3)});
    }
    if (!r.refused.empty()) refused += "<p class=\"note\">" + html_escape(r.kind + " " + r.aggregate + " refused: " + r.refused) + "</p>";
    // Counts in their own columns, never under "ms".
    counts.push_back({r.kind + " " + r.aggregate, std::to_string(r.replayed), std::to_string(r.skipped),
                      std::to_string(r.blocks_read)});
    rows.push_back({r.kind + " " + r.aggregate, "served again after", r.outage_s ? ms(*r.outage_s * 1e3) : "never"});
    if (r.first_reply_s) rows.push_back({r.kind + " " + r.aggregate, "first reply after", ms((*r.first_reply_s - r.start_s) * 1e3)});
    y += bar_h + 8;
  }
  std::vector<std::pair<std::string, std::string>> keys;
  for (const auto* names : {&takeover_segment_names(), &giveback_segment_names()})
    for (const std::string& n : *names)
      if (used.count(n) && std::none_of(keys.begin(), keys.end(), [&](const auto& k) { return k.first == n; }))
        keys.emplace_back(n, segment_color(n));
  return section("recovery", "Takeover and giveback breakdown", c.svg("takeover and giveback breakdown") + legend(keys),
                 table({"", "step", "ms"}, rows) +
                     table({"", "entries replayed", "entries skipped", "blocks read"}, counts, "log and disk") + refused,
                 "Takeover: detection (crash to the partner declared dead), fencing (to the aggregate's load: "
                 "reservation taken), aggregate load, replay of the mirrored log, recovery CP, then the first client "
                 "reply. Giveback: the giver's final CP, handover to the owner's load, then the same steps.");
}

}  // namespace failsim::reports::html
