// The event kind name table, and events written by the run folder's writer
// read back by its reader: the same events, and clear errors for bad lines.
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/temp_folder.hpp"
#include "runfolder/event_reader.hpp"
#include "runfolder/event_writer.hpp"
#include "runfolder/format_error.hpp"

namespace failsim::runfolder {
namespace {

struct Folder {
  std::string path = make_temp_folder("runfolder-test");
  ~Folder() { remove_temp_folder(path); }
  std::string write(const std::string& name, const std::string& text) const {
    const std::string p = path + "/" + name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
};

TEST(EventKind, EveryNameParsesBackToItsKind) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < event_kind_count; ++i) {
    const auto kind = static_cast<EventKind>(i);
    const std::string_view name = to_string(kind);
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << name << " named twice";
    EXPECT_EQ(parse_event_kind(name), kind) << name;
  }
}

TEST(EventKind, UnknownNamesAreRefused) {
  EXPECT_EQ(parse_event_kind(""), std::nullopt);
  EXPECT_EQ(parse_event_kind("Crash"), std::nullopt);
  EXPECT_EQ(parse_event_kind("stop"), std::nullopt);
}

TEST(EventWriter, WritesTheSimulatorsBytes) {
  std::string line;
  append_event_line(line, 1.5, "n0", EventKind::serve, {{"aggregate", "aggr0"}});
  EXPECT_EQ(line, R"({"aggregate":"aggr0","kind":"serve","node":"n0","time_s":1.5})");
  line.clear();
  append_event_line(line, 0.0, "", EventKind::settle, {});
  EXPECT_EQ(line, R"({"kind":"settle","node":"","time_s":0.0})");
}

std::vector<Event> samples_of_every_payload() {
  std::vector<Event> out;
  auto add = [&](EventKind k, EventPayload p, std::string node = "n0") {
    out.push_back({static_cast<double>(out.size()) / 4, std::move(node), k, std::move(p)});
  };
  add(EventKind::power_on, NoFields{});
  add(EventKind::boot, Boot{BootMode::after_takeover});
  add(EventKind::crash, Crash{"fault"});
  add(EventKind::resume, Resume{0.25});
  add(EventKind::aggregate_loaded, AggregateLoaded{"aggr0", 12, 0.5});
  add(EventKind::superblock_write, SuperblockWrite{"aggr0", 3});
  add(EventKind::reservation_taken, OnAggregate{"aggr0"});
  add(EventKind::reservation_rejection, ReservationRejection{"aggr1", 99});
  add(EventKind::serve, OnAggregate{"aggr0"});
  add(EventKind::partner_declared_dead, PartnerDeclaredDead{"n1"});
  add(EventKind::heartbeat_missed, HeartbeatMissed{"interconnect"});
  Sample s;
  s.at = "timer";
  s.own_log_bytes = 4096;
  s.nvram_busy_s = 0.125;
  s.disk_busy_s = {{"d0", 0.5}};
  s.disk_writes = {{"d0", 7}};
  add(EventKind::sample, s);
  add(EventKind::cp_started, CpStarted{"aggr0", "", 10, 20});
  add(EventKind::cp_finished, CpFinished{"aggr0", "", 2, 20});
  add(EventKind::replayed, Replayed{"aggr0", "", 5, 1});
  add(EventKind::replay_mismatch, ReplayMismatch{"aggr0", "", 17});
  add(EventKind::request_too_large, RequestTooLarge{"", "", 9000, 4096});
  add(EventKind::takeover_refused, Note{"", "partner up"});
  add(EventKind::giveback_started, Note{});
  add(EventKind::fault, FaultNote{"disk_fail", "", "d0"}, "");
  add(EventKind::fault_armed, FaultNote{"crash_at_cp_block", "n1", ""}, "");
  add(EventKind::repair, FaultNote{"", "", "d0"}, "");
  add(EventKind::fsck, Fsck{"aggr0", "cp", 1, 4, false, {"bad block"}}, "");
  add(EventKind::end, End{true, false}, "");
  add(EventKind::final_cp, FinalCp{"aggr0", true, 7});
  add(EventKind::resync_started, Resync{"aggr0", 1, 0, 268435456, 0, 0, 5.36870912});
  add(EventKind::resync_finished, Resync{"aggr0", 1, 0, 268435456, 812, 5.36870912, 5.36870912});
  add(EventKind::resync_abandoned, Resync{"aggr0", 1, 0, 268435456, 0, 1.5, 5.36870912}, "n1");
  add(EventKind::plex_state, PlexState{"aggr0", {false, true}, 3, 1}, "");
  return out;
}

TEST(EventReader, ReadsBackWhatTheWriterWrote) {
  Folder dir;
  const std::vector<Event> events = samples_of_every_payload();
  std::string text;
  for (const Event& e : events) text += event_line(e) + "\n";
  const std::vector<Event> back = read_events(dir.write("events.jsonl", text));
  ASSERT_EQ(back.size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(back[i].kind, events[i].kind);
    EXPECT_EQ(back[i].node, events[i].node);
    EXPECT_EQ(back[i].time_s, events[i].time_s);
    EXPECT_EQ(back[i].payload.index(), events[i].payload.index()) << to_string(events[i].kind);
    EXPECT_EQ(event_line(back[i]), event_line(events[i]));
  }
  EXPECT_EQ(std::string(back[4].aggregate()), "aggr0");
  EXPECT_EQ(std::string(back[17].text()), "partner up");
}

std::string error_of(const std::string& path) {
  try {
    read_events(path);
  } catch (const FormatError& e) {
    return e.what();
  }
  return "no error";
}

TEST(EventReader, NamesTheFileLineAndField) {
  Folder dir;
  const std::string ok = R"({"kind":"power_on","node":"n0","time_s":0.0})";
  EXPECT_EQ(error_of(dir.write("a", ok + "\n" + R"({"blocks":"many","kind":"cp_started","node":"n0","time_s":1.0})")),
            dir.path + "/a:2: blocks: expected an integer from 0 to 2147483647, found \"many\"");
  EXPECT_EQ(error_of(dir.write("b", R"({"kind":"stop","node":"n0","time_s":1.0})")),
            dir.path + "/b:1: kind: unknown value \"stop\"");
  EXPECT_EQ(error_of(dir.write("c", R"({"kind":"crash","node":5,"time_s":1.0})")),
            dir.path + "/c:1: node: expected a string, found 5");
  EXPECT_EQ(error_of(dir.write("d", R"({"kind":"crash","node":"n0"})")), dir.path + "/d:1: time_s: missing");
  EXPECT_EQ(error_of(dir.write("e", "[1]")), dir.path + "/e:1: expected a JSON object, found [1]");
  EXPECT_NE(error_of(dir.write("f", ok + "\n\n")).find("/f:2: "), std::string::npos);  // an empty line
  EXPECT_EQ(error_of(dir.write("h", R"({"aggregate":"aggr0","kind":"plex_state","node":"","stale":[false,1],"time_s":1.0})")),
            dir.path + "/h:1: stale[]: expected true or false, found 1");
  // Events are written as simulated time passes.
  EXPECT_EQ(error_of(dir.write("g", R"({"kind":"power_on","node":"n0","time_s":2.0})" "\n" + ok)),
            dir.path + "/g:2: time_s: 0.000000 is before the previous line's 2.000000 (expected time order, from 0)");
}

}  // namespace
}  // namespace failsim::runfolder
