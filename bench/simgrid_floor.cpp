// Figure 2: the SimGrid floor - a bare S4U program with no failsim code that
// issues, per simulated change, the activities failsim's path for one change
// uses: the request and the reply as mailbox messages, an Exec for each of
// the three events the node handles (request, local NVRAM write done, mirror
// write done), and the NVRAM and mirror writes as two direct transfers
// (Comm::sendto) waited together. Clients run closed loop, as failsim's do.
// CP block writes are left out (they are amortised over many changes).
#include <simgrid/s4u.hpp>
#include <xbt/log.h>

#include <chrono>

#include "bench/figures.hpp"

namespace sg4 = simgrid::s4u;

namespace failsim::bench {

namespace {

struct Request {
  sg4::Mailbox* reply_to;
};

void floor_run(int clients, int changes_per_client) {
  int argc = 1;
  char name[] = "floor";
  char* argv[] = {name, nullptr};
  sg4::Engine engine(&argc, argv);
  xbt_log_control_set("root.thres:critical");
  engine.set_config("network/model:CM02");
  engine.set_config("network/crosstraffic:0");
  auto* zone = sg4::create_full_zone("floor");
  auto* node = zone->create_host("node", 2e9)->seal();
  auto* nvram = zone->create_host("nvram", 1e9)->seal();
  auto* partner_nvram = zone->create_host("partner.nvram", 1e9)->seal();
  auto* net = zone->create_link("client-net", 1.25e9)->set_latency(50e-6)->seal();
  auto* pci = zone->create_link("pci", 2e9)->set_latency(1e-6)->seal();
  auto* interconnect = zone->create_link("interconnect", 1.25e9)->set_latency(5e-6)->seal();
  auto route = [&](sg4::Host* a, sg4::Host* b, sg4::Link* l) {
    zone->add_route(a->get_netpoint(), b->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(l)}, true);
  };
  route(node, nvram, pci);
  route(node, partner_nvram, interconnect);
  std::vector<sg4::Host*> client_hosts;
  for (int c = 0; c < clients; ++c) {
    client_hosts.push_back(zone->create_host("client" + std::to_string(c), 1e9)->seal());
    route(client_hosts.back(), node, net);
  }
  zone->seal();

  const int total = clients * changes_per_client;
  sg4::Actor::create("node", node, [=] {
    auto* inbox = sg4::Mailbox::by_name("node");
    for (int i = 0; i < total; ++i) {
      auto* req = inbox->get<Request>();
      sg4::this_actor::execute(20000);  // the request
      auto local = sg4::Comm::sendto_async(node, nvram, 200);
      auto mirror = sg4::Comm::sendto_async(node, partner_nvram, 200);
      local->wait();
      sg4::this_actor::execute(2000);  // local NVRAM write done
      mirror->wait();
      sg4::this_actor::execute(2000);  // mirror write done
      req->reply_to->put_init(req, 100)->detach();
    }
  });
  for (int c = 0; c < clients; ++c)
    sg4::Actor::create("client" + std::to_string(c), client_hosts[c], [c, changes_per_client] {
      auto* to_node = sg4::Mailbox::by_name("node");
      auto* inbox = sg4::Mailbox::by_name("client" + std::to_string(c));
      for (int i = 0; i < changes_per_client; ++i) {
        auto* req = new Request{inbox};
        to_node->put(req, 200);
        delete inbox->get<Request>();
      }
    });
  engine.run();
}

}  // namespace

std::vector<Figure> simgrid_floor_figures(std::uint64_t changes) {
  const int clients = 4;
  Measured m = in_child([changes, clients] {
    const auto start = std::chrono::steady_clock::now();
    floor_run(clients, static_cast<int>(changes / clients));
    return std::vector<double>{std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
  });
  const double per_change_us = m.values[0] / static_cast<double>(changes) * 1e6;
  return {{"simgrid floor: wall time per change (2 messages, 2 transfers, 3 Execs)", per_change_us, "us/change"}};
}

}  // namespace failsim::bench
