// Node states as flags driven by the events; the shown state is the most
// telling flag that is set (down over booting over taking over ...).
#include "timeline.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace failsim::reports {

using nlohmann::json;
using runfolder::EventKind;

const std::vector<std::string>& state_names() {
  static const std::vector<std::string> names{"serving", "recovering", "taking over", "giving back",
                                              "waiting for giveback", "booting", "down", "idle"};
  return names;
}

namespace {

struct NodeFlags {
  bool down = false, booting = false, recovering = false, taking_over = false, giving_back = false,
       waiting = false;
  std::set<std::string> served;
  std::string label() const {
    if (down) return "down";
    if (booting) return "booting";
    if (taking_over) return "taking over";
    if (giving_back) return "giving back";
    if (recovering) return "recovering";
    if (waiting) return "waiting for giveback";
    return served.empty() ? "idle" : "serving";
  }
};

class Builder {
 public:
  explicit Builder(const RunData& run) : run_(run) {
    t_.nodes = run.nodes();
    t_.end_s = run.end_s();
  }

  Timeline build() {
    for (const runfolder::Event& e : run_.events) on_event(e);
    finish(t_.end_s);
    std::stable_sort(t_.activities.begin(), t_.activities.end(),
                     [](const Span& a, const Span& b) { return a.start_s < b.start_s; });
    return std::move(t_);
  }

 private:
  void on_event(const runfolder::Event& e) {
    if (marked(e)) return;
    const std::string& node = e.node;
    if (std::find(t_.nodes.begin(), t_.nodes.end(), node) == t_.nodes.end()) return;  // cluster-wide: fsck, end
    NodeFlags& f = flags_[node];
    const std::string before = f.label();
    const bool was_known = open_state_.count(node) > 0;
    update_flags(e, f);
    record_activity(e);
    const std::string after = f.label();
    if (!was_known || after != before) switch_state(node, e.time_s, after);
  }

  // Faults, repairs and the settle phase are markers, not states.
  bool marked(const runfolder::Event& e) {
    const EventKind kind = e.kind;
    if (kind == EventKind::fault || kind == EventKind::fault_armed || kind == EventKind::repair) {
      const runfolder::FaultNote& note = *e.get<runfolder::FaultNote>();
      const std::string fault = note.fault.empty() ? "fault" : note.fault;
      std::string target = note.target_node.empty() ? e.node : note.target_node;
      std::string label = kind == EventKind::fault_armed ? "armed " + fault : kind == EventKind::repair ? "repair " + fault : fault;
      if (!note.target.empty()) label += " " + note.target;
      t_.markers.push_back({e.time_s, target, std::string(runfolder::to_string(kind)), label});
      return true;
    }
    if (kind == EventKind::settle) {
      t_.markers.push_back({e.time_s, "", "settle", "settle phase"});
      return true;
    }
    return false;
  }

  // What the node is doing, as its state label shows it.
  void update_flags(const runfolder::Event& e, NodeFlags& f) {
    const std::string aggr(e.aggregate());
    switch (e.kind) {
      case EventKind::crash:
        f = NodeFlags{};
        f.down = true;
        close_activities(e.node, e.time_s, "interrupted");
        break;
      case EventKind::power_on:
        f.down = false;
        f.booting = true;
        break;
      case EventKind::boot:
        f.down = f.booting = false;
        (e.get<runfolder::Boot>()->mode == runfolder::BootMode::after_takeover ? f.waiting : f.recovering) = true;
        break;
      case EventKind::serve:
        f.served.insert(aggr);
        if (run_.owner_of(aggr) == e.node)
          f.recovering = f.waiting = false;
        else
          f.taking_over = false;
        break;
      case EventKind::stop_serving: f.served.erase(aggr); break;
      case EventKind::takeover_started: f.taking_over = true; break;
      case EventKind::takeover_refused: f.taking_over = false; break;
      case EventKind::giveback_started: f.giving_back = true; break;
      case EventKind::giveback_finished: f.giving_back = false; break;
      case EventKind::load_failed: f.recovering = f.taking_over = false; break;
      default: break;
    }
  }

