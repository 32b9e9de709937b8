// Reading and checking the files of a run folder.
#include "run_data.hpp"

#include <algorithm>
#include <filesystem>
#include <limits>
#include <map>
#include <string_view>
#include <utility>

#include "runfolder/event_reader.hpp"
#include "runfolder/history_line.hpp"
#include "runfolder/line_reader.hpp"

namespace failsim::reports {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// JSON documents of a run folder (scenario.json, summary.json,
// verdict.json) are small; the cap keeps a hostile one from taking the
// machine's memory (nlohmann::json needs ~10x the text).
constexpr std::uint64_t max_json_file_bytes = std::uint64_t{256} << 20;

json read_json_object(const fs::path& p) {
  std::string text;
  try {
    text = runfolder::read_regular_file(p.string(), max_json_file_bytes);
  } catch (const runfolder::LineReaderError& e) {
    throw ReportInputError(e.what());
  }
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    throw ReportInputError(p.string() + ": not JSON: " + runfolder::clip(e.what(), 300));
  }
  if (!j.is_object()) throw ReportInputError(p.string() + ": not a JSON object");
  return j;
}

// ---- field checks: every field the reports read, of the type they read ----

[[noreturn]] void bad(const std::string& field, const std::string& want, const json& v) {
  throw ReportInputError(field + ": expected " + want + ", found " + runfolder::clip_json(v));
}
void want_string(const json& j, const char* key, const std::string& where) {
  if (auto it = j.find(key); it != j.end() && !it->is_string()) bad(where + key, "a string", *it);
}
void want_number(const json& j, const char* key, const std::string& where) {
  if (auto it = j.find(key); it != j.end() && !it->is_number()) bad(where + key, "a number", *it);
}
void want_count(const json& j, const char* key, const std::string& where, std::uint64_t max) {
  if (auto it = j.find(key); it != j.end() && (!it->is_number_unsigned() || it->get<std::uint64_t>() > max))
    bad(where + key, "an integer from 0 to " + std::to_string(max), *it);
}
void want_kind(const json& j, const char* key, const std::string& where, bool (json::*is)() const noexcept,
               const char* what) {
  if (auto it = j.find(key); it != j.end() && !((*it).*is)()) bad(where + key, what, *it);
}

void check_scenario_fields(const json& sc) {
  want_string(sc, "name", "");
  want_string(sc, "description", "");
  want_number(sc, "seed", "");
  want_kind(sc, "server", "", &json::is_object, "an object");
  if (sc.contains("server")) want_string(sc["server"], "log_mode", "server.");
  // Read by the checker (checker/judge.cpp): refused here too, so that
  // check and report agree on the folder.
  want_kind(sc, "expect", "", &json::is_object, "an object");
  if (sc.contains("expect"))
    for (const char* k : {"data_loss", "split_brain_free", "takeover"})
      if (auto it = sc["expect"].find(k); it != sc["expect"].end() && !it->is_boolean() && !it->is_null())
        bad(std::string("expect.") + k, "true, false or null", *it);
  want_kind(sc, "workload", "", &json::is_object, "an object");
  if (sc.contains("workload")) {
    for (const char* k : {"clients", "ops_per_client", "retry_limit"})
      want_count(sc["workload"], k, "workload.", std::numeric_limits<std::uint64_t>::max());
    want_string(sc["workload"], "namespace_mode", "workload.");
  }
  const json* cluster = sc.contains("cluster") ? &sc["cluster"] : nullptr;
  if (!cluster || !cluster->is_object()) bad("cluster", "an object", cluster ? *cluster : json());
  if (!cluster->contains("nodes") || !(*cluster)["nodes"].is_array()) bad("cluster.nodes", "an array", cluster->value("nodes", json()));
  for (const auto& n : (*cluster)["nodes"])
    if (!n.is_string()) bad("cluster.nodes[]", "a string", n);
  if (!cluster->contains("aggregates") || !(*cluster)["aggregates"].is_array())
    bad("cluster.aggregates", "an array", cluster->value("aggregates", json()));
  for (const auto& a : (*cluster)["aggregates"]) {
    if (!a.is_object()) bad("cluster.aggregates[]", "an object", a);
    for (const char* k : {"name", "owner"})
      if (!a.contains(k) || !a[k].is_string()) bad(std::string("cluster.aggregates[].") + k, "a string", a.value(k, json()));
  }
}

void check_summary_fields(const json& sm) {
  want_string(sm, "build", "");  // absent in run folders written before builds were recorded
  want_kind(sm, "unserved_aggregates", "", &json::is_array, "an array");  // read by the checker
  if (sm.contains("unserved_aggregates"))
    for (const auto& a : sm["unserved_aggregates"])
      if (!a.is_string()) bad("unserved_aggregates[]", "a string", a);
  want_number(sm, "simulated_s", "");
  want_kind(sm, "ops", "", &json::is_object, "an object");
  if (sm.contains("ops")) want_number(sm["ops"], "retransmissions", "ops.");
}

void check_verdict_fields(const json& v) {
  want_kind(v, "valid", "", &json::is_boolean, "true or false");
  want_kind(v, "violations", "", &json::is_array, "an array");
  want_kind(v, "undecided", "", &json::is_array, "an array");
  if (v.contains("violations"))
    for (const auto& x : v["violations"]) {
      if (!x.is_object()) bad("violations[]", "an object", x);
      want_string(x, "property", "violations[].");
      want_string(x, "detail", "violations[].");
    }
}

