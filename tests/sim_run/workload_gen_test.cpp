// The clients' change generator (sim/run/workload_gen.hpp) against the core's
// file system (no simulation): on "valid" paths most changes succeed, in a
// private tree and in a shared one; on random paths the draws stay as they
// were before valid paths existed.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "model/filesystem.hpp"
#include "sim/run/workload_gen.hpp"

namespace failsim {
namespace {

// The share of `n` changes of each of `clients` clients that succeed,
// applied in turn (client 1's first, then client 2's, ...).
double ok_share(sim::WorkloadSpec spec, int clients, int n) {
  model::FsConfig config;
  config.block_count = 1u << 16;
  model::Filesystem fs(config);
  std::map<int, sim::OpGenerator> gens;
  for (int c = 1; c <= clients; ++c) gens.emplace(c, sim::OpGenerator(spec, static_cast<model::ClientId>(c), 7));
  int ok = 0;
  for (int i = 0; i < n; ++i)
    for (auto& [c, gen] : gens) ok += fs.apply(gen.next()) == model::Result::ok;
  return static_cast<double>(ok) / (n * clients);
}

TEST(WorkloadGen, OnValidPathsMostChangesSucceed) {
  sim::WorkloadSpec spec;
  spec.paths = sim::PathChoice::valid;
  EXPECT_GT(ok_share(spec, 1, 500), 0.85);
  spec.namespace_mode = sim::NamespaceMode::shared_tree;
  EXPECT_GT(ok_share(spec, 3, 300), 0.85);
}

TEST(WorkloadGen, OnRandomPathsManyFail) {
  sim::WorkloadSpec spec;
  const double share = ok_share(spec, 1, 500);
  EXPECT_LT(share, 0.5);
  EXPECT_GT(share, 0.05);
}

TEST(WorkloadGen, RandomPathsDrawAsBefore) {
  // The first changes of client 1, seed 7, as the generator drew them before
  // valid paths existed (the default scenario's history.jsonl was byte for
  // byte the same before and after): random-path scenarios run as they did.
  sim::WorkloadSpec spec;
  sim::OpGenerator gen(spec, 1, 7);
  std::vector<std::string> paths;
  for (int i = 0; i < 8; ++i) paths.push_back(gen.next().path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/c1", "/c1/d1/d2", "/c1/d1/f3", "/c1/f3", "/c1/d1/d0", "/c1/d2",
                                              "/c1/d0/d2", "/c1/f0"}));
}

}  // namespace
}  // namespace failsim
