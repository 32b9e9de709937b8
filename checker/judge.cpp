// Reading a run folder and running every check on it.
#include "judge.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>

#include "checker/event_checks.hpp"
#include "checker/image_check.hpp"
#include "checker/serialization.hpp"
#include "runfolder/line_reader.hpp"
#include "runfolder/scenario_facts.hpp"

namespace failsim::checker {

namespace fs = std::filesystem;
using nlohmann::json;
using runfolder::ScenarioFacts;

namespace {
// A small JSON document of the run folder: a regular file within 64 MiB
// (not a directory, a FIFO or /dev/zero), or LineReaderError naming it.
json read_json(const fs::path& p) {
  const std::string text = runfolder::read_regular_file(p.string(), std::uint64_t{64} << 20);
  try {
    return json::parse(text);
  } catch (const std::exception& e) {
    throw HistoryError(p.string() + ": " + e.what());
  }
}
// memory-state.json as records, every field checked.
runfolder::Trees read_trees(const fs::path& p) {
  const json doc = read_json(p);
  try {
    return runfolder::read_state(doc);
  } catch (const runfolder::FormatError& e) {
    throw HistoryError(p.string() + ": " + e.what());
  }
}
std::string seconds(double s) { return json(s).dump(); }  // as the scenario writes it

// An aggregate the scenario expects lost: unserved at the end, because
// every plex of it lost a RAID group beyond its parity - not for any other
// reason, which would be a liveness failure.
void check_lost(const ScenarioFacts& scenario, const EventReport& events, const std::string& aggr, Verdict& v) {
  if (events.server_at_end.contains(aggr)) {
    v.violations.push_back({"expectation", aggr + " is served at the end of the run; the scenario expects it lost"});
    return;
  }
  auto failed = events.failed_plexes.find(aggr);
  const std::size_t failed_plexes = failed == events.failed_plexes.end() ? 0 : failed->second.size();
  const std::size_t plexes = scenario.plexes.contains(aggr) ? scenario.plexes.at(aggr) : 1;
  if (failed_plexes < plexes)
    v.violations.push_back({"liveness", aggr + " is not served at the end of the run, and the scenario expects it "
                                              "lost, but only " + std::to_string(failed_plexes) + " of its " +
                                              std::to_string(plexes) + " plexes lost a RAID group (raid_group_failed)"});
  else
    v.expected_violations.push_back(
        {"liveness", aggr + " is not served at the end of the run: lost, as the scenario expects"});
}

// Liveness from the serving timeline: every aggregate served at the end,
// never unserved longer than expect.max_outage_s, and - where giveback is
// automatic, or the scenario says so - served by its owner.
void check_serving(const ScenarioFacts& scenario, const EventReport& events, Verdict& v) {
  const ScenarioFacts::Expect& expect = scenario.expect;
  for (const auto& [aggr, node] : scenario.owners) {
    const bool served = events.server_at_end.contains(aggr);
    if (expect.lost_aggregates.contains(aggr))
      check_lost(scenario, events, aggr, v);
    else if (!served)
      v.violations.push_back({"liveness", aggr + " is not served at the end of the run"});
  }
  const bool owner_required =
      expect.owner_serves_at_end.value_or(scenario.giveback == runfolder::GivebackMode::automatic);
  if (owner_required)
    for (const auto& [aggr, node] : scenario.owners)
      if (auto it = events.server_at_end.find(aggr);
          !expect.lost_aggregates.contains(aggr) && it != events.server_at_end.end() && it->second != node)
        v.violations.push_back(
            {"liveness", aggr + " is served by " + it->second + " at the end of the run, not by its owner " + node +
                             (expect.owner_serves_at_end ? " (the scenario expects its owner to serve it)"
                                                         : " (giveback is automatic)")});
  if (expect.max_outage_s) {
    const Outage* longest = nullptr;
    for (const Outage& o : events.outages)
      if (!expect.lost_aggregates.contains(o.aggregate) && (!longest || o.duration_s() > longest->duration_s()))
        longest = &o;
    if (longest && longest->duration_s() > *expect.max_outage_s)
      v.violations.push_back({"liveness", longest->aggregate + " went unserved for " +
                                              std::to_string(longest->duration_s()) + " s; the scenario allows " +
                                              seconds(*expect.max_outage_s) + " s"});
  }
}

// What the scenario says the run must show: a takeover or none, how long
// one may take.
void check_expectations(const ScenarioFacts& scenario, const EventReport& events, Verdict& v) {
  const ScenarioFacts::Expect& expect = scenario.expect;
  if (expect.takeover && *expect.takeover != events.served_by_non_owner)
    v.violations.push_back({"expectation", events.served_by_non_owner
                                               ? "a takeover happened; the scenario expects none"
                                               : "no takeover happened; the scenario expects one"});
  if (expect.max_takeover_s)
    for (const Takeover& t : events.takeovers)
      if (t.duration_s() > *expect.max_takeover_s)
        v.violations.push_back({"expectation", t.aggregate + ": a takeover took " + std::to_string(t.duration_s()) +
                                                   " s (" + t.owner + " stopped serving it at " +
                                                   std::to_string(t.from_s) + " s, " + t.by + " served it at " +
                                                   std::to_string(t.to_s) + " s); the scenario allows " +
                                                   seconds(*expect.max_takeover_s) + " s"});
}

// An out-of-envelope scenario states the damage it must show: that damage
// is then expected - kept apart as expected violations, shown, not counted -
// and its absence a violation; nothing else may go wrong.
void expect_damage(Verdict& v, bool (*is_damage)(const std::string&), const char* missing) {
  bool seen = false;
  std::vector<Violation> rest;
  for (auto& x : v.violations) {
    if (is_damage(x.property)) {
      seen = true;
      v.expected_violations.push_back(std::move(x));
    } else {
      rest.push_back(std::move(x));
    }
  }
  // An undecided part may hold the damage: then its absence is not shown.
  if (!seen && v.undecided.empty()) rest.push_back({"expectation", missing});
  v.violations = std::move(rest);
}

// expect.loss_only_acked_after_s: the acknowledged changes that may be lost
// are judged as if their outcome were unknown (applied at most once), so a
// serialization exists exactly when every other change survived; those it
// leaves out are the lost ones.
struct MayBeLost {
  model::ClientId client;
  model::Xid xid;
  std::string description;
  double acked_s;
  bool ok;  // acknowledged with OK: a lost failed change changed nothing
};
std::vector<MayBeLost> relax_acked_between(History& history, double from_s, double to_s) {
  std::vector<MayBeLost> out;
  for (auto& [client, list] : history.clients)
    for (OpRecord& op : list.ops)
      if (op.has_result && op.completed && op.completed_s >= from_s && op.completed_s <= to_s) {
        out.push_back({op.client, op.xid, describe(history, op), op.completed_s, op.result == model::Result::ok});
        op.has_result = false;
      }
  return out;
}

// What check_clients_finish needs of a client, taken before its changes are
// judged and freed: how many it issued, and the first never answered.
// waits_on: a lost aggregate (expect.lost_aggregates) one of its changes
// got no answer from, which excuses it from finishing.
struct ClientTally {
  std::size_t issued = 0;
  std::optional<std::string> first_unanswered;
  std::optional<std::string> waits_on;
};
std::map<model::ClientId, ClientTally> tally(const History& history, const std::set<std::string>& lost) {
  std::map<model::ClientId, ClientTally> out;
  for (const auto& [client, list] : history.clients) {
    ClientTally& t = out[client];
    t.issued = list.ops.size();
    for (const OpRecord& op : list.ops) {
      if (op.has_result) continue;
      if (!t.first_unanswered) t.first_unanswered = describe(history, op);
      if (std::string aggr(history.strings[op.aggregate]); !t.waits_on && lost.contains(aggr)) t.waits_on = aggr;
    }
  }
  return out;
}

// The changes on aggregates the scenario expects lost are not judged: their
// disks are gone. Returns how many acknowledged changes that leaves out, per aggregate.
std::map<std::string, std::size_t> drop_lost_aggregates(History& history, json& final_state,
                                                        const std::set<std::string>& lost) {
  std::map<std::string, std::size_t> acked;
  if (lost.empty()) return acked;
  for (auto& [client, list] : history.clients)
    std::erase_if(list.ops, [&](const OpRecord& op) {
      const std::string aggr(history.strings[op.aggregate]);
      if (!lost.contains(aggr)) return false;
      acked[aggr] += op.has_result && op.result == model::Result::ok;
      return true;
    });
  for (const std::string& aggr : lost)
    if (final_state.contains("aggregates")) final_state["aggregates"].erase(aggr);
  return acked;
}

// Every client finishes: it issued all its changes, and with retry_limit 0
// (retry until answered) every one was answered before the run ended.
void check_clients_finish(const ScenarioFacts& scenario, const std::map<model::ClientId, ClientTally>& clients,
                          Verdict& v) {
  const std::uint64_t per_client = scenario.ops_per_client;
  const bool retry_forever = scenario.retry_limit == 0;
  for (std::uint64_t c = 1; c <= scenario.clients; ++c) {
    auto it = clients.find(static_cast<model::ClientId>(c));
    if (it != clients.end() && it->second.waits_on) {
      v.expected_violations.push_back({"liveness", "client " + std::to_string(c) + " waits on " +
                                                       *it->second.waits_on + ", lost as the scenario expects"});
      continue;
    }
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
bool shared_namespace(const std::optional<ScenarioFacts>& scenario, const History& history) {
  if (scenario) return scenario->shared_namespace;
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

std::string_view outcome_name(Outcome o) {
  switch (o) {
    case Outcome::held: return "held";
    case Outcome::violated: return "violated";
    case Outcome::undecided: return "undecided";
  }
  return "violated";
}

json Verdict::to_json() const {
  auto list = [](const std::vector<Violation>& xs) {
    json out = json::array();
    for (const auto& x : xs) out.push_back({{"property", x.property}, {"detail", x.detail}});
    return out;
  };
  json lost = json::array();
  for (const LostChange& l : lost_changes)
    lost.push_back({{"client", l.client}, {"xid", l.xid}, {"op", l.op}, {"acked_s", l.acked_s}});
  return {{"outcome", outcome_name(outcome())},
          {"valid", valid()},
          {"ops_checked", ops_checked},
          {"unknown_ops", unknown_ops},
          {"fsck_runs", fsck_runs},
          {"search_states", search_states},
          {"undecided", undecided},
          {"violations", list(violations)},
          {"expected_violations", list(expected_violations)},
          {"lost_changes", lost}};
}

Verdict judge_run_folder(const std::string& dir_name, std::uint64_t search_states) {
  const fs::path dir(dir_name);
  if (!fs::is_directory(dir)) throw HistoryError(dir_name + ": not a run folder");
  json final_state = read_json(dir / "final-state.json");
  const runfolder::Trees memory = read_trees(dir / "memory-state.json");
  History history;
  read_history_into((dir / "history.jsonl").string(), history);
  const std::optional<ScenarioFacts> scenario = runfolder::read_scenario_facts(dir_name);
  const EventReport events = check_events((dir / "events.jsonl").string(), scenario ? scenario->owners : std::map<std::string, std::string>{});
  ImageReport image = check_image_matches_memory(
      {final_state, memory, (dir / "final-state.json").string(), (dir / "memory-state.json").string()},
      events.final_cps);
  // An aggregate whose final CP did not finish: its disks lack what its
  // log holds, so the history is judged against its memory.
  for (const std::string& aggr : image.judge_memory)
    final_state["aggregates"][aggr] = runfolder::tree_json(memory.at(aggr));
  const std::set<std::string> lost = scenario ? scenario->expect.lost_aggregates : std::set<std::string>{};
  const std::map<model::ClientId, ClientTally> clients = tally(history, lost);
  const std::map<std::string, std::size_t> lost_acked = drop_lost_aggregates(history, final_state, lost);
  const bool shared = shared_namespace(scenario, history);
  const bool data_loss = scenario && scenario->expect.data_loss;
  const bool loss_stated = scenario && scenario->expect.loss_only_acked_after_s;
  std::vector<MayBeLost> may_be_lost;
  if (data_loss && loss_stated)
    may_be_lost = relax_acked_between(history, *scenario->expect.loss_only_acked_after_s, scenario->fault_phase_s);
  AckedUnknown acked_unknown;
  for (const MayBeLost& m : may_be_lost) acked_unknown.insert({m.client, m.xid});
  ExactlyOnceReport once =
      check_exactly_once(history, final_state, shared, search_states, &acked_unknown);  // empties `history`

  Verdict v;
  v.violations = std::move(once.violations);
  v.violations.insert(v.violations.end(), events.violations.begin(), events.violations.end());
  v.violations.insert(v.violations.end(), image.violations.begin(), image.violations.end());
  v.ops_checked = once.ops_checked;
  v.unknown_ops = once.unknown_ops - may_be_lost.size();  // those were acknowledged
  v.fsck_runs = events.fsck_runs;
  v.search_states = once.search_states;
  v.undecided = std::move(once.undecided);
  for (const auto& [aggr, n] : lost_acked)
    v.expected_violations.push_back({"exactly_once", aggr + " is lost, as the scenario expects: " + std::to_string(n) +
                                                         " acknowledged changes on it are not judged"});
  if (!scenario) {
    // A bare folder: every aggregate it ever served must be served at the end.
    for (const Outage& o : events.outages)
      if (!events.server_at_end.contains(o.aggregate) && o.to_s >= events.end_s)
        v.violations.push_back({"liveness", o.aggregate + " is not served at the end of the run"});
    return v;
  }
  check_clients_finish(*scenario, clients, v);
  check_serving(*scenario, events, v);
  check_expectations(*scenario, events, v);
  if (data_loss && !loss_stated) {
    expect_damage(
        v, [](const std::string& p) { return p == "exactly_once" || p == "results"; },
        "the scenario expects lost changes, and none were lost");
  } else if (data_loss) {
    // Name each acknowledged change lost; a violation left is a loss the scenario does not accept.
    std::set<std::pair<model::ClientId, model::Xid>> left_out(once.left_out.begin(), once.left_out.end());
    for (const MayBeLost& m : may_be_lost)
      if (m.ok && left_out.contains({m.client, m.xid})) {
        v.expected_violations.push_back(
            {"exactly_once", m.description + ", acknowledged at " + std::to_string(m.acked_s) + " s, was lost"});
        v.lost_changes.push_back({m.client, m.xid, m.description, m.acked_s});
      }
    if (v.lost_changes.empty() && v.undecided.empty())  // an undecided part may hide the loss
      v.violations.push_back({"expectation", "the scenario expects lost changes, and none were lost"});
  }
  if (scenario->expect.split_brain_free == false)
    expect_damage(
        v, [](const std::string& p) { return p == "split_brain"; }, "the scenario expects split brain, and none was seen");
  return v;
}

}  // namespace failsim::checker
