// The page skeleton, its style, the header with the verdict, and the helpers
// of html_parts.hpp.
#include "html_page.hpp"

#include <cmath>
#include <map>

#include "reports/format.hpp"
#include "reports/html_parts.hpp"

namespace failsim::reports {

namespace html {

namespace {
const std::string& pick(const std::map<std::string, std::string>& m, const std::string& k) {
  static const std::string other = "#9d9d9d";
  auto it = m.find(k);
  return it == m.end() ? other : it->second;
}
}  // namespace

const std::string& state_color(const std::string& s) {
  static const std::map<std::string, std::string> m{
      {"serving", "#59a14f"},     {"recovering", "#f28e2b"}, {"taking over", "#e15759"},
      {"giving back", "#edc948"}, {"waiting for giveback", "#bab0ac"}, {"booting", "#76b7b2"},
      {"down", "#303030"},        {"idle", "#e4e4e4"}};
  return pick(m, s);
}

const std::string& activity_color(const std::string& s) {
  static const std::map<std::string, std::string> m{
      {"CP", "#4e79a7"}, {"reserve", "#9c755f"}, {"load", "#b07aa1"}, {"replay", "#ff9da7"}};
  return pick(m, s);
}

const std::string& phase_color(const std::string& s) {
  static const std::map<std::string, std::string> m{
      {"before fault", "#4e79a7"},    {"during takeover", "#e15759"}, {"after takeover", "#f28e2b"},
      {"during giveback", "#edc948"}, {"after giveback", "#59a14f"},  {"after fault", "#b07aa1"}};
  return pick(m, s);
}

const std::string& segment_color(const std::string& s) {
  static const std::map<std::string, std::string> m{
      {"detection", "#e15759"}, {"fencing", "#9c755f"},     {"aggregate load", "#b07aa1"}, {"replay", "#ff9da7"},
      {"recovery CP", "#4e79a7"}, {"first reply", "#59a14f"}, {"final CP", "#76b7b2"},     {"handover", "#edc948"}};
  return pick(m, s);
}

const std::string& series_color(std::size_t i) {
  static const std::vector<std::string> c{"#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1",
                                          "#76b7b2", "#edc948", "#9c755f", "#ff9da7", "#bab0ac"};
  return c[i % c.size()];
}

double decade_floor(double v) { return std::pow(10, std::floor(std::log10(v))); }
double decade_ceil(double v) { return std::pow(10, std::ceil(std::log10(v))); }

void mark_run(SvgChart& c, const Analysis& a) {
  for (const Window& w : a.latency.windows) c.band(w.start_s, w.end_s, phase_color(w.phase), w.phase, 0.12);
  for (const Marker& m : a.timeline.markers)
    if (m.kind == "fault") c.rule(m.time_s, "#d62728", m.label + " at " + s3(m.time_s) + " s");
}

std::string ms(double v) { return fixed(v, 3); }
std::string s3(double v) { return fixed(v, 3); }

std::string table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                  const std::string& caption) {
  auto numeric = [](const std::string& c) {
    return !c.empty() && c.find_first_not_of("0123456789.-%") == std::string::npos;
  };
  std::string t = "<table>";
  if (!caption.empty()) t += "<caption>" + html_escape(caption) + "</caption>";
  t += "<thead><tr>";
  for (const std::string& h : header) t += "<th>" + html_escape(h) + "</th>";
  t += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    t += "<tr>";
    for (const std::string& c : row) t += std::string(numeric(c) ? "<td class=\"n\">" : "<td>") + html_escape(c) + "</td>";
    t += "</tr>";
  }
  return t + "</tbody></table>";
}

std::string legend(const std::vector<std::pair<std::string, std::string>>& name_color) {
  std::string l = "<p class=\"legend\">";
  for (const auto& [name, color] : name_color)
    l += "<span class=\"key\"><span class=\"sw\" style=\"background:" + color + "\"></span>" + html_escape(name) +
         "</span> ";
  return l + "</p>";
}

