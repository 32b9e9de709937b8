// Reading a run folder and running every check on it.
#include "judge.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "checker/event_checks.hpp"
#include "checker/serialization.hpp"

namespace failsim::checker {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
json read_json(const fs::path& p) {
  std::ifstream in(p);
  if (!in) throw HistoryError(p.string() + ": cannot read");
  try {
    return json::parse(in);
  } catch (const std::exception& e) {
    throw HistoryError(p.string() + ": " + e.what());
  }
}
// What the scenario says the run must show.
void check_expectations(const json& scenario, const json& summary, const fs::path& dir, Verdict& v) {
  const json& expect = scenario.value("expect", json::object());
  std::map<std::string, std::string> owner;
  for (const auto& a : scenario["cluster"]["aggregates"]) owner[a["name"]] = a["owner"];
  bool takeover = false;
  // Outages: from the moment an aggregate's server stops serving it (or
  // crashes) to the next serve; one still open at the end lasts until then.
  std::map<std::string, std::string> server;      // aggregate -> node serving it
  std::map<std::string, double> unserved_since;  // aggregate -> time it went unserved
  double longest_outage_s = 0, end_s = 0;
  std::string longest_aggregate;
  auto outage = [&](const std::string& aggr, double until_s) {
    const double d = until_s - unserved_since[aggr];
    if (d > longest_outage_s) longest_outage_s = d, longest_aggregate = aggr;
    unserved_since.erase(aggr);
  };
  std::ifstream events(dir / "events.jsonl");
  for (std::string line; std::getline(events, line);) {
    json e = json::parse(line);
    const std::string kind = e.value("kind", ""), node = e.value("node", "");
    const double t = e.value("time_s", 0.0);
    end_s = std::max(end_s, t);
    if (kind == "serve") {
      const std::string aggr = e.value("aggregate", "");
      if (owner.contains(aggr) && owner[aggr] != node) takeover = true;
      if (unserved_since.contains(aggr)) outage(aggr, t);
      server[aggr] = node;
    } else if (kind == "stop_serving" || kind == "crash") {
      for (auto& [aggr, by] : server)
        if (by == node && (kind == "crash" || e.value("aggregate", "") == aggr) && !unserved_since.contains(aggr))
          unserved_since[aggr] = t;
      std::erase_if(server, [&](const auto& p) { return unserved_since.contains(p.first) && p.second == node; });
    }
  }
  for (const auto& [aggr, since] : std::map<std::string, double>(unserved_since)) outage(aggr, end_s);
  if (expect.contains("max_outage_s") && expect["max_outage_s"].is_number() &&
      longest_outage_s > expect["max_outage_s"].get<double>())
    v.violations.push_back({"liveness", longest_aggregate + " went unserved for " + std::to_string(longest_outage_s) +
                                            " s; the scenario allows " + expect["max_outage_s"].dump() + " s"});
  if (expect.contains("takeover") && expect["takeover"].is_boolean() && expect["takeover"].get<bool>() != takeover)
    v.violations.push_back({"expectation", takeover ? "a takeover happened; the scenario expects none"
                                                     : "no takeover happened; the scenario expects one"});
  if (expect.contains("max_takeover_s") && expect["max_takeover_s"].is_number())
    for (const auto& t : summary.value("takeover_s", json::array()))
      if (t.get<double>() > expect["max_takeover_s"].get<double>())
        v.violations.push_back({"expectation", "a takeover took " + t.dump() + " s; the scenario allows " +
                                                   expect["max_takeover_s"].dump() + " s"});
  // An out-of-envelope scenario states the damage it must show: that damage
  // is then expected (and its absence a violation), and nothing else may go wrong.
  auto expect_damage = [&](auto is_damage, const char* missing) {
    bool seen = false;
    std::vector<Violation> rest;
    for (auto& x : v.violations) {
      if (is_damage(x.property)) seen = true;
      else rest.push_back(std::move(x));
    }
    if (!seen) rest.push_back({"expectation", missing});
    v.violations = std::move(rest);
  };
  if (expect.value("data_loss", false))
    expect_damage([](const std::string& p) { return p == "exactly_once" || p == "results"; },
                  "the scenario expects lost changes, and none were lost");
  if (expect.contains("split_brain_free") && expect["split_brain_free"] == false)
    expect_damage([](const std::string& p) { return p == "split_brain"; },
                  "the scenario expects split brain, and none was seen");
}

// What check_clients_finish needs of a client, taken before its changes are
// judged and freed: how many it issued, and the first never answered.
struct ClientTally {
  std::size_t issued = 0;
  std::optional<std::string> first_unanswered;
};
std::map<model::ClientId, ClientTally> tally(const History& history) {
  std::map<model::ClientId, ClientTally> out;
  for (const auto& [client, list] : history.clients) {
    ClientTally& t = out[client];
    t.issued = list.ops.size();
    for (const OpRecord& op : list.ops)
      if (!op.has_result) {
        t.first_unanswered = describe(history, op);
        break;
      }
  }
  return out;
}

// Every client finishes: it issued all its changes, and with retry_limit 0
// (retry until answered) every one was answered before the run ended.
void check_clients_finish(const json& scenario, const std::map<model::ClientId, ClientTally>& clients, Verdict& v) {
  const json& w = scenario.value("workload", json::object());
  const std::uint64_t per_client = w.value("ops_per_client", std::uint64_t{0});
  const bool retry_forever = w.value("retry_limit", 0) == 0;
  for (int c = 1; c <= w.value("clients", 0); ++c) {
    auto it = clients.find(static_cast<model::ClientId>(c));
    const std::size_t issued = it == clients.end() ? 0 : it->second.issued;
    if (issued < per_client) {
      v.violations.push_back({"liveness", "client " + std::to_string(c) + " issued only " + std::to_string(issued) +
                                              " of its " + std::to_string(per_client) + " changes before the run ended"});
      continue;
    }
    if (!retry_forever) continue;
    if (it != clients.end() && it->second.first_unanswered)
      v.violations.push_back(
          {"liveness", *it->second.first_unanswered + " was never answered, and the client retries until answered"});
  }
}

// As the scenario says; for a folder without scenario.json, shared when a
// client touched a path outside its own directory.
bool shared_namespace(const json& scenario, const History& history) {
  if (scenario.contains("workload")) return scenario["workload"].value("namespace_mode", "private") == "shared";
  for (const auto& [client, list] : history.clients) {
    const std::string home = "/c" + std::to_string(client);
    for (const OpRecord& op : list.ops)
      for (std::string_view p : {history.strings[op.path], history.strings[op.to]})
        if (!p.empty() && p != home && !(p.size() > home.size() && p.starts_with(home) && p[home.size()] == '/'))
          return true;
  }
  return false;
}

}  // namespace

