// Reading and checking the files of a run folder.
#include "run_data.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string_view>
#include <utility>

#include "checker/history_line.hpp"
#include "model/change.hpp"
#include "model/result.hpp"

namespace failsim::reports {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::ifstream open_file(const fs::path& p) {
  if (!fs::is_regular_file(p)) throw ReportInputError(p.string() + ": missing");
  std::ifstream in(p, std::ios::binary);
  if (!in) throw ReportInputError(p.string() + ": cannot be read");
  return in;
}

json read_json_object(const fs::path& p) {
  std::ifstream in = open_file(p);
  json j;
  try {
    j = json::parse(in);
  } catch (const json::exception& e) {
    throw ReportInputError(p.string() + ": not JSON: " + e.what());
  }
  if (!j.is_object()) throw ReportInputError(p.string() + ": not a JSON object");
  return j;
}

// Each line a JSON object; `check` may throw json::exception for a bad field.
template <class Check>
std::vector<json> read_json_lines(const fs::path& p, Check check) {
  std::ifstream in = open_file(p);
  std::vector<json> out;
  std::size_t line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.empty()) continue;
    try {
      json j = json::parse(line);
      if (!j.is_object()) throw ReportInputError("not a JSON object");
      check(j);
      out.push_back(std::move(j));
    } catch (const std::exception& e) {
      throw ReportInputError(p.string() + ":" + std::to_string(line_no) + ": " + e.what());
    }
  }
  return out;
}

double time_of(const json& j) {
  const json& t = j.at("time_s");
  if (!t.is_number()) throw ReportInputError("time_s is not a number");
  return t.get<double>();
}

// One history line, as the join needs it.
struct HistoryFields {
  double time_s = 0;
  std::uint64_t client = 0, xid = 0;
  std::string_view type, aggregate, op, result;
};

// Lines in the simulator's canonical form go through the checker's scanner
// (no JSON document per line); any other line through nlohmann::json, with
// the same checks. The scanner takes a line only when every field it holds
// is what nlohmann::json would read.
class HistoryLineReader {
 public:
  HistoryFields read(const std::string& line) {
    HistoryFields f;
    if (checker::scan_history_line(line, scanned_)) {
      f.time_s = scanned_.time_s;
      f.client = scanned_.client;
      f.xid = scanned_.xid;
      switch (scanned_.kind) {
        case checker::HistoryLine::Kind::invoke:
          f.type = "invoke";
          f.aggregate = scanned_.aggregate;
          f.op = model::to_string(scanned_.type);
          break;
        case checker::HistoryLine::Kind::ok:
          f.type = "ok";
          f.result = model::to_string(scanned_.result);
          break;
        case checker::HistoryLine::Kind::other: f.type = "info"; break;
      }
      return f;
    }
    json_ = json::parse(line);
    if (!json_.is_object()) throw ReportInputError("not a JSON object");
    f.time_s = time_of(json_);
    f.client = json_.at("client").get<std::uint64_t>();
    f.xid = json_.at("xid").get<std::uint64_t>();
    f.type = owned_[0] = json_.at("type").get<std::string>();
    if (f.type == "invoke") {
      f.aggregate = owned_[1] = json_.at("aggregate").get<std::string>();
      f.op = owned_[2] = json_.at("op").at("f").get<std::string>();
    } else if (f.type == "ok") {
      f.result = owned_[3] = json_.at("result").get<std::string>();
    }
    return f;
  }

 private:
  checker::HistoryLine scanned_;
  json json_;
  std::string owned_[4];  // a line read through nlohmann::json: the views point here
};

std::vector<Request> join_history(const fs::path& p) {
  std::ifstream in = open_file(p);
  std::vector<Request> requests;
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::size_t> open;  // (client, xid) -> request
  HistoryLineReader reader;
  std::size_t line_no = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    if (line.empty()) continue;
    try {
      const HistoryFields f = reader.read(line);
      if (f.type == "invoke") {
        Request r;
        r.client = f.client;
        r.xid = f.xid;
        r.aggregate = f.aggregate;
        r.op = f.op;
        r.invoke_s = f.time_s;
        if (!open.emplace(std::pair{f.client, f.xid}, requests.size()).second)
          throw ReportInputError("client " + std::to_string(f.client) + " invokes xid " + std::to_string(f.xid) +
                                 " twice");
        requests.push_back(std::move(r));
      } else if (f.type == "ok" || f.type == "info") {
        auto it = open.find({f.client, f.xid});
        if (it == open.end())
          throw ReportInputError("completion of client " + std::to_string(f.client) + " xid " + std::to_string(f.xid) +
                                 " without an open invocation");
        Request& r = requests[it->second];
        r.outcome = f.type;
        r.done_s = f.time_s;
        if (f.type == "ok") r.result = f.result;
        if (r.done_s < r.invoke_s) throw ReportInputError("completion before its invocation");
        open.erase(it);
      } else {
        throw ReportInputError("unknown type \"" + std::string(f.type) + "\"");
      }
    } catch (const std::exception& e) {
      throw ReportInputError(p.string() + ":" + std::to_string(line_no) + ": " + e.what());
    }
  }
  return requests;
}

}  // namespace

RunData read_run_folder(const std::string& dir) {
  const fs::path d(dir);
  if (!fs::is_directory(d)) throw ReportInputError(dir + ": not a run folder (no such directory)");
  RunData r;
  r.dir = dir;
  r.scenario = read_json_object(d / "scenario.json");
  r.summary = read_json_object(d / "summary.json");
  try {
    for (const auto& n : r.scenario.at("cluster").at("nodes")) n.get<std::string>();
    for (const auto& a : r.scenario.at("cluster").at("aggregates")) {
      a.at("name").get<std::string>();
      a.at("owner").get<std::string>();
    }
    r.scenario.at("name").get<std::string>();
  } catch (const json::exception& e) {
    throw ReportInputError((d / "scenario.json").string() + ": " + e.what());
  }
  if (fs::exists(d / "verdict.json")) r.verdict = read_json_object(d / "verdict.json");
  r.events = read_json_lines(d / "events.jsonl", [](const json& j) {
    time_of(j);
    j.at("node").get<std::string>();
    j.at("kind").get<std::string>();
  });
  // The recorder writes in time order; a stable sort guards hand-made folders.
  std::stable_sort(r.events.begin(), r.events.end(),
                   [](const json& a, const json& b) { return a["time_s"].get<double>() < b["time_s"].get<double>(); });
  r.requests = join_history(d / "history.jsonl");
  return r;
}

std::vector<std::string> RunData::nodes() const {
  return scenario.at("cluster").at("nodes").get<std::vector<std::string>>();
}

std::string RunData::owner_of(const std::string& aggregate) const {
  for (const auto& a : scenario.at("cluster").at("aggregates"))
    if (a.at("name") == aggregate) return a.at("owner").get<std::string>();
  return "";
}

double RunData::end_s() const {
  double end = 0;
  if (!events.empty()) end = events.back()["time_s"].get<double>();
  for (const Request& q : requests) end = std::max(end, q.outcome.empty() ? q.invoke_s : q.done_s);
  return end;
}

}  // namespace failsim::reports
