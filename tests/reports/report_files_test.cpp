// The report files of the default run: all there, self-contained HTML, text
// from the scenario escaped, byte-identical when rebuilt, and clear errors
// for a missing or malformed run folder.
#include <gtest/gtest.h>

#include <algorithm>

#include "reports/run_data.hpp"
#include "report_test_support.hpp"

namespace failsim::test {
namespace {

using nlohmann::json;

std::size_t count_lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }

TEST(ReportFiles, TheDefaultRunHasEveryReport) {
  const fs::path& dir = default_run();
  for (const auto& [name, bytes] : report_files(dir)) EXPECT_GT(bytes.size(), 100u) << name;
  const std::string html = slurp(dir / "report.html");
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  std::size_t svgs = 0;
  for (std::size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) ++svgs;
  EXPECT_GE(svgs, 7u) << "timeline, latency, throughput, CDF, breakdown, NVRAM, CPs, utilisation";
  for (const char* id : {"id=\"timeline\"", "id=\"latency-time\"", "id=\"latency-cdf\"", "id=\"recovery\"",
                         "id=\"nvram\"", "id=\"utilisation\""})
    EXPECT_NE(html.find(id), std::string::npos) << id;
  // The default run takes over and gives back: both breakdowns are drawn.
  EXPECT_NE(html.find("takeover aggr0 by n1"), std::string::npos);
  EXPECT_NE(html.find("giveback aggr0 by n1"), std::string::npos);
  // Not judged yet: the page says how to judge it.
  EXPECT_NE(html.find("Not judged yet"), std::string::npos);

  // One latency row per answered request, plus the header.
  const json summary = read_json(dir / "summary.json");
  EXPECT_EQ(count_lines(slurp(dir / "latency.csv")), summary["ops"]["answered"].get<std::size_t>() + 1);
  EXPECT_TRUE(slurp(dir / "latency.csv").starts_with("time_s,invoke_s,client,xid,aggregate,op,result,latency_ms,phase\n"));
  // NVRAM samples exist for both nodes, and the log grew before the crash.
  const std::string nvram = slurp(dir / "nvram.csv");
  EXPECT_NE(nvram.find(",n0,timer,"), std::string::npos);
  EXPECT_NE(nvram.find(",n1,cp_started,"), std::string::npos);
  const json report = read_json(dir / "report.json");
  EXPECT_GT(report["series"]["nvram"]["peak_log_bytes"]["n0"].get<std::uint64_t>(), 0u);
  EXPECT_GT(report["series"]["utilisation"]["n1"]["interconnect"]["mean"].get<double>(), 0.0);
}

TEST(ReportFiles, TheHtmlNeedsNoNetworkAndNoScript) {
  const std::string html = slurp(default_run() / "report.html");
  for (const char* banned : {"<script", "src=", "href=", "url(", "@import", "http://", "https://", "<link", "<iframe"})
    EXPECT_EQ(html.find(banned), std::string::npos) << banned;
}

TEST(ReportFiles, ScenarioTextIsEscapedInTheHtml) {
  TempDir tmp("escape");
  const fs::path dir = tmp.path() / "run";
  fs::copy(default_run(), dir);
  json scenario = read_json(dir / "scenario.json");
  scenario["name"] = "<script>alert(1)</script>";
  scenario["description"] = "Tom & Jerry's \"<b>bold</b>\"";
  std::ofstream(dir / "scenario.json") << scenario.dump(1);
  json verdict{{"valid", false},
               {"ops_checked", 3},
               {"unknown_ops", 0},
               {"fsck_runs", 1},
               {"undecided", {"client <7>"}},
               {"violations", {{{"property", "exactly-once"}, {"detail", "<img src=x onerror=alert(2)>"}}}}};
  std::ofstream(dir / "verdict.json") << verdict.dump();
  reports::write_reports(dir.string());

  const std::string html = slurp(dir / "report.html");
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("Tom &amp; Jerry&#39;s &quot;&lt;b&gt;bold&lt;/b&gt;&quot;"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  EXPECT_NE(html.find("undecided: client &lt;7&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  // The verdict is shown, and it is a violation.
  EXPECT_NE(html.find("VERDICT: VIOLATED"), std::string::npos);
  EXPECT_EQ(read_json(dir / "report.json")["verdict"]["valid"], false);
}

TEST(ReportFiles, RebuildingGivesTheSameBytes) {
  // The reports `failsim run` wrote into the temporary folder equal those
  // rebuilt from the final folder, and a rebuild of a rebuild.
  const auto written_by_run = report_files(default_run());
  TempDir tmp("rebuild");
  const fs::path dir = tmp.path() / "elsewhere";
  fs::copy(default_run(), dir);
  reports::write_reports(dir.string());
  EXPECT_EQ(report_files(dir), written_by_run);
  reports::write_reports(dir.string());
  EXPECT_EQ(report_files(dir), written_by_run);
}

TEST(ReportFiles, HistoryLinesOutsideTheCanonicalFormGiveTheSameReports) {
  // The canonical lines go through the checker's scanner, others through
  // nlohmann::json: a key spelt with an escape ("\u0074ype") sends every
  // line the slow way, and the reports must not change.
  const auto canonical = report_files(default_run());
  TempDir tmp("escaped");
  const fs::path dir = tmp.path() / "run";
  fs::copy(default_run(), dir);
  std::string history = slurp(dir / "history.jsonl");
  std::size_t replaced = 0;
  for (std::size_t at = 0; (at = history.find("\"type\":", at)) != std::string::npos; ++replaced)
    history.replace(at, 7, "\"\\u0074ype\":");
  ASSERT_EQ(replaced, count_lines(history));
  std::ofstream(dir / "history.jsonl", std::ios::binary) << history;
  reports::write_reports(dir.string());
  EXPECT_EQ(report_files(dir), canonical);
}

TEST(ReportFiles, TheSameScenarioAndSeedGiveTheSameReports) {
  TempDir tmp("again");
  const fs::path dir = tmp.path() / "run";
  run_with_reports(default_scenario(), dir);
  EXPECT_EQ(report_files(dir), report_files(default_run()));
  // And another seed gives other reports: the comparison can tell.
  sim::Scenario other = default_scenario();
  other.seed = 2;
  run_with_reports(other, tmp.path() / "seed2");
  EXPECT_NE(report_files(tmp.path() / "seed2")["latency.csv"], report_files(dir)["latency.csv"]);
}

std::string error_of(const fs::path& dir) {
  try {
    reports::write_reports(dir.string());
  } catch (const reports::ReportInputError& e) {
    return e.what();
  }
  return "";
}

TEST(ReportFiles, AMissingOrMalformedFolderIsAnErrorNamingTheFile) {
  TempDir tmp("errors");
  EXPECT_NE(error_of(tmp.path() / "nowhere").find("nowhere"), std::string::npos);

  const fs::path dir = tmp.path() / "run";
  fs::copy(default_run(), dir);
  fs::remove(dir / "events.jsonl");
  EXPECT_NE(error_of(dir).find("events.jsonl: missing"), std::string::npos) << error_of(dir);

  fs::copy(default_run() / "events.jsonl", dir / "events.jsonl");
  std::string history = slurp(dir / "history.jsonl");
  const std::size_t third = history.find('\n', history.find('\n') + 1) + 1;
  history.insert(third, "{\"time_s\": \"soon\"}\n");
  std::ofstream(dir / "history.jsonl", std::ios::binary) << history;
  EXPECT_NE(error_of(dir).find("history.jsonl:3:"), std::string::npos) << error_of(dir);

  std::ofstream(dir / "history.jsonl", std::ios::binary) << slurp(default_run() / "history.jsonl");
  std::ofstream(dir / "summary.json") << "{\"ops\": ";
  EXPECT_NE(error_of(dir).find("summary.json: not JSON"), std::string::npos) << error_of(dir);
}

}  // namespace
}  // namespace failsim::test
