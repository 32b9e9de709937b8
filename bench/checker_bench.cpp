// Figure 5: the checker's wall time and peak memory to judge generated
// histories (not simulated) of 10^4 .. 10^7 events, for private and shared
// namespaces. Private: 16 closed-loop clients, each in its own directory.
// Shared: 16 clients taking turns in one directory, each change overlapping
// the next in time, so the search must order them. Renames keep the depth
// of what they move, so the namespace stays small and the figure measures
// the history's length, not a final state that grows with it (with nested
// renames, paths - and final-state.json - grow without bound: 27 MB for
// 10^7 private events, 387 MB shared).
//
// The histories are streamed to disk (the same bytes the simulator's
// recorder writes for such changes) in the parent; the judging runs in a
// child, whose time and peak memory are the figure.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <optional>
#include <tuple>
#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "bench/figures.hpp"
#include "checker/fs_tree.hpp"
#include "checker/judge.hpp"
#include "checker/reference_fs.hpp"
#include "runfolder/event_writer.hpp"
#include "sim/run/json_line.hpp"
#include "sim/memory/client_workload.hpp"

namespace failsim::bench {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int clients = 16;

// history.jsonl through a buffer of our own.
class LineFile {
 public:
  explicit LineFile(const fs::path& p) : f_(std::fopen(p.c_str(), "wb")) {
    if (!f_) throw std::runtime_error(p.string() + ": cannot write");
  }
  ~LineFile() {
    flush();
    std::fclose(f_);
  }
  std::string& buffer() { return buf_; }
  void end_line() {
    buf_ += '\n';
    if (buf_.size() > (1u << 20)) flush();
  }

 private:
  void flush() {
    std::fwrite(buf_.data(), 1, buf_.size(), f_);
    buf_.clear();
  }
  std::FILE* f_;
  std::string buf_;
};

// History lines, invocations and answers, as the simulator writes them.
struct HistoryLines {
  LineFile& file;
  void invoke(double t, model::ClientId client, const model::Change& c) {
    sim::json_line::append_invoke(file.buffer(), t, client, c.xid, "aggr0", c);
    file.end_line();
  }
  void answer(double t, model::ClientId client, model::Xid xid, model::Result r) {
    sim::json_line::append_ok(file.buffer(), t, client, xid, r);
    file.end_line();
  }
};

// One shared namespace: invoked at k, answered at k + 1.5, so each change
// overlaps the next. The answer is written after the next invocation, in
// time order as the checker requires.
void write_shared_changes(HistoryLines& history, std::mt19937_64& rng, std::uint64_t changes,
                          checker::ReferenceFs& fs) {
  sim::memory::ClientOpStream ops(rng, 1, false);
  std::optional<std::tuple<double, model::ClientId, model::Xid, model::Result>> pending;
  auto answer = [&](double t, model::ClientId client, model::Xid xid, model::Result r) {
    history.answer(t, client, xid, r);
  };
  for (std::uint64_t k = 0; k < std::max<std::uint64_t>(changes, 1); ++k) {
    model::Change c = ops.next();
    c.client = static_cast<model::ClientId>(k % clients + 1);
    const model::Result r = fs.apply(c);
    history.invoke(static_cast<double>(k), c.client, c);
    if (pending) std::apply(answer, *pending);
    pending.emplace(static_cast<double>(k) + 1.5, c.client, c.xid, r);
  }
  if (pending) std::apply(answer, *pending);
}

// Private namespaces: each client's changes are drawn from the one
// generator in turn, as sim::memory::random_client_ops would draw them,
// then interleaved in time.
void write_private_changes(HistoryLines& history, std::mt19937_64& rng, std::uint64_t changes,
                           std::vector<checker::ReferenceFs>& own) {
  const std::uint64_t per_client = changes / clients;
  std::vector<std::mt19937_64> starts;
  for (int c = 1; c <= clients; ++c) {
    starts.push_back(rng);
    sim::memory::ClientOpStream skip(rng, static_cast<model::ClientId>(c), false);
    for (std::uint64_t k = 0; k < std::max<std::uint64_t>(per_client, 1); ++k) skip.next();
  }
  std::vector<sim::memory::ClientOpStream> ops;
  for (int c = 1; c <= clients; ++c) ops.emplace_back(starts[c - 1], static_cast<model::ClientId>(c), false);
  double t = 0;
  for (std::uint64_t k = 0; k < per_client; ++k)
    for (int c = 1; c <= clients; ++c) {
      const model::Change ch = ops[c - 1].next();
      const model::Result r = own[c].apply(ch);
      history.invoke(t, static_cast<model::ClientId>(c), ch);
      history.answer(t + 0.5, static_cast<model::ClientId>(c), ch.xid, r);
      t += 1;
    }
}

// Writes a run folder whose history has `events` events (two per change).
void write_history(const fs::path& dir, std::uint64_t events, bool shared) {
  fs::create_directories(dir);
  std::mt19937_64 rng(7);
  const std::uint64_t changes = events / 2;
  checker::ReferenceFs shared_fs;
  std::vector<checker::ReferenceFs> own(clients + 1);
  {
    LineFile file(dir / "history.jsonl");
    HistoryLines history{file};
    if (shared)
      write_shared_changes(history, rng, changes, shared_fs);
    else
      write_private_changes(history, rng, changes, own);
  }
  json tree = json::object();
  if (shared) {
    tree = runfolder::tree_json(checker::tree_records(shared_fs.tree()));
  } else {
    for (int c = 1; c <= clients; ++c) tree.update(runfolder::tree_json(checker::tree_records(own[c].tree())));
  }
  std::ofstream(dir / "final-state.json") << json{{"aggregates", {{"aggr0", tree}}}}.dump() << '\n';
  // No final CP in these events: nothing held in memory to compare.
  std::ofstream(dir / "memory-state.json") << json{{"aggregates", json::object()}}.dump() << '\n';
  // n0 takes aggr0's reservation and serves it from the start, as a run's
  // events show it: the liveness and split-brain checks then hold.
  std::string lines;
  runfolder::append_event_line(lines, 0, "n0", runfolder::EventKind::reservation_taken, {{"aggregate", "aggr0"}});
  lines += '\n';
  runfolder::append_event_line(lines, 0, "n0", runfolder::EventKind::serve, {{"aggregate", "aggr0"}});
  lines += '\n';
  std::ofstream(dir / "events.jsonl") << lines;
  std::ofstream(dir / "summary.json") << json{{"unserved_aggregates", json::array()}}.dump() << '\n';
  const json scenario = {
      {"cluster", {{"aggregates", {{{"name", "aggr0"}, {"owner", "n0"}}}}}},
      {"workload",
       {{"clients", clients},
        {"ops_per_client", shared ? 0 : changes / clients},
        {"namespace_mode", shared ? "shared" : "private"},
        {"retry_limit", 0}}},
      // What the checker requires of every scenario.json (runfolder/scenario_facts.hpp).
      {"server", {{"giveback", {{"mode", "auto"}}}}},
      {"phases", {{"fault_phase_s", 0.0}}},
      {"expect",
       {{"data_loss", false},
        {"loss_only_acked_after_s", nullptr},
        {"max_outage_s", nullptr},
        {"max_takeover_s", nullptr},
        {"owner_serves_at_end", nullptr},
        {"split_brain_free", nullptr},
        {"takeover", nullptr}}}};
  std::ofstream(dir / "scenario.json") << scenario.dump() << '\n';
}

}  // namespace

