// The committed scenario files, and `failsim validate` over files: "FILE: ok"
// per valid file, the problems of the others, and the exit status.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/scenario/default_scenario.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> committed_scenarios() {
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(FAILSIM_SCENARIO_DIR))
    if (e.path().extension() == ".json" && e.path().filename() != "scenario.schema.json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(ScenarioFiles, EveryCommittedScenarioIsValid) {
  const auto files = committed_scenarios();
  EXPECT_GE(files.size(), 10u);
  for (const auto& f : files) {
    try {
      sim::load_scenario_file(f);
    } catch (const sim::ScenarioError& e) {
      ADD_FAILURE() << e.what();
    }
  }
  EXPECT_NO_THROW(sim::parse_scenario(sim::default_scenario_json, "(embedded default scenario)"));
}

TEST(ScenarioFiles, ValidateReportsEachFileAndFailsIfAnyIsBad) {
  const fs::path dir = fs::temp_directory_path() / "failsim-validate-test";
  fs::create_directories(dir);
  const std::string good = (dir / "good.json").string(), bad = (dir / "bad.json").string(),
                    missing = (dir / "missing.json").string();
  std::ofstream(good) << R"({"workload": {"clients": 2}})";
  std::ofstream(bad) << "{\"workload\": {\"clients\": 0},\n \"phases\": {\"settle\": 3}}";

  std::ostringstream out, err;
  EXPECT_EQ(sim::validate_command({good}, out, err), 0);
  EXPECT_EQ(out.str(), good + ": ok\n");
  EXPECT_EQ(err.str(), "");

  out.str(""), err.str("");
  EXPECT_EQ(sim::validate_command({good, bad, missing}, out, err), 2);
  EXPECT_EQ(out.str(), good + ": ok\n");
  EXPECT_EQ(err.str(), bad + ": $.workload.clients: expected an integer from 1 to 30000, found 0\n" +
                           bad + ": $.phases.settle: unknown key (did you mean 'settle_s'?)\n" +
                           missing + ": cannot read: No such file or directory\n");
  fs::remove_all(dir);
}

}  // namespace
}  // namespace failsim