  // CPs and the steps of a recovery, as spans.
  void record_activity(const runfolder::Event& e) {
    const double t = e.time_s;
    const std::string& node = e.node;
    const std::string aggr(e.aggregate());
    if (const auto* cp = e.get<runfolder::CpStarted>()) {
      open_cp_[{node, aggr}] = t_.activities.size();
      t_.activities.push_back(
          {node, "CP " + aggr, "CP", t, t, {{"aggregate", aggr}, {"blocks", cp->blocks}, {"max_lsn", cp->max_lsn}}});
    } else if (const auto* done = e.get<runfolder::CpFinished>()) {
      if (auto it = open_cp_.find({node, aggr}); it != open_cp_.end()) {
        Span& s = t_.activities[it->second];
        s.end_s = t;
        s.args["generation"] = done->generation;
        open_cp_.erase(it);
      }
    } else if (e.kind == EventKind::reservation_taken) {
      reserved_at_[{node, aggr}] = t;
    } else if (const auto* loaded = e.get<runfolder::AggregateLoaded>()) {
      if (auto it = reserved_at_.find({node, aggr}); it != reserved_at_.end()) {
        t_.activities.push_back({node, "recovery " + aggr, "reserve", it->second, t, {{"aggregate", aggr}}});
        reserved_at_.erase(it);
      }
      const double load_end_s = t + loaded->load_s;
      t_.activities.push_back({node, "recovery " + aggr, "load", t, load_end_s,
                               {{"aggregate", aggr}, {"blocks_read", loaded->blocks_read}}});
      load_end_s_[{node, aggr}] = load_end_s;
    } else if (const auto* replayed = e.get<runfolder::Replayed>()) {
      if (auto it = load_end_s_.find({node, aggr}); it != load_end_s_.end()) {
        t_.activities.push_back({node, "recovery " + aggr, "replay", std::min(it->second, t), t,
                                 {{"aggregate", aggr}, {"replayed", replayed->replayed},
                                  {"skipped", replayed->skipped}}});
        load_end_s_.erase(it);
      }
    }
  }

  void switch_state(const std::string& node, double t, const std::string& label) {
    if (auto it = open_state_.find(node); it != open_state_.end()) t_.states[it->second].end_s = t;
    open_state_[node] = t_.states.size();
    t_.states.push_back({node, "state", label, t, t});
  }

  void close_activities(const std::string& node, double t, const std::string& why) {
    for (auto it = open_cp_.begin(); it != open_cp_.end();) {
      if (it->first.first != node) {
        ++it;
        continue;
      }
      t_.activities[it->second].end_s = t;
      t_.activities[it->second].args[why] = true;
      it = open_cp_.erase(it);
    }
    std::erase_if(reserved_at_, [&](const auto& kv) { return kv.first.first == node; });
    std::erase_if(load_end_s_, [&](const auto& kv) { return kv.first.first == node; });
  }

  void finish(double end_s) {
    for (auto& [node, i] : open_state_) t_.states[i].end_s = std::max(end_s, t_.states[i].start_s);
    for (const std::string& n : t_.nodes) close_activities(n, end_s, "unfinished");
    // States left at the instant they were entered (several events at one time).
    std::erase_if(t_.states, [](const Span& s) { return s.end_s <= s.start_s; });
    std::stable_sort(t_.states.begin(), t_.states.end(), [&](const Span& a, const Span& b) {
      return a.node != b.node ? node_index(a.node) < node_index(b.node) : a.start_s < b.start_s;
    });
    // Neighbours with the same state (a state left and re-entered at one instant) are one span.
    std::vector<Span> merged;
    for (Span& s : t_.states) {
      if (!merged.empty() && merged.back().node == s.node && merged.back().name == s.name &&
          merged.back().end_s == s.start_s)
        merged.back().end_s = s.end_s;
      else
        merged.push_back(std::move(s));
    }
    t_.states = std::move(merged);
  }

  std::size_t node_index(const std::string& n) const {
    return static_cast<std::size_t>(std::find(t_.nodes.begin(), t_.nodes.end(), n) - t_.nodes.begin());
  }

  const RunData& run_;
  Timeline t_;
  std::map<std::string, NodeFlags> flags_;
  std::map<std::string, std::size_t> open_state_;  // node -> its current state span
  std::map<std::pair<std::string, std::string>, std::size_t> open_cp_;
  std::map<std::pair<std::string, std::string>, double> reserved_at_, load_end_s_;
};

}  // namespace

Timeline build_timeline(const RunData& run) { return Builder(run).build(); }

}  // namespace failsim::reports
