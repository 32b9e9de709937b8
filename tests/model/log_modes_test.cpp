// Request logging against block logging (claims 86, 87, 91-93, 107, 108):
// the same workload gives the same final state in either mode, including
// after a crash and replay; and what each mode costs in NVRAM.
#include <gtest/gtest.h>

#include <iostream>

#include "model/filesystem.hpp"
#include "model/log_entry.hpp"
#include "support/test_cluster.hpp"
#include "support/workload.hpp"

namespace failsim {
namespace {

using namespace model;
using testing::ClientDriver;
using testing::TestCluster;
using testing::TestClusterConfig;

// Runs a workload to the end on a fresh cluster, crashing node 0 after
// `crash_after` steps (0: never) and restarting it; returns the final trees.
std::map<std::string, std::map<std::string, PathInfo>> run(LogMode mode, std::uint64_t seed, int crash_after) {
  TestClusterConfig cfg;
  cfg.log_mode = mode;
  cfg.nvram_half_bytes = 32 * 1024;
  TestCluster cl(cfg, seed);
  std::mt19937_64 rng(seed);
  ClientDriver clients;
  for (int c = 1; c <= 4; ++c)
    clients.add(c, TestCluster::aggregate_name(c % 2), testing::random_client_ops(rng, c, 80));
  auto send = [&](const std::string& a, const Change& ch) { cl.send(a, ch); };
  int steps = 0;
  while (!clients.done()) {
    clients.issue(send);
    if (++steps == crash_after) {
      cl.crash(0);
      cl.boot(0, BootMode::recover);
    }
    if (!cl.step()) clients.retransmit(send);
    clients.take(cl.take_replies());
  }
  cl.run_until_quiet();
  EXPECT_TRUE(cl.fsck_failures.empty());
  std::map<std::string, std::map<std::string, PathInfo>> trees;
  for (int n = 0; n < 2; ++n) {
    const std::string a = TestCluster::aggregate_name(n);
    trees[a] = cl.server(cl.server_of(a))->filesystem(a)->tree();
  }
  return trees;
}

TEST(LogModes, RequestAndBlockLoggingGiveIdenticalFinalStates) {
  for (std::uint64_t seed : {1, 2, 3}) {
    for (int crash_after : {0, 150, 400}) {
      auto by_request = run(LogMode::request, seed, crash_after);
      auto by_block = run(LogMode::block, seed, crash_after);
      EXPECT_EQ(by_request, by_block) << "seed " << seed << " crash after " << crash_after;
      EXPECT_FALSE(by_request.at("aggr1").empty());
    }
  }
}

TEST(LogModes, ChangesPerLogHalf) {
  // The NVRAM a change costs in each mode, on the mixed workload, with
  // 4 KiB blocks and a 1 MiB log half (the defaults).
  const FsConfig fs_config;  // 4 KiB blocks
  const std::uint64_t half_bytes = ServerConfig{}.nvram_half_bytes;
  std::mt19937_64 rng(42);
  std::uint64_t bytes[2] = {0, 0}, changes = 0;
  Filesystem fs(fs_config);
  for (int c = 1; c <= 8; ++c) {
    for (const Change& ch : testing::random_client_ops(rng, c, 500)) {
      std::vector<BlockImage> images;
      Result r = fs.apply(ch, &images);
      LogEntry req{1, LogMode::request, 0, 0, ch.client, ch.xid, 0, r, ch, {}};
      LogEntry blk{1, LogMode::block, 0, 0, ch.client, ch.xid, 0, r, {}, std::move(images)};
      bytes[0] += encode_entry(req).size();
      bytes[1] += encode_entry(blk).size();
      ++changes;
    }
  }
  const double per_half_request = static_cast<double>(half_bytes) * changes / bytes[0];
  const double per_half_block = static_cast<double>(half_bytes) * changes / bytes[1];
  std::cout << "changes per " << half_bytes / 1024 << " KiB log half, mixed workload of " << changes
            << " changes: request logging " << static_cast<std::uint64_t>(per_half_request) << " ("
            << bytes[0] / changes << " B/change), block logging " << static_cast<std::uint64_t>(per_half_block)
            << " (" << bytes[1] / changes << " B/change)\n";
  // Logical logging is the compact one: a descriptor against whole blocks.
  EXPECT_GT(per_half_request, 10 * per_half_block);
}

}  // namespace
}  // namespace failsim