std::vector<Figure> checker_figures(const std::vector<std::uint64_t>& sizes, const std::string& keep_dir) {
  std::vector<Figure> out;
  for (bool shared : {false, true}) {
    for (std::uint64_t events : sizes) {
      const std::string name = std::string(shared ? "shared" : "private") + "-" + std::to_string(events);
      const fs::path dir = keep_dir.empty() ? fs::temp_directory_path() /
                                                  ("failsim-bench-" + std::to_string(::getpid()) + "-history")
                                            : fs::path(keep_dir) / name;
      fs::remove_all(dir);
      // Written in a child of its own, so that the judging child, forked
      // from this process, inherits none of the writer's memory.
      in_child([&] {
        write_history(dir, events, shared);
        return std::vector<double>{};
      });
      Measured m = in_child([&dir] {
        const checker::Verdict v = checker::judge_run_folder(dir.string());
        if (!v.valid() || !v.undecided.empty()) throw std::runtime_error("the generated history was not judged valid");
        return std::vector<double>{static_cast<double>(v.ops_checked)};
      });
      if (keep_dir.empty()) fs::remove_all(dir);
      const std::string label = std::string("checker, ") + (shared ? "shared" : "private") + " namespace, " +
                                std::to_string(events) + " events";
      out.push_back({label + ": wall time", m.wall_s, "s"});
      out.push_back({label + ": peak resident memory", m.peak_rss_mib, "MiB"});
    }
  }
  return out;
}

std::vector<Figure> judge_figures(const std::string& dir) {
  Measured m = in_child([&dir] {
    const checker::Verdict v = checker::judge_run_folder(dir);
    return std::vector<double>{static_cast<double>(v.ops_checked), v.valid() ? 1.0 : 0.0};
  });
  return {{"checker, " + dir + ": changes checked", m.values[0], "changes"},
          {"checker, " + dir + ": valid", m.values[1], "bool"},
          {"checker, " + dir + ": wall time", m.wall_s, "s"},
          {"checker, " + dir + ": peak resident memory", m.peak_rss_mib, "MiB"}};
}

}  // namespace failsim::bench
