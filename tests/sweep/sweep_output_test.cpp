// The files of a sweep folder from a made-up result (no simulation): the
// statistics per grid point, results.csv, sweep.json read back, shards
// merged only when one build ran them, and sweep.html with hostile text from
// the scenario and the parameters.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sweep/point_stats.hpp"
#include "sweep/sweep_files.hpp"
#include "sweep/sweep_html.hpp"
#include "sweep/sweep_merge.hpp"
#include "sweep/sweep_read.hpp"

namespace failsim::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace failsim::sweep;

// Two grid points (a hostile string parameter) x 3 seeds, one figure; row
// values made up so the statistics are known.
SweepResult made_up() {
  const json file{
      {"name", "made-up"},
      {"description", "Tom & Jerry's <b>sweep</b>"},
      {"base", {{"name", "<script>alert(1)</script>"}, {"description", "x"}}},
      {"parameters", {{{"path", "/description"}, {"values", {"<i>one</i>", "two, \"quoted\""}}}}},
      {"seeds", 3},
      {"figures", {{{"column", "takeover_s"}, {"report", "/takeovers/0/outage_s"}}}},
      {"charts", {{{"x", "description"}, {"y", "takeover_s"}}}}};
  SweepResult r{.sweep = parse_sweep(file.dump(), "made-up.json", "", ""), .build = "failsim 9.9.9 (commit made-up)"};
  const std::vector<json> values{1.0, 2.0, 4.0, 10.0, nullptr, 30.0};
  for (std::uint64_t i = 0; i < 6; ++i)
    r.rows.push_back({.index = i,
                      .seed = r.sweep.seed_of_run(i),
                      .values = r.sweep.values_of_run(i),
                      .figures = {values[i]},
                      .verdict = i == 4 ? "violated" : "ok"});
  r.rows[4].violations = json::array({{{"property", "exactly_once"}, {"detail", "<img src=x onerror=alert(2)>"}}});
  r.rows[4].kept = true;
  return r;
}

TEST(SweepOutput, StatisticsPerGridPointSkipRunsWithoutTheFigure) {
  const auto stats = point_stats(made_up());
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].figures[0].n, 3u);
  EXPECT_DOUBLE_EQ(stats[0].figures[0].mean, 7.0 / 3);
  EXPECT_EQ(stats[0].figures[0].min, 1.0);
  EXPECT_EQ(stats[0].figures[0].max, 4.0);
  EXPECT_EQ(stats[1].figures[0].n, 2u) << "run 4 has no takeover figure";
  EXPECT_EQ(stats[1].figures[0].mean, 20.0);
  EXPECT_EQ(stats[1].failing, 1u);
  EXPECT_EQ(stat_text(stats[1].figures[0]), "20 [10, 30]");
  EXPECT_EQ(stat_text(Stat{}), "-");
  EXPECT_EQ(number_text(2.30612), "2.306");
  EXPECT_EQ(number_text(0.51), "0.5100");
  EXPECT_EQ(number_text(1827.07), "1827");
}

TEST(SweepOutput, ResultsCsvHasOneRowPerRunWithEmptyCellsForMissingFigures) {
  const std::string csv = results_csv(made_up());
  std::istringstream in(csv);
  std::string line;
  std::vector<std::string> lines;
  while (std::getline(in, line)) lines.push_back(line);
  ASSERT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[0], "index,seed,description,takeover_s,verdict,violations,undecided");
  EXPECT_EQ(lines[1], "0,1,<i>one</i>,1.0,ok,0,0");
  EXPECT_EQ(lines[5], "4,2,\"two, \"\"quoted\"\"\",,violated,1,0");
}