// Lines through the run folder's reader: a regular file, within its caps.
template <class Each>
void for_each_line(const fs::path& p, Each each) {
  try {
    runfolder::LineReader in(p.string());
    for (std::string_view line; in.next(line);) {
      try {
        each(line, in.line_number());
      } catch (const std::exception& e) {
        throw ReportInputError(p.string() + ":" + std::to_string(in.line_number()) + ": " + runfolder::clip(e.what(), 300));
      }
    }
  } catch (const runfolder::LineReaderError& e) {
    throw ReportInputError(e.what());
  }
}

// events.jsonl through the run folder's one reader: each line a known
// event, each field of its type.
std::vector<runfolder::Event> read_events(const fs::path& p) {
  try {
    return runfolder::read_events(p.string());
  } catch (const std::runtime_error& e) {  // runfolder::FormatError, runfolder::LineReaderError
    throw ReportInputError(e.what());
  }
}

// history.jsonl, through the checker's own line reading (the scanner, or
// the reference path with its field checks) and the checker's rules: time
// order, each xid invoked once by its client, completed at most once and
// only after its invocation. check and report agree on every history.
std::vector<Request> join_history(const fs::path& p) {
  std::vector<Request> requests;
  std::map<std::pair<std::uint64_t, std::uint64_t>, std::size_t> index;  // (client, xid) -> request
  auto invoked = [&](model::ClientId c, model::Xid x) { return index.contains({c, x}); };
  runfolder::HistoryLine h;
  double last_s = 0;
  for_each_line(p, [&](std::string_view line, std::size_t) {
    if (!runfolder::scan_history_line(line, h)) runfolder::parse_history_line(line, invoked, h);
    // The checks in the checker's order (checker/history.cpp), so that both
    // name the same problem first.
    auto in_time_order = [&] {
      if (!(h.time_s >= last_s))
        throw ReportInputError("time_s: " + std::to_string(h.time_s) + " is before the previous line's " +
                               std::to_string(last_s) + " (expected time order, from 0)");
      last_s = h.time_s;
    };
    if (h.kind == runfolder::HistoryLine::Kind::invoke) {
      in_time_order();
      if (!index.emplace(std::pair{h.client, h.xid}, requests.size()).second)
        throw ReportInputError("client " + std::to_string(h.client) + " invokes xid " + std::to_string(h.xid) +
                               " twice");
      Request r;
      r.client = h.client;
      r.xid = h.xid;
      r.aggregate = h.aggregate;
      r.op = runfolder::op_name(h.type);
      r.invoke_s = h.time_s;
      requests.push_back(std::move(r));
      return;
    }
    auto it = index.find({h.client, h.xid});
    if (it == index.end()) throw ReportInputError("completion of an op never invoked");
    in_time_order();
    Request& r = requests[it->second];
    if (!r.outcome.empty())
      throw ReportInputError("client " + std::to_string(h.client) + " xid " + std::to_string(h.xid) +
                             " completed twice (first at " + std::to_string(r.done_s) + " s)");
    r.outcome = h.kind == runfolder::HistoryLine::Kind::ok ? "ok" : "info";
    r.done_s = h.time_s;
    if (h.kind == runfolder::HistoryLine::Kind::ok) r.result = runfolder::result_name(h.result);
  });
  return requests;
}

// A field check of a whole document, its file named.
template <class Check>
void check_document(const fs::path& p, const json& j, Check check) {
  try {
    check(j);
  } catch (const std::exception& e) {
    throw ReportInputError(p.string() + ": " + e.what());
  }
}

}  // namespace

RunData read_run_folder(const std::string& dir) {
  const fs::path d(dir);
  if (!fs::is_directory(d)) throw ReportInputError(dir + ": not a run folder (no such directory)");
  RunData r;
  r.dir = dir;
  r.scenario = read_json_object(d / "scenario.json");
  r.summary = read_json_object(d / "summary.json");
  check_document(d / "scenario.json", r.scenario, check_scenario_fields);
  check_document(d / "summary.json", r.summary, check_summary_fields);
  std::error_code ec;
  if (fs::symlink_status(d / "verdict.json", ec).type() != fs::file_type::not_found) {
    r.verdict = read_json_object(d / "verdict.json");
    check_document(d / "verdict.json", *r.verdict, check_verdict_fields);
  }
  r.events = read_events(d / "events.jsonl");
  // The recorder writes in time order; a stable sort guards hand-made folders.
  std::stable_sort(r.events.begin(), r.events.end(),
                   [](const runfolder::Event& a, const runfolder::Event& b) { return a.time_s < b.time_s; });
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

double RunData::run_end_s() const {
  for (const runfolder::Event& e : events)
    if (e.kind == runfolder::EventKind::end) return e.time_s;
  return end_s();
}

double RunData::end_s() const {
  double end = 0;
  if (!events.empty()) end = events.back().time_s;
  for (const Request& q : requests) end = std::max(end, q.outcome.empty() ? q.invoke_s : q.done_s);
  return end;
}

}  // namespace failsim::reports
