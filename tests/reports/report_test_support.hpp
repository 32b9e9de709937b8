// Shared by the report tests: the default scenario run once per test process
// into a temporary run folder, with its reports written the way `failsim run`
// writes them (into the temporary folder, before the rename).
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "reports/write_reports.hpp"
#include "sim/run/run_folder.hpp"
#include "sim/scenario/default_scenario.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim::test {

namespace fs = std::filesystem;

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline nlohmann::json read_json(const fs::path& p) { return nlohmann::json::parse(slurp(p)); }

// A folder under the temporary directory, removed when the process ends.
class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(fs::temp_directory_path() / ("failsim-reports-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Runs `scenario` into `dir` with its reports; fails the test on a non-zero exit.
inline void run_with_reports(const sim::Scenario& scenario, const fs::path& dir) {
  std::ostringstream out;
  const int code = sim::run_into_folder(scenario, dir.string(), true, out,
                                        [](const std::string& d) { reports::write_reports(d); });
  if (code != 0) throw std::runtime_error("the run failed: " + out.str());
}

inline sim::Scenario default_scenario() {
  return sim::parse_scenario(sim::default_scenario_json, "(embedded default scenario)");
}

// The default scenario's run folder, made once per test process.
inline const fs::path& default_run() {
  static TempDir tmp("default");
  static const fs::path dir = [] {
    fs::path d = tmp.path() / "default-seed1";
    run_with_reports(default_scenario(), d);
    return d;
  }();
  return dir;
}

// The default scenario with a workload that runs through the whole run
// (about 100 changes a second per client for 16 s): requests before the
// crash, during the takeover, after it, during the giveback and after it.
inline const fs::path& outage_run() {
  static TempDir tmp("outage");
  static const fs::path dir = [] {
    sim::Scenario s = default_scenario();
    s.name = "default-long-workload";
    s.workload.think_time_s = 0.01;
    s.workload.ops_per_client = 1600;
    fs::path d = tmp.path() / "outage-seed1";
    run_with_reports(s, d);
    return d;
  }();
  return dir;
}

// Every report file of a run folder, by name, with its bytes.
inline std::map<std::string, std::string> report_files(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const char* f : {"report.json", "report.html", "trace.json", "latency.csv", "throughput.csv", "nvram.csv",
                        "utilisation.csv", "cps.csv"})
    files[f] = slurp(dir / f);
  return files;
}

}  // namespace failsim::test