TEST(SweepOutput, SweepJsonReadsBackToTheSameFiles) {
  const SweepResult r = made_up();
  const fs::path dir = fs::temp_directory_path() / ("failsim-sweep-output-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  write_sweep_files(r, dir.string());
  const SweepResult back = read_sweep_folder(dir.string());
  EXPECT_EQ(back.to_json(), r.to_json());
  EXPECT_EQ(results_csv(back), results_csv(r));
  EXPECT_EQ(sweep_html(back), sweep_html(r));

  // A row that is not the grid point its index names is refused.
  std::ifstream in(dir / "sweep.json");
  json j = json::parse(in);
  in.close();
  j["runs"][1]["seed"] = 9;
  std::ofstream(dir / "sweep.json") << j.dump();
  EXPECT_THROW(read_sweep_folder(dir.string()), SweepError);
  // An edited sweep no longer has its digest.
  j["runs"][1]["seed"] = 2;
  j["sweep"]["seeds"] = {1, 2, 5};
  std::ofstream(dir / "sweep.json") << j.dump();
  try {
    read_sweep_folder(dir.string());
    ADD_FAILURE() << "an edited sweep.json was read";
  } catch (const SweepError& e) {
    EXPECT_NE(std::string(e.what()).find("$.digest"), std::string::npos) << e.what();
  }
  // The build is a string when present.
  json wrong_build = r.to_json();
  wrong_build["build"] = 7;
  std::ofstream(dir / "sweep.json") << wrong_build.dump();
  try {
    read_sweep_folder(dir.string());
    ADD_FAILURE() << "a sweep.json with a number for its build was read";
  } catch (const SweepError& e) {
    EXPECT_NE(std::string(e.what()).find("sweep.json: $.build: expected a string"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

// Shard K of 2 of the made-up sweep, run by `build`, written into `dir`.
void write_shard(const fs::path& dir, std::uint64_t k, const std::optional<std::string>& build) {
  SweepResult whole = made_up(), shard{.sweep = whole.sweep, .shard = Shard{k, 2}, .build = build};
  for (Row& row : whole.rows)
    if (shard.shard->holds(row.index)) {
      row.kept = false;  // no run folders to copy
      shard.rows.push_back(row);
    }
  fs::create_directories(dir);
  write_sweep_files(shard, dir.string());
}

std::string merge_problems(const std::vector<std::string>& dirs) {
  try {
    plan_merge(dirs);
  } catch (const SweepError& e) {
    return e.what();
  }
  return "";
}

TEST(SweepOutput, ShardsMergeOnlyWhenOneRecordedBuildRanThemAll) {
  const fs::path dir = fs::temp_directory_path() / ("failsim-sweep-builds-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::string a = (dir / "a").string(), b = (dir / "b").string(), other = (dir / "other").string(),
                    none = (dir / "none").string();
  write_shard(a, 1, "failsim 1.0.0 (commit aaaa)");
  write_shard(b, 2, "failsim 1.0.0 (commit aaaa)");
  write_shard(other, 2, "failsim 1.0.0 (commit bbbb)");
  write_shard(none, 2, std::nullopt);
  const MergePlan plan = plan_merge({a, b});
  EXPECT_EQ(plan.result.build, "failsim 1.0.0 (commit aaaa)") << "the merged sweep names the shards' build";
  EXPECT_EQ(plan.result.rows.size(), 6u);
  EXPECT_EQ(merge_problems({a, other}), other + ": run by failsim 1.0.0 (commit bbbb), but " + a +
                                            " by failsim 1.0.0 (commit aaaa): expected shards of one failsim build");
  const std::string no_build = merge_problems({a, none});
  EXPECT_EQ(no_build.rfind(none + ": its sweep.json records no build", 0), 0u) << no_build;
  EXPECT_NE(merge_problems({none, b}).find(none + ": its sweep.json records no build"), std::string::npos);
  fs::remove_all(dir);
}

TEST(SweepOutput, TheHtmlEscapesEveryTextAndNeedsNoScriptOrNetwork) {
  const std::string html = sweep_html(made_up());
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("Tom &amp; Jerry&#39;s &lt;b&gt;sweep&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;i&gt;one&lt;/i&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  // (No "src=" here: the escaped detail holds it as text.)
  for (const char* banned : {"<script", "<img", "<i>", "<b>", "href=", "url(", "@import", "http://", "https://"})
    EXPECT_EQ(html.find(banned), std::string::npos) << banned;
  EXPECT_NE(html.find("VERDICT: VIOLATED in 1 of 6 runs"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos) << "the chart";
  EXPECT_NE(html.find("<polygon"), std::string::npos) << "the min-max band";
}

}  // namespace
}  // namespace failsim::test