std::string section(const std::string& id, const std::string& title, const std::string& pictures,
                    const std::string& numbers, const std::string& note, bool numbers_below) {
  std::string s = "<section id=\"" + id + "\"><h2>" + html_escape(title) + "</h2><div class=\"row" +
                  (numbers_below ? " below" : "") + "\"><div class=\"pictures\">" +
                  pictures + "</div><div class=\"numbers\">" + numbers + "</div></div>";
  if (!note.empty()) s += "<p class=\"note\">" + html_escape(note) + "</p>";
  return s + "</section>\n";
}

const char* page_style() {
  return R"(body{font-family:sans-serif;margin:1.5em;color:#222;background:#fff;max-width:1400px}
h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.15em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.6em}
.desc{margin:.2em 0;color:#444}.meta{color:#666;font-size:.9em;margin:.2em 0}
.verdict{padding:.6em .9em;border-radius:4px;margin:1em 0;font-weight:bold}
.verdict.ok{background:#e3f4e1;border:1px solid #59a14f}.verdict.bad{background:#fbe3e3;border:1px solid #e15759}
.verdict.none{background:#f1f1f1;border:1px solid #bbb;font-weight:normal}
.verdict.undecided{background:#fdf3dc;border:1px solid #edc948}.verdict .expected{font-weight:normal;margin-top:.4em}
.verdict ul{font-weight:normal;margin:.4em 0 0}
.cards{display:flex;flex-wrap:wrap;gap:.6em;margin:.8em 0}.card{border:1px solid #ddd;border-radius:4px;padding:.4em .7em;min-width:8em}
.card .v{font-size:1.3em;font-weight:bold}.card .k{font-size:.8em;color:#666}
.row{display:flex;flex-wrap:wrap;gap:1.5em;align-items:flex-start}.pictures{flex:0 0 auto;max-width:780px}.numbers{flex:1 1 320px;min-width:300px}
.row.below{flex-direction:column;gap:.5em}.row.below .numbers{flex:none;width:100%;display:flex;flex-wrap:wrap;column-gap:1.5em;align-items:flex-start}
table{border-collapse:collapse;font-size:.85em;margin:0 0 1em}th,td{border:1px solid #ddd;padding:.2em .5em}
th{background:#f4f4f4;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:bold;padding:.2em 0}
.legend{font-size:.8em;margin:.3em 0}.key{margin-right:.8em;white-space:nowrap}
.sw{display:inline-block;width:.9em;height:.9em;vertical-align:middle;margin-right:.3em;border:1px solid #0002}
.note{font-size:.85em;color:#555}code{background:#f4f4f4;padding:0 .2em}
svg{display:block;margin:.3em 0;background:#fff})";
}

}  // namespace html

namespace {

std::string verdict_box(const RunData& run) {
  if (!run.verdict)
    return "<div class=\"verdict none\">Not judged yet: <code>failsim check DIR</code> writes verdict.json, then "
           "<code>failsim report DIR</code> shows it here.</div>";
  const nlohmann::json& v = *run.verdict;
  // verdict.json before "outcome" existed said only "valid".
  const std::string outcome = v.contains("outcome") && v["outcome"].is_string() ? v["outcome"].get<std::string>()
                              : v.value("valid", false)                        ? "held"
                                                                               : "violated";
  const bool held = outcome == "held", undecided = outcome == "undecided";
  std::string box = std::string("<div class=\"verdict ") + (held ? "ok" : undecided ? "undecided" : "bad") +
                    "\">VERDICT: " +
                    (held ? "every property held" : undecided ? "UNDECIDED (nothing violated, not everything proved)"
                                                              : "VIOLATED") +
                    " - " + html_escape(v.value("ops_checked", nlohmann::json(0)).dump()) + " changes checked, " +
                    html_escape(v.value("unknown_ops", nlohmann::json(0)).dump()) + " with unknown outcome, " +
                    html_escape(v.value("fsck_runs", nlohmann::json(0)).dump()) + " fsck runs";
  const nlohmann::json violations = v.value("violations", nlohmann::json::array());
  const nlohmann::json undecided_parts = v.value("undecided", nlohmann::json::array());
  const nlohmann::json expected = v.value("expected_violations", nlohmann::json::array());
  std::string items;
  if (violations.is_array())
    for (const auto& x : violations)
      items += "<li>" + html_escape(x.value("property", "")) + ": " + html_escape(x.value("detail", "")) + "</li>";
  // Parts the checker's search could neither prove nor refute within its budget.
  if (undecided_parts.is_array())
    for (const auto& x : undecided_parts)
      items += "<li>undecided: " + html_escape(x.is_string() ? x.get<std::string>() : x.dump()) + "</li>";
  if (!items.empty()) box += "<ul>" + items + "</ul>";
  // The damage an out-of-envelope scenario expects: shown, with counts, never hidden.
  if (expected.is_array() && !expected.empty()) {
    std::map<std::string, std::size_t> counts;
    for (const auto& x : expected) ++counts[x.value("property", "")];
    std::string head = "Expected damage (the scenario states it):";
    for (const auto& [property, n] : counts) head += " " + std::to_string(n) + " " + html_escape(property);
    box += "<div class=\"expected\">" + head + "<ul>";
    for (const auto& x : expected)
      box += "<li>expected " + html_escape(x.value("property", "")) + ": " + html_escape(x.value("detail", "")) + "</li>";
    box += "</ul></div>";
  }
  return box + "</div>";
}

std::string card(const std::string& value, const std::string& key) {
  return "<div class=\"card\"><div class=\"v\">" + html_escape(value) + "</div><div class=\"k\">" + html_escape(key) +
         "</div></div>";
}

std::string cards(const Analysis& a) {
  std::string c = "<div class=\"cards\">";
  c += card(std::to_string(a.ops.answered) + " / " + std::to_string(a.ops.issued), "changes acked / issued");
  c += card(std::to_string(a.ops.unknown), "outcome unknown");
  const auto retrans = a.run.summary.value("ops", nlohmann::json::object()).value("retransmissions", nlohmann::json());
  if (retrans.is_number()) c += card(retrans.dump(), "retransmissions");
  c += card(html::ms(a.latency.all.p50_ms) + " ms", "ack latency p50");
  c += card(html::ms(a.latency.all.p99_ms) + " ms", "ack latency p99");
  c += card(html::ms(a.latency.all.max_ms) + " ms", "ack latency max");
  for (const Recovery& r : a.recoveries)
    if (r.outage_s)
      c += card(html::s3(*r.outage_s) + " s", r.kind + " of " + r.aggregate + (r.kind == "takeover" ? " (owner stopped to served)" : " (unserved)"));
  return c + "</div>";
}

}  // namespace

std::string html_page(const Analysis& a) {
  const nlohmann::json& sc = a.run.scenario;
  const std::string name = sc.value("name", "");
  std::string p = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>failsim report: " +
                  html_escape(name) + "</title><style>" + html::page_style() + "</style></head><body>\n";
  p += "<header><h1>failsim report: " + html_escape(name) + "</h1>";
  p += "<p class=\"desc\">" + html_escape(sc.value("description", "")) + "</p>";
  p += "<p class=\"meta\">seed " + html_escape(sc.value("seed", nlohmann::json()).dump()) + " - " +
       html::s3(a.timeline.end_s) + " s simulated - nodes " ;
  for (std::size_t i = 0; i < a.timeline.nodes.size(); ++i)
    p += (i ? ", " : "") + html_escape(a.timeline.nodes[i]);
  p += " - log mode " + html_escape(sc.value("server", nlohmann::json::object()).value("log_mode", "")) + "</p></header>\n";
  p += verdict_box(a.run) + cards(a) + "\n";
  p += html::timeline_section(a);
  p += html::latency_time_section(a);
  p += html::latency_cdf_section(a);
  p += html::recovery_section(a);
  p += html::storage_section(a);
  p += html::nvram_cp_section(a);
  p += html::utilisation_section(a);
  p += "<footer class=\"note\">Beside this page in the run folder: report.json (every figure on this page), "
       "latency.csv, throughput.csv (with the latency quantiles and the acks per aggregate of each interval), "
       "nvram.csv, utilisation.csv, cps.csv, and trace.json (open it in Perfetto or "
       "chrome://tracing for a zoomable timeline).</footer>\n</body></html>\n";
  return p;
}

}  // namespace failsim::reports
