// The changes a simulated client issues: drawn from the scenario's op mix,
// over a private directory ("/c<id>") or one shared tree, on random paths
// or (workload.paths "valid") mostly on paths the client's own earlier
// changes made valid, as it believes them applied. Data is printable ASCII
// and every append/write payload names its client and xid, so that a
// change applied twice is visible in the final contents.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "model/change.hpp"
#include "sim/scenario/scenario.hpp"

namespace failsim::sim {

class OpGenerator {
 public:
  OpGenerator(const WorkloadSpec& spec, model::ClientId client, std::uint64_t seed);
  // The next change (xid 1, 2, ...). The first change of a private client
  // creates its directory.
  model::Change next();

 private:
  std::string random_path();
  std::string payload(model::Xid xid);
  // workload.paths "valid": the change made valid on the client's tree as
  // it believes it (false: nothing there for its type to act on).
  bool valid_paths(model::Change& c);
  std::string pick(const std::vector<std::string>& from);
  std::string fresh_name(const char* prefix);

  const WorkloadSpec& spec_;
  model::ClientId client_;
  std::mt19937_64 rng_;
  std::discrete_distribution<int> mix_;
  model::Xid xid_ = 0;
  std::string home_;
  // The client's tree as its changes leave it ("valid" paths): its
  // directories (home first) and files.
  std::vector<std::string> dirs_, files_;
  std::uint64_t names_ = 0;
};

}  // namespace failsim::sim
