// Pairs each cp_started event with the one before it on the same node and
// aggregate (LSNs are per log, so the difference of max_lsn counts the
// changes logged in between) and with the node's `sample` taken at it.
//
// The sample is taken after the server's step that started the CP, so when
// a full half triggered the CP it also holds the entry that did not fit,
// logged into the fresh half at the same instant: log bytes per change can
// be over by one entry per half (under 0.2% with block logging's ~2 KiB
// entries in a 1 MiB half).
#include "log_figures.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace failsim::reports {

using nlohmann::json;
using runfolder::EventKind;

std::optional<double> LogFigures::mean_changes_per_cp() const {
  if (cps == 0) return std::nullopt;
  return static_cast<double>(changes) / static_cast<double>(cps);
}

std::optional<double> LogFigures::mean_interval_s() const {
  if (cps == 0) return std::nullopt;
  return interval_sum_s / static_cast<double>(cps);
}

std::optional<double> LogFigures::log_bytes_per_change() const {
  if (sampled_changes == 0 || log_bytes == 0) return std::nullopt;
  return static_cast<double>(log_bytes) / static_cast<double>(sampled_changes);
}

std::optional<double> LogFigures::changes_per_half() const {
  const auto per_change = log_bytes_per_change();
  if (!per_change || half_bytes == 0) return std::nullopt;
  return static_cast<double>(half_bytes) / *per_change;
}

json LogFigures::to_json() const {
  auto opt = [](std::optional<double> v) { return v ? json(*v) : json(nullptr); };
  const auto interval_s = mean_interval_s();
  return {{"cps_counted", cps},
          {"half_bytes", half_bytes},
          {"changes_per_cp",
           {{"mean", opt(mean_changes_per_cp())}, {"max", cps ? json(max_changes_per_cp) : json(nullptr)}}},
          {"log_bytes_per_change", opt(log_bytes_per_change())},
          {"changes_per_half", opt(changes_per_half())},
          {"cp_interval_s", {{"mean", opt(interval_s)},
                             {"min", cps ? json(min_interval_s) : json(nullptr)},
                             {"max", cps ? json(max_interval_s) : json(nullptr)}}},
          {"cps_per_s", interval_s && *interval_s > 0 ? json(1 / *interval_s) : json(nullptr)}};
}

LogFigures build_log_figures(const RunData& run) {
  LogFigures f;
  struct Previous {
    std::uint64_t max_lsn = 0;
    double time_s = 0;
  };
  using Key = std::pair<std::string, std::string>;  // node, aggregate
  std::map<Key, Previous> previous;
  std::set<Key> serving;
  std::map<std::string, std::pair<std::string, std::uint64_t>> awaiting_sample;  // node -> aggregate, changes
  for (const runfolder::Event& e : run.events) {
    const EventKind kind = e.kind;
    const std::string& node = e.node;
    const std::string aggr(e.aggregate());
    if (kind == EventKind::crash) {
      // A restarted node's log starts again: no CP before the crash pairs with one after.
      std::erase_if(previous, [&](const auto& kv) { return kv.first.first == node; });
      std::erase_if(serving, [&](const Key& k) { return k.first == node; });
      awaiting_sample.erase(node);
    } else if (kind == EventKind::serve) {
      serving.insert({node, aggr});
    } else if (kind == EventKind::stop_serving) {
      serving.erase({node, aggr});
    } else if (const auto* cp = e.get<runfolder::CpStarted>()) {
      const Key key{node, aggr};
      const Previous now{cp->max_lsn, e.time_s};
      auto it = previous.find(key);
      // Counted: a CP while serving, after an earlier one (a recovery CP included) of the same log.
      if (it != previous.end() && serving.count(key) && now.max_lsn > it->second.max_lsn) {
        const std::uint64_t changes = now.max_lsn - it->second.max_lsn;
        const double interval_s = now.time_s - it->second.time_s;
        f.min_interval_s = f.cps ? std::min(f.min_interval_s, interval_s) : interval_s;
        f.max_interval_s = std::max(f.max_interval_s, interval_s);
        f.interval_sum_s += interval_s;
        ++f.cps;
        f.changes += changes;
        f.max_changes_per_cp = std::max(f.max_changes_per_cp, changes);
        awaiting_sample[node] = {aggr, changes};
      }
      previous[key] = now;
    } else if (const auto* sample = e.get<runfolder::Sample>(); sample && sample->at == "cp_started") {
      f.half_bytes = std::max(f.half_bytes, sample->log_half_bytes);
      auto it = awaiting_sample.find(node);
      if (it == awaiting_sample.end()) continue;
      // The log the aggregate's changes went to: the node's own, or the one it took over.
      const bool own = run.owner_of(it->second.first) == node;
      f.log_bytes += own ? sample->own_log_bytes : sample->takeover_log_bytes;
      f.sampled_changes += it->second.second;
      awaiting_sample.erase(it);
    }
  }
  return f;
}

}  // namespace failsim::reports
