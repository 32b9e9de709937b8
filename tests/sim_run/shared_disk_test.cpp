// A disk is one device both nodes share: two nodes' requests to one disk
// are served one at a time, FIFO by arrival (disk_queue.hpp, disk_arm.hpp).
// Each test runs two bare node actors, each with its own event loop and
// DiskQueue for the same disk, on the default scenario's platform, in a
// forked child with a fresh Engine (as timing_test.cpp does).
#include <gtest/gtest.h>

#include <simgrid/s4u.hpp>
#include <sys/wait.h>
#include <unistd.h>
#include <xbt/log.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>

#include "sim/run/disk_queue.hpp"
#include "sim/run/node_driver.hpp"  // World owns the node drivers
#include "sim/run/platform_build.hpp"
#include "sim/run/topology.hpp"

namespace failsim {
namespace {

namespace sg4 = simgrid::s4u;

const char* const kDisk = "shelf0.d0";

// What one node saw of its one request.
struct Seen {
  bool ended = false, transferred = false;
  double ended_s = -1, busy_s = -1;
};

// A node actor reduced to its disk: submits one 4 KiB block write to kDisk
// at `submit_at_s`; with `crash_at_s` >= 0, loses power then (its loop's
// work dropped, its queue's requests lost, as NodeDriver::crash does).
void node_actor(sim::World& w, int node, double submit_at_s, double crash_at_s, Seen& seen) {
  sim::EventLoop loop(w.node_mailbox[node]);
  bool up = true, stop = false;
  sim::DiskQueue::Hooks hooks{[&] { return up; }, [](sim::DiskRequest&) { return false; },
                              [&](const std::string&, sim::DiskRequest&, bool transferred, double busy_s) {
                                seen = {true, transferred, w.now(), busy_s};
                                stop = true;
                              }};
  sim::DiskQueue queue(w, loop, node, kDisk, hooks);
  loop.open_inbox();
  loop.at(submit_at_s, [&] {
    queue.submit({"aggr0", 0, 0, std::make_shared<const std::vector<std::uint8_t>>(4096, 1), 0, 0, 0, ""});
  });
  if (crash_at_s >= 0)
    loop.at(crash_at_s, [&] {
      queue.lose_power([](sim::DiskRequest&) {});
      loop.drop_all();
      up = false;
      stop = true;
    });
  loop.run(stop, [](sim::Message* m) { delete m; });
}

// Runs the two nodes to the end in a forked child; `check` judges what they
// saw (0: pass) and is the child's exit status.
int two_nodes(double submit1_at_s, double crash0_at_s, const std::function<int(const Seen&, const Seen&)>& check) {
  std::fflush(stdout);
  pid_t pid = ::fork();
  if (pid == 0) {
    int argc = 1;
    char name[] = "shared_disk";
    char* argv[] = {name, nullptr};
    sg4::Engine engine(&argc, argv);
    xbt_log_control_set("root.thres:critical");
    engine.set_config("network/model:CM02");
    engine.set_config("network/crosstraffic:0");
    sim::World w;
    sim::build_platform(w);
    w.topology = std::make_unique<sim::Topology>(w.scenario.cluster);
    Seen seen[2];
    sg4::Actor::create("n0", w.node_host[0], [&] { node_actor(w, 0, 0, crash0_at_s, seen[0]); });
    sg4::Actor::create("n1", w.node_host[1], [&] { node_actor(w, 1, submit1_at_s, -1, seen[1]); });
    engine.run();
    const int code = check(seen[0], seen[1]);
    std::fflush(stdout);
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

bool near(double got, double want) { return std::fabs(got - want) <= 1e-9; }

TEST(SharedDisk, TheSecondNodesRequestWaitsForTheFirstsService) {
  // Both submit at 0; n0's actor runs first, so its request arrived first.
  int code = two_nodes(0, -1, [](const Seen& a, const Seen& b) {
    std::printf("n0: ended %.9f s (busy %.9f s); n1: ended %.9f s (busy %.9f s)\n", a.ended_s, a.busy_s, b.ended_s,
                b.busy_s);
    if (!a.transferred || !b.transferred) return 1;
    // n0 was served at once; n1 started when n0's request ended, its own
    // service (positioning and transfer) after that.
    if (!near(a.ended_s, a.busy_s)) return 2;
    if (!near(b.ended_s - b.busy_s, a.ended_s)) return 3;
    return 0;
  });
  EXPECT_EQ(code, 0);
}

TEST(SharedDisk, ANodeThatLosesPowerFreesTheDiskAndLosesOnlyItsOwnRequest) {
  // n0's request is positioning at 1 ms (a positioning takes several ms on
  // the default disk) when n0 loses power: n1's request, waiting behind it,
  // starts then, and is served whole.
  const double crash_s = 0.001;
  int code = two_nodes(0, crash_s, [crash_s](const Seen& a, const Seen& b) {
    std::printf("n0: ended %d; n1: ended %.9f s (busy %.9f s)\n", a.ended, b.ended_s, b.busy_s);
    if (a.ended) return 1;  // lost with n0's power, never completed
    if (!b.transferred) return 2;
    if (!near(b.ended_s - b.busy_s, crash_s)) return 3;
    return 0;
  });
  EXPECT_EQ(code, 0);
}

TEST(SharedDisk, RequestsAtDifferentTimesDoNotWait) {
  // n1 submits long after n0's request ended: each is served at once.
  int code = two_nodes(0.5, -1, [](const Seen& a, const Seen& b) {
    if (!a.transferred || !b.transferred) return 1;
    if (!near(a.ended_s, a.busy_s) || !near(b.ended_s - b.busy_s, 0.5)) return 2;
    return 0;
  });
  EXPECT_EQ(code, 0);
}

}  // namespace
}  // namespace failsim
