// Validation of the timing model on the platform failsim builds: one
// transfer takes exactly latency + size / bandwidth on each kind of link,
// and a disk fed by an open-loop Poisson stream, served FIFO the way the
// node driver serves it, has the mean queueing delay of the
// Pollaczek-Khinchine formula (M/G/1) within 5% at utilisation 0.5 and 0.8.
#include <gtest/gtest.h>

#include <simgrid/s4u.hpp>
#include <sys/wait.h>
#include <unistd.h>
#include <xbt/log.h>

#include <cmath>
#include <cstdio>
#include <functional>

#include "sim/run/disk_timing.hpp"
#include "sim/run/node_driver.hpp"
#include "sim/run/platform_build.hpp"
#include "sim/run/rng.hpp"

namespace failsim {
namespace {

namespace sg4 = simgrid::s4u;

// Runs `body` in a forked child with a fresh Engine and the default
// scenario's platform; the child's exit status is the test's verdict.
int in_engine(const std::function<int(sim::World&)>& body) {
  std::fflush(stdout);
  pid_t pid = ::fork();
  if (pid == 0) {
    int argc = 1;
    char name[] = "timing";
    char* argv[] = {name, nullptr};
    sg4::Engine engine(&argc, argv);
    xbt_log_control_set("root.thres:critical");
    engine.set_config("network/model:CM02");
    engine.set_config("network/crosstraffic:0");
    sim::World w;
    sim::build_platform(w);
    int code = 1;
    sg4::Actor::create("probe", w.node_host[0], [&] { code = body(w); });
    engine.run();
    std::fflush(stdout);
    ::_exit(code);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

bool close(double got, double want, double rel) { return std::fabs(got - want) <= rel * want; }

TEST(Timing, OneTransferTakesLatencyPlusSizeOverBandwidth) {
  int code = in_engine([](sim::World& w) {
    const sim::TimingSpec& t = w.scenario.timing;
    struct Case {
      const char* what;
      sg4::Host *from, *to;
      double want_s;
    };
    const std::uint64_t bytes = 1 << 20;
    const double media = std::min(t.loop_bandwidth_Bps, t.disk.transfer_Bps);
    std::vector<Case> cases = {
        {"nvram", w.node_host[0], w.nvram_host[0], sim::transfer_s(t.nvram, bytes)},
        {"interconnect", w.node_host[0], w.nvram_host[1], sim::transfer_s(t.interconnect, bytes)},
        {"client network", w.client_hosts[0], w.node_host[1], sim::transfer_s(t.client_net, bytes)},
        {"disk (loop and media)", w.node_host[0], w.disk_hosts.at("shelf0.d0"), bytes / media},
    };
    int failures = 0;
    for (const Case& c : cases) {
      double t0 = sg4::Engine::get_clock();
      sg4::Comm::sendto(c.from, c.to, bytes);
      double took = sg4::Engine::get_clock() - t0;
      if (!close(took, c.want_s, 1e-9)) {
        std::printf("%s: %.12f s, expected %.12f s\n", c.what, took, c.want_s);
        ++failures;
      }
    }
    return failures;
  });
  EXPECT_EQ(code, 0);
}

// Mean wait before service of a FIFO disk under Poisson arrivals at `rho`.
int pollaczek_khinchine(double rho) {
  return in_engine([rho](sim::World& w) {
    const sim::DiskTiming& d = w.scenario.timing.disk;
    const double block = 4096;
    const double transfer_s = block / std::min(w.scenario.timing.loop_bandwidth_Bps, d.transfer_Bps);
    // Service S = seek U(0, 2a) + rotation U(0, r) + transfer c.
    const double a = d.seek_s, r = d.rotation_s, c = transfer_s;
    const double mean_s = a + r / 2 + c;
    const double var_s = (2 * a) * (2 * a) / 12 + r * r / 12;
    const double second_moment = var_s + mean_s * mean_s;
    const double lambda = rho / mean_s;
    const double want_wait_s = lambda * second_moment / (2 * (1 - rho));

    std::mt19937_64 arrivals = sim::make_stream(42, "arrivals"), positioning = sim::make_stream(42, "disk");
    std::exponential_distribution<double> gap(lambda);
    sg4::Host* disk = w.disk_hosts.at("shelf0.d0");
    const int requests = 200000;
    double arrival = 0, free_at = 0, total_wait = 0;
    for (int i = 0; i < requests; ++i) {
      arrival += gap(arrivals);
      const double start = std::max(arrival, free_at);
      total_wait += start - arrival;
      // The disk serves it as the node driver does: positioning, then the
      // transfer over the loop, timed by SimGrid.
      sg4::this_actor::sleep_until(start + sim::draw_positioning_s(d, positioning));
      sg4::Comm::sendto(w.node_host[0], disk, static_cast<std::uint64_t>(block));
      free_at = sg4::Engine::get_clock();
    }
    const double got_wait_s = total_wait / requests;
    std::printf("rho %.1f: mean queueing delay %.6f s, Pollaczek-Khinchine %.6f s (%+.2f%%)\n", rho, got_wait_s,
                want_wait_s, 100 * (got_wait_s / want_wait_s - 1));
    return close(got_wait_s, want_wait_s, 0.05) ? 0 : 1;
  });
}

TEST(Timing, DiskQueueingDelayMatchesPollaczekKhinchineAtHalfLoad) { EXPECT_EQ(pollaczek_khinchine(0.5), 0); }
TEST(Timing, DiskQueueingDelayMatchesPollaczekKhinchineAtEightyPercentLoad) { EXPECT_EQ(pollaczek_khinchine(0.8), 0); }

}  // namespace
}  // namespace failsim
