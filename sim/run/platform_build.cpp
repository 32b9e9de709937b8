// The platform: one full zone, explicit routes.
#include "platform_build.hpp"

namespace failsim::sim {

namespace sg4 = simgrid::s4u;

void build_platform(World& w) {
  const Scenario& s = w.scenario;
  const TimingSpec& t = s.timing;
  auto* zone = sg4::create_full_zone("cluster");
  auto route = [&](sg4::Host* a, sg4::Host* b, std::vector<sg4::Link*> links) {
    std::vector<sg4::LinkInRoute> in_route;
    for (auto* l : links) in_route.emplace_back(l);
    zone->add_route(a->get_netpoint(), b->get_netpoint(), nullptr, nullptr, in_route, true);
  };
  auto link = [&](const std::string& name, const LinkTiming& lt) {
    return zone->create_link(name, lt.bandwidth_Bps)->set_latency(lt.latency_s)->seal();
  };

  sg4::Link* interconnect = link("interconnect", t.interconnect);
  std::vector<sg4::Link*> nics;
  for (int n = 0; n < 2; ++n) {
    const std::string& name = s.cluster.nodes[n];
    w.node_host[n] = zone->create_host(name, t.cpu_hz)->seal();
    w.nvram_host[n] = zone->create_host(name + ".nvram", 1e9)->seal();
    w.node_mailbox[n] = sg4::Mailbox::by_name(name);
    route(w.node_host[n], w.nvram_host[n], {link(name + ".pci", t.nvram)});
    nics.push_back(link(name + ".nic", {0, t.client_net.bandwidth_Bps}));
  }
  route(w.node_host[0], w.node_host[1], {interconnect});
  route(w.node_host[0], w.nvram_host[1], {interconnect});
  route(w.node_host[1], w.nvram_host[0], {interconnect});

  for (int c = 0; c < s.workload.clients; ++c) {
    auto* h = zone->create_host("client" + std::to_string(c + 1), 1e9)->seal();
    w.client_hosts.push_back(h);
    w.client_mailboxes.push_back(sg4::Mailbox::by_name("client" + std::to_string(c + 1)));
    auto* l = link("client" + std::to_string(c + 1) + ".net", {t.client_net.latency_s, t.client_net.bandwidth_Bps});
    for (int n = 0; n < 2; ++n) route(h, w.node_host[n], {l, nics[n]});
  }

  // Disks: the transfer crosses the loop (shared) and the disk's media link.
  std::map<std::string, sg4::Link*> loops;
  for (const auto& loop : s.cluster.loops) loops[loop.name] = link(loop.name, {0, t.loop_bandwidth_Bps});
  for (const auto& shelf : s.cluster.shelves) {
    for (int d = 0; d < shelf.disks; ++d) {
      const std::string disk = shelf.name + ".d" + std::to_string(d);
      auto* h = zone->create_host(disk, 1e9)->seal();
      w.disk_hosts[disk] = h;
      auto* media = link(disk + ".media", {0, t.disk.transfer_Bps});
      for (int n = 0; n < 2; ++n) {
        // The first loop that joins one of this node's HBAs to the shelf.
        sg4::Link* via = nullptr;
        for (const auto& loop : s.cluster.loops) {
          bool has_shelf = std::find(loop.shelves.begin(), loop.shelves.end(), shelf.name) != loop.shelves.end();
          bool has_node = false;
          for (const auto& hba : s.cluster.hbas)
            if (hba.node == s.cluster.nodes[n] && std::find(loop.hbas.begin(), loop.hbas.end(), hba.name) != loop.hbas.end())
              has_node = true;
          if (has_shelf && has_node) {
            via = loops[loop.name];
            break;
          }
        }
        if (via) route(w.node_host[n], h, {via, media});
      }
    }
  }
  // The controller (fault injection, cluster management) reaches every node
  // out of band, instantly.
  auto* controller = zone->create_host("controller", 1e9)->seal();
  auto* oob = zone->create_link("out-of-band", 1e12)->set_latency(0)->seal();
  for (int n = 0; n < 2; ++n) route(controller, w.node_host[n], {oob});
  zone->seal();
}

}  // namespace failsim::sim