json Verdict::to_json() const {
  json v = json::array();
  for (const auto& x : violations) v.push_back({{"property", x.property}, {"detail", x.detail}});
  return {{"valid", valid()},       {"ops_checked", ops_checked}, {"unknown_ops", unknown_ops},
          {"fsck_runs", fsck_runs}, {"search_states", search_states}, {"undecided", undecided},
          {"violations", v}};
}

Verdict judge_run_folder(const std::string& dir_name, std::uint64_t search_states) {
  const fs::path dir(dir_name);
  if (!fs::is_directory(dir)) throw HistoryError(dir_name + ": not a run folder");
  const json final_state = read_json(dir / "final-state.json");
  const json summary = read_json(dir / "summary.json");
  History history;
  read_history_into((dir / "history.jsonl").string(), history);
  EventReport events = check_events((dir / "events.jsonl").string());
  const json scenario = fs::exists(dir / "scenario.json") ? read_json(dir / "scenario.json") : json::object();
  const std::map<model::ClientId, ClientTally> clients = tally(history);
  const bool shared = shared_namespace(scenario, history);
  ExactlyOnceReport once = check_exactly_once(history, final_state, shared, search_states);  // empties `history`

  Verdict v;
  v.violations = std::move(once.violations);
  v.violations.insert(v.violations.end(), events.violations.begin(), events.violations.end());
  for (const auto& aggr : summary.value("unserved_aggregates", json::array()))
    v.violations.push_back({"liveness", aggr.get<std::string>() + " is not served at the end of the run"});
  v.ops_checked = once.ops_checked;
  v.unknown_ops = once.unknown_ops;
  v.fsck_runs = events.fsck_runs;
  v.search_states = once.search_states;
  v.undecided = std::move(once.undecided);
  if (!scenario.empty()) {
    check_clients_finish(scenario, clients, v);
    check_expectations(scenario, summary, dir, v);
  }
  return v;
}

}  // namespace failsim::checker
