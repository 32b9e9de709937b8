// sweep.json out and back in, checked on the way in: the digest must match
// the sweep it names, and each row the grid point its index names.
#include "sweep/results.hpp"

#include <filesystem>
#include <fstream>

#include "sweep/sweep_read.hpp"

namespace failsim::sweep {

using nlohmann::json;

std::string run_folder_name(const Sweep& s, std::uint64_t run) {
  const std::size_t width = std::to_string(s.runs() - 1).size();
  std::string digits = std::to_string(run);
  return "runs/" + std::string(width - std::min(width, digits.size()), '0') + digits;
}

json SweepResult::to_json() const {
  json runs = json::array();
  for (const Row& r : rows) {
    json params = json::object(), figs = json::object();
    for (std::size_t k = 0; k < sweep.parameters.size(); ++k) params[sweep.parameters[k].name] = r.values[k];
    for (std::size_t k = 0; k < sweep.figures.size(); ++k) figs[sweep.figures[k].column] = r.figures[k];
    runs.push_back({{"index", r.index},
                    {"seed", r.seed},
                    {"parameters", params},
                    {"figures", figs},
                    {"verdict", r.verdict},
                    {"violations", r.violations},
                    {"undecided", r.undecided},
                    {"run_folder", r.kept ? json(run_folder_name(sweep, r.index)) : json(nullptr)}});
  }
  json j{{"format", "failsim-sweep/1"}, {"digest", sweep.digest()}, {"sweep", sweep.to_json()}, {"runs", runs}};
  if (shard) j["shard"] = {{"k", shard->k}, {"n", shard->n}};
  if (build) j["build"] = *build;
  return j;
}

SweepResult read_sweep_folder(const std::string& dir) {
  const std::string file = (std::filesystem::path(dir) / "sweep.json").string();
  auto fail = [&](const std::string& why) { return SweepError({file + ": " + why}); };
  std::ifstream in(file, std::ios::binary);
  if (!in) throw fail("cannot read: expected a sweep or shard folder written by failsim sweep");
  SweepResult r;
  try {
    const json j = json::parse(in);
    if (j.value("format", "") != "failsim-sweep/1") throw fail("$.format: expected \"failsim-sweep/1\"");
    // The resolved sweep is a sweep file of its own: the same reader checks it.
    r.sweep = parse_sweep(j.at("sweep").dump(), file + ": $.sweep", "", "");
    if (j.at("digest").get<std::string>() != r.sweep.digest())
      throw fail("$.digest: does not match its sweep (the file was edited)");
    if (j.contains("build")) {
      if (!j["build"].is_string()) throw fail("$.build: expected a string, the failsim build that ran the runs");
      r.build = j["build"].get<std::string>();
    }
    if (j.contains("shard")) {
      r.shard = Shard{j["shard"].at("k").get<std::uint64_t>(), j["shard"].at("n").get<std::uint64_t>()};
      if (r.shard->k < 1 || r.shard->k > r.shard->n) throw fail("$.shard: expected 1 <= k <= n");
    }
    const json& runs = j.at("runs");
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const json& x = runs.at(i);
      const std::string at = "$.runs[" + std::to_string(i) + "]";
      Row row;
      row.index = x.at("index").get<std::uint64_t>();
      if (row.index >= r.sweep.runs()) throw fail(at + ".index: " + std::to_string(row.index) + " is not in the grid");
      row.seed = x.at("seed").get<std::uint64_t>();
      row.values = r.sweep.values_of_run(row.index);
      for (std::size_t k = 0; k < r.sweep.parameters.size(); ++k)
        if (x.at("parameters").at(r.sweep.parameters[k].name) != row.values[k])
          throw fail(at + ".parameters: not the values of grid run " + std::to_string(row.index));
      if (row.seed != r.sweep.seed_of_run(row.index))
        throw fail(at + ".seed: not the seed of grid run " + std::to_string(row.index));
      for (const Figure& f : r.sweep.figures) row.figures.push_back(x.at("figures").at(f.column));
      row.verdict = x.at("verdict").get<std::string>();
      if (row.verdict != "ok" && row.verdict != "violated" && row.verdict != "died")
        throw fail(at + ".verdict: expected \"ok\", \"violated\" or \"died\"");
      row.violations = x.at("violations");
      row.undecided = x.at("undecided").get<std::vector<std::string>>();
      row.kept = !x.at("run_folder").is_null();
      r.rows.push_back(std::move(row));
    }
  } catch (const json::exception& e) {
    throw fail(std::string("malformed: ") + e.what());
  }
  return r;
}

}  // namespace failsim::sweep
