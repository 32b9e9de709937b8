// Building the cabling graph and searching it.
#include "topology.hpp"

#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/filtered_graph.hpp>

#include <functional>

namespace failsim::sim {

Topology::Vertex Topology::add(const std::string& name) {
  auto it = vertex_.find(name);
  if (it != vertex_.end()) return it->second;
  auto v = boost::add_vertex(name, graph_);
  vertex_.emplace(name, v);
  return v;
}

Topology::Topology(const ClusterSpec& c) {
  for (const auto& n : c.nodes) {
    add(n);
    nodes_.insert(n);
  }
  for (const auto& h : c.hbas) boost::add_edge(add(h.node), add(h.name), graph_);
  for (const auto& l : c.loops) {
    for (const auto& h : l.hbas) boost::add_edge(add(h), add(l.name), graph_);
    for (const auto& s : l.shelves) boost::add_edge(add(l.name), add(s), graph_);
  }
  for (const auto& s : c.shelves)
    for (int d = 0; d < s.disks; ++d) boost::add_edge(add(s.name), add(s.name + ".d" + std::to_string(d)), graph_);
}

bool Topology::reachable(const std::string& node, const std::string& disk, const std::set<std::string>& failed) const {
  auto from = vertex_.find(node), to = vertex_.find(disk);
  if (from == vertex_.end() || to == vertex_.end() || failed.contains(node) || failed.contains(disk)) return false;
  // A path may cross neither a failed component nor the other node: a disk
  // is not reached through the partner.
  std::function<bool(Vertex)> live_vertex = [&](Vertex v) {
    const std::string& name = graph_[v];
    return v == from->second || (!failed.contains(name) && !nodes_.contains(name));
  };
  boost::filtered_graph<Graph, boost::keep_all, std::function<bool(Vertex)>> live(graph_, boost::keep_all{},
                                                                                  live_vertex);
  struct Found {};
  struct Visitor : boost::default_bfs_visitor {
    Vertex target;
    void discover_vertex(Vertex v, const decltype(live)&) const {
      if (v == target) throw Found{};
    }
  };
  std::vector<boost::default_color_type> color(boost::num_vertices(graph_));
  try {
    boost::breadth_first_search(
        live, from->second,
        boost::visitor(Visitor{{}, to->second})
            .color_map(boost::make_iterator_property_map(color.begin(), boost::get(boost::vertex_index, graph_))));
  } catch (const Found&) {
    return true;
  }
  return false;
}

}  // namespace failsim::sim
