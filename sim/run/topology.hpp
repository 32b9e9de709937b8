// The cluster as a Boost.Graph graph: nodes, their HBAs, the FC loops, the
// shelves and their disks, joined as they are cabled. It answers, under the
// faults in force, whether a node reaches a disk: a path that avoids every
// failed component (a dead loop or HBA cuts the paths through it; a second
// path keeps the disk reachable).
#pragma once

#include <map>
#include <set>
#include <string>

#include <boost/graph/adjacency_list.hpp>

#include "sim/scenario/scenario.hpp"

namespace failsim::sim {

class Topology {
 public:
  explicit Topology(const ClusterSpec& cluster);
  bool reachable(const std::string& node, const std::string& disk, const std::set<std::string>& failed) const;

 private:
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, std::string>;
  using Vertex = Graph::vertex_descriptor;
  Vertex add(const std::string& name);
  Graph graph_;
  std::map<std::string, Vertex> vertex_;
  std::set<std::string> nodes_;
};

}  // namespace failsim::sim
