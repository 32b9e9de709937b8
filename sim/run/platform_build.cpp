// The platform: the cluster in a full zone with explicit routes, the
// clients in a star zone beside it. A full zone's routing table grows with
// the square of its hosts (10^5 clients in it took over 20 GB); a star zone
// keeps one route per client: its own link, up and down.
#include "platform_build.hpp"

namespace failsim::sim {

namespace sg4 = simgrid::s4u;

namespace {

sg4::Link* make_link(sg4::NetZone* zone, const std::string& name, const LinkTiming& lt) {
  return zone->create_link(name, lt.bandwidth_Bps)->set_latency(lt.latency_s)->seal();
}

void build_clients(World& w, sg4::NetZone* root, sg4::NetZone* zone, sg4::NetZone* clients,
                   const std::vector<sg4::Link*>& nics) {
  const Scenario& s = w.scenario;
  const TimingSpec& t = s.timing;
  // A client reaches node n through its own link, then the node's NIC: from
  // the client to the clients' gateway, across, then from the cluster's
  // gateway to the node.
  auto* cluster_gateway = zone->create_router("cluster-gateway");
  for (int n = 0; n < 2; ++n)
    zone->add_route(cluster_gateway, w.node_host[n]->get_netpoint(), nullptr, nullptr, {sg4::LinkInRoute(nics[n])}, true);
  auto* clients_gateway = clients->create_router("clients-gateway");
  for (int c = 0; c < s.workload.clients; ++c) {
    auto* h = clients->create_host("client" + std::to_string(c + 1), 1e9)->seal();
    w.client_hosts.push_back(h);
    w.client_mailboxes.push_back(sg4::Mailbox::by_name("client" + std::to_string(c + 1)));
    auto* l = make_link(clients, "client" + std::to_string(c + 1) + ".net", t.client_net);
    clients->add_route(h->get_netpoint(), nullptr, nullptr, nullptr, {sg4::LinkInRoute(l)}, true);
  }
  clients->seal();
  // SimGrid refuses an empty route between zones: a fat pipe (each flow on
  // its own) of no latency and unbounded bandwidth stands for the switch.
  auto* fabric = root->create_link("client-fabric", 1e15)
                     ->set_latency(0)
                     ->set_sharing_policy(sg4::Link::SharingPolicy::FATPIPE)
                     ->seal();
  root->add_route(clients->get_netpoint(), zone->get_netpoint(), clients_gateway, cluster_gateway,
                  {sg4::LinkInRoute(fabric)}, true);
}

// Disks: the transfer crosses the loop (shared) and the disk's media link.
void build_disks(World& w, sg4::NetZone* zone) {
  const Scenario& s = w.scenario;
  const TimingSpec& t = s.timing;
  std::map<std::string, sg4::Link*> loops;
  for (const auto& loop : s.cluster.loops) loops[loop.name] = make_link(zone, loop.name, {0, t.loop_bandwidth_Bps});
  for (const auto& shelf : s.cluster.shelves) {
    for (int d = 0; d < shelf.disks; ++d) {
      const std::string disk = shelf.name + ".d" + std::to_string(d);
      auto* h = zone->create_host(disk, 1e9)->seal();
      w.disk_hosts[disk] = h;
      auto* media = make_link(zone, disk + ".media", {0, t.disk.transfer_Bps});
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
        if (via)
          zone->add_route(w.node_host[n]->get_netpoint(), h->get_netpoint(), nullptr, nullptr,
                          {sg4::LinkInRoute(via), sg4::LinkInRoute(media)}, true);
      }
    }
  }
}

}  // namespace

void build_platform(World& w) {
  const Scenario& s = w.scenario;
  const TimingSpec& t = s.timing;
  auto* root = sg4::create_full_zone("failsim");
  auto* zone = sg4::create_full_zone("cluster");
  zone->set_parent(root);
  auto* clients = sg4::create_star_zone("clients");
  clients->set_parent(root);
  auto route = [&](sg4::Host* a, sg4::Host* b, std::vector<sg4::Link*> links) {
    std::vector<sg4::LinkInRoute> in_route;
    for (auto* l : links) in_route.emplace_back(l);
    zone->add_route(a->get_netpoint(), b->get_netpoint(), nullptr, nullptr, in_route, true);
  };
  auto link = [&](const std::string& name, const LinkTiming& lt) { return make_link(zone, name, lt); };

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

  build_clients(w, root, zone, clients, nics);
  build_disks(w, zone);
  // The controller (fault injection, cluster management) reaches every node
  // out of band, instantly.
  auto* controller = zone->create_host("controller", 1e9)->seal();
  auto* oob = zone->create_link("out-of-band", 1e12)->set_latency(0)->seal();
  for (int n = 0; n < 2; ++n) route(controller, w.node_host[n], {oob});
  zone->seal();
  root->seal();
}

}  // namespace failsim::sim
