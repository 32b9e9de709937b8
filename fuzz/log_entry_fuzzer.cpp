// libFuzzer target: the NVRAM log-entry decoder, the log-region parser and
// replay of what they accept (input format: fuzz/log_input.hpp). Beyond "no
// crash, no out-of-bounds read, no hang": a decoded entry re-encodes to one
// that decodes the same; replay of any intact entries into a file system -
// request logging applies the change, block logging installs the images -
// leaves a file system whose CP passes fsck and loads back to the same tree.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "fuzz/fuzz_devices.hpp"
#include "fuzz/log_input.hpp"
#include "model/filesystem.hpp"
#include "model/image_walk.hpp"
#include "model/log_entry.hpp"
#include "model/nvram_log.hpp"

namespace {

using namespace failsim;
using namespace failsim::model;

// The seed generator logs with this configuration (fuzz/make_seeds.cpp).
const FsConfig replay_fs{512, 256, 64, 1u << 16};

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "log_entry_fuzzer: %s\n", what);
  std::abort();
}

void replay(const std::vector<LogEntry>& entries) {
  Filesystem fs(replay_fs);
  for (const LogEntry& e : entries) {
    if (e.mode == LogMode::request)
      fs.apply(e.change);
    else if (e.result == Result::ok)
      fs.install(e.images);
  }
  const auto tree = fs.tree();
  CpPlan plan = fs.build_cp(entries.empty() ? 0 : entries.back().lsn);
  fs.commit_cp();
  std::vector<std::uint8_t> none;
  fuzz::SpanDevice blank(none, replay_fs.block_size, replay_fs.block_count);
  fuzz::OverlayDevice dev(blank);
  for (const auto& b : plan.blocks) dev.write(b.bno, b.bytes);
  dev.write(0, plan.superblock);
  dev.write(1, plan.superblock);
  FsckReport report = fsck({&dev});
  if (!report.ok()) std::fprintf(stderr, "log_entry_fuzzer: fsck after replay: %s\n", report.problems.front().c_str());
  require(report.ok(), "a CP after replay fails fsck");
  LoadResult loaded = load_image({&dev});
  require(loaded.fs.has_value() && loaded.fs->tree() == tree, "a CP after replay loads back to another tree");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::vector<std::uint8_t> region(data + 1, data + size);
  if (data[0] & fuzz::log_flag_repair) fuzz::repair_entries(region);

  if (auto d = decode_entry(region)) {
    require(d->bytes <= region.size(), "an entry longer than its input");
    std::uint32_t crc = 0;
    auto again = decode_entry(encode_entry(d->entry, &crc));
    require(again && again->entry == d->entry && again->crc == crc, "a decoded entry does not round-trip");
  }
  // The whole input as one half (the second half absent), then as two.
  std::vector<LogEntry> parsed = parse_region(region, region.size());
  for (std::size_t i = 1; i < parsed.size(); ++i)
    require(parsed[i - 1].lsn <= parsed[i].lsn, "parsed entries out of LSN order");
  (void)parse_region(region, region.size() / 2);
  Lsn after = parsed.empty() ? 0 : parsed.front().lsn - 1;
  replay(entries_after(parsed, after));
  return 0;
}
