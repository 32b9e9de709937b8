// Figure 2: the SimGrid floor - bare S4U programs with no failsim code.
//
// On failsim's own mix: the default scenario runs once in a child with the
// simulator counting every SimGrid call it makes (sim/run/activity_counts.hpp;
// SimGrid's own signals count the actors created and the sleeps), and the
// counts per answered change are the mix. A bare program then issues that
// mix per change: closed-loop clients send a request and wait for the reply
// (a receive and a timed wait each); a server receives it, runs the change's
// Execs one after another and its transfers (Comm::sendto) together, each
// waited with a timeout as failsim's node waits, replies, and issues the
// rest - messages to a sink actor that receives them, waits that end on
// their timeout as failsim's timer wakeups do. Fractions of an activity per
// change are spread evenly over the changes. (Actors created and sleeps are
// counted and shown, not issued: a few per run, from faults and the
// controller.)
//
// Also the hand model this floor replaced (2 messages, 2 transfers, 3 Execs
// per change, untimed waits), for comparison with earlier figures.
#include <unistd.h>

#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "bench/figures.hpp"
#include "sim/run/activity_counts.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/default_scenario.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace sg4 = simgrid::s4u;
namespace fs = std::filesystem;

namespace failsim::bench {

namespace {

struct Request {
  sg4::Mailbox* reply_to;
};

// A platform like failsim's default: a node, its NVRAM and its partner's
// NVRAM behind a PCI link and the interconnect, clients on the client network.
struct Platform {
  sg4::Host *node, *nvram, *partner_nvram;
  std::vector<sg4::Host*> clients;
};

Platform build(int clients) {
  auto* zone = sg4::create_full_zone("floor");
  Platform p;
  p.node = zone->create_host("node", 2e9)->seal();
  p.nvram = zone->create_host("nvram", 1e9)->seal();
  p.partner_nvram = zone->create_host("partner.nvram", 1e9)->seal();
  auto* net = zone->create_link("client-net", 1.25e9)->set_latency(50e-6)->seal();
  auto* pci = zone->create_link("pci", 2e9)->set_latency(1e-6)->seal();
  auto* interconnect = zone->create_link("interconnect", 1.25e9)->set_latency(5e-6)->seal();
  auto route = [&](sg4::Host* a, sg4::Host* b, sg4::Link* l) {
    zone->add_route(a->get_netpoint(), b->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(l)}, true);
  };
  route(p.node, p.nvram, pci);
  route(p.node, p.partner_nvram, interconnect);
  for (int c = 0; c < clients; ++c) {
    p.clients.push_back(zone->create_host("client" + std::to_string(c), 1e9)->seal());
    route(p.clients.back(), p.node, net);
  }
  zone->seal();
  return p;
}

sg4::Engine& engine() {
  static int argc = 1;
  static char name[] = "floor";
  static char* argv[] = {name, nullptr};
  static sg4::Engine e(&argc, argv);
  xbt_log_control_set("root.thres:critical");
  e.set_config("network/model:CM02");
  e.set_config("network/crosstraffic:0");
  return e;
}

// How many of an activity change k issues so that n changes issue about
// n * per_change: the even spread of a fraction.
int share(double per_change, std::uint64_t k) {
  return static_cast<int>(std::floor((k + 1) * per_change) - std::floor(k * per_change));
}

constexpr double far_s = 1e6;  // a timeout that never fires: the timer is set and cleared

void mix_run(int clients, int changes_per_client, const ActivityMix& m) {
  sg4::Engine& e = engine();
  const Platform p = build(clients);
  const std::uint64_t total = static_cast<std::uint64_t>(clients) * changes_per_client;
  // Per change: the request and the reply are 2 messages and 2 receives; the
  // server's waits are its receive's, its Execs' and its transfers'; the
  // clients' one each. What failsim issues beyond that is issued extra.
  const double extra_messages = std::max(0.0, m.messages - 2);
  const double extra_waits = std::max(0.0, m.waits - (2 + m.execs + m.transfers + extra_messages));
  sg4::Actor::create("sink", p.nvram, [total, extra_messages] {
    auto* inbox = sg4::Mailbox::by_name("sink");
    const auto n = static_cast<std::uint64_t>(std::floor(total * extra_messages));
    for (std::uint64_t i = 0; i < n; ++i) {
      void* got = nullptr;
      sg4::CommPtr get = inbox->get_async<void>(&got);
      sg4::Activity::wait_any_for({get}, far_s);
    }
  });
  sg4::Actor::create("server", p.node, [&p, total, m, extra_messages, extra_waits] {
    auto* inbox = sg4::Mailbox::by_name("server");
    auto* sink = sg4::Mailbox::by_name("sink");
    static int token;
    for (std::uint64_t k = 0; k < total; ++k) {
      Request* req = nullptr;
      sg4::CommPtr get = inbox->get_async<Request>(&req);
      sg4::Activity::wait_any_for({get}, far_s);
      for (int i = share(m.execs, k); i > 0; --i) {
        sg4::ExecPtr exec = sg4::this_actor::exec_init(10000);
        exec->start();
        sg4::Activity::wait_any_for({exec}, far_s);
      }
      std::vector<sg4::ActivityPtr> transfers;
      for (int i = share(m.transfers, k); i > 0; --i)
        transfers.push_back(sg4::Comm::sendto_async(p.node, i % 2 ? p.nvram : p.partner_nvram, 200));
      while (!transfers.empty()) {
        const ssize_t done = sg4::Activity::wait_any_for(transfers, far_s);
        transfers.erase(transfers.begin() + done);
      }
      for (int i = share(extra_messages, k); i > 0; --i) sink->put_init(&token, 64)->detach();
      for (int i = share(extra_waits, k); i > 0; --i) sg4::Activity::wait_any_for({}, 0);
      req->reply_to->put_init(req, 100)->detach();
    }
  });
  for (int c = 0; c < clients; ++c)
    sg4::Actor::create("client" + std::to_string(c), p.clients[c], [c, changes_per_client] {
      auto* to_server = sg4::Mailbox::by_name("server");
      auto* inbox = sg4::Mailbox::by_name("client" + std::to_string(c));
      for (int i = 0; i < changes_per_client; ++i) {
        to_server->put_init(new Request{inbox}, 200)->detach();
        Request* reply = nullptr;
        sg4::CommPtr get = inbox->get_async<Request>(&reply);
        sg4::Activity::wait_any_for({get}, far_s);
        delete reply;
      }
    });
  e.run();
}

// The hand model of earlier versions: blocking calls, untimed waits.
void hand_model_run(int clients, int changes_per_client) {
  sg4::Engine& e = engine();
  const Platform p = build(clients);
  const int total = clients * changes_per_client;
  sg4::Actor::create("node", p.node, [&p, total] {
    auto* inbox = sg4::Mailbox::by_name("node");
    for (int i = 0; i < total; ++i) {
      auto* req = inbox->get<Request>();
      sg4::this_actor::execute(20000);  // the request
      auto local = sg4::Comm::sendto_async(p.node, p.nvram, 200);
      auto mirror = sg4::Comm::sendto_async(p.node, p.partner_nvram, 200);
      local->wait();
      sg4::this_actor::execute(2000);  // local NVRAM write done
      mirror->wait();
      sg4::this_actor::execute(2000);  // mirror write done
      req->reply_to->put_init(req, 100)->detach();
    }
  });
  for (int c = 0; c < clients; ++c)
    sg4::Actor::create("client" + std::to_string(c), p.clients[c], [c, changes_per_client] {
      auto* to_node = sg4::Mailbox::by_name("node");
      auto* inbox = sg4::Mailbox::by_name("client" + std::to_string(c));
      for (int i = 0; i < changes_per_client; ++i) {
        auto* req = new Request{inbox};
        to_node->put(req, 200);
        delete inbox->get<Request>();
      }
    });
  e.run();
}

double timed_us_per_change(std::uint64_t changes, const std::function<void()>& run) {
  Measured m = in_child([&] {
    const auto start = std::chrono::steady_clock::now();
    run();
    return std::vector<double>{std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
  });
  return m.values[0] / static_cast<double>(changes) * 1e6;
}

}  // namespace

ActivityMix failsim_mix() {
  Measured m = in_child([] {
    sim::Scenario s = sim::parse_scenario(sim::default_scenario_json, "(embedded default scenario)");
    const fs::path dir = fs::temp_directory_path() / ("failsim-bench-" + std::to_string(::getpid()) + "-mix");
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::uint64_t actors = 0, sleeps = 0;
    sg4::Actor::on_creation_cb([&actors](sg4::Actor&) { ++actors; });
    sg4::Actor::on_sleep_cb([&sleeps](const sg4::Actor&) { ++sleeps; });
    std::ostringstream text;
    sim::run_simulation(s, dir.string(), text);
    std::ifstream in(dir / "summary.json");
    const double answered = nlohmann::json::parse(in)["ops"]["answered"].get<double>();
    fs::remove_all(dir);
    const sim::ActivityCounts& c = sim::activity_counts();
    return std::vector<double>{static_cast<double>(c.execs) / answered,     static_cast<double>(c.transfers) / answered,
                               static_cast<double>(c.messages) / answered,  static_cast<double>(c.receives) / answered,
                               static_cast<double>(c.waits) / answered,     static_cast<double>(c.timed_waits) / answered,
                               static_cast<double>(actors) / answered,      static_cast<double>(sleeps) / answered};
  });
  const auto& v = m.values;
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]};
}

std::vector<Figure> simgrid_floor_figures(std::uint64_t changes, const ActivityMix& mix) {
  const int clients = 4;
  const int per_client = static_cast<int>(changes / clients);
  const std::string of = "failsim default scenario, SimGrid calls per change: ";
  std::vector<Figure> out = {{of + "Execs", mix.execs, "per-change"},
                             {of + "transfers (sendto)", mix.transfers, "per-change"},
                             {of + "messages sent", mix.messages, "per-change"},
                             {of + "receives posted", mix.receives, "per-change"},
                             {of + "waits", mix.waits, "per-change"},
                             {of + "waits with a timeout", mix.timed_waits, "per-change"},
                             {of + "actors created", mix.actors, "per-change"},
                             {of + "sleeps", mix.sleeps, "per-change"}};
  out.push_back({"simgrid floor, failsim's mix: wall time per change",
                 timed_us_per_change(changes, [&] { mix_run(clients, per_client, mix); }), "us/change"});
  out.push_back({"simgrid floor, hand model (2 messages, 2 transfers, 3 Execs): wall time per change",
                 timed_us_per_change(changes, [&] { hand_model_run(clients, per_client); }), "us/change"});
  return out;
}

}  // namespace failsim::bench
