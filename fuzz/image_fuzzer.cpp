// libFuzzer target: the on-disk image loader, superblock reader and fsck on
// arbitrary block bytes (input format: fuzz/image_input.hpp). Beyond "no
// crash, no out-of-bounds read, no hang": fsck and the loader agree, and an
// image the loader accepts is trusted no further than it was checked - the
// loaded file system takes changes and a CP, and that CP's image passes fsck
// and loads back to the same tree. The loader refuses whatever fsck finds.
#include <cstdint>
#include <cstdlib>
#include <cstdio>

#include "fuzz/fuzz_devices.hpp"
#include "fuzz/image_input.hpp"
#include "model/disk_format.hpp"
#include "model/filesystem.hpp"
#include "model/image_walk.hpp"

namespace {

using namespace failsim;
using namespace failsim::model;

// Small enough that reading a whole file into tree() stays cheap.
constexpr std::uint64_t max_file_size = 1u << 20;

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "image_fuzzer: %s\n", what);
  std::abort();
}

// A few changes touching what the image holds: its first entries, and new ones.
void exercise(Filesystem& fs) {
  auto tree = fs.tree();
  Xid xid = 1;
  auto change = [&](OpType t, std::string path, std::string to = {}, std::string data = {}) {
    Change c{t, 1, xid++, std::move(path), std::move(to), 3, 7, 0640, std::move(data)};
    fs.apply(c);
  };
  int seen = 0;
  for (const auto& [path, info] : tree) {
    if (++seen > 3) break;
    if (info.type == InodeType::file) {
      change(OpType::append, path, {}, "fuzz");
      change(OpType::write, path, {}, "xy");
      change(OpType::truncate, path);
      change(OpType::setattr, path);
    } else {
      change(OpType::create, path + "/fz");
      change(OpType::rmdir, path);
    }
    change(OpType::rename, path, "/fuzz-moved");
    change(OpType::unlink, "/fuzz-moved");
  }
  change(OpType::mkdir, "/fuzz-dir");
  change(OpType::create, "/fuzz-dir/f");
  change(OpType::write, "/fuzz-dir/f", {}, "hello");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::ImageInput in = fuzz::decode_image_input({data, size});
  std::vector<fuzz::SpanDevice> devices;
  for (const auto& p : in.plexes) devices.emplace_back(p, in.block_size, in.block_count);
  std::vector<const BlockDevice*> plexes;
  for (const auto& d : devices) plexes.push_back(&d);

  // The superblock reader on each given block, as a superblock copy would be read.
  for (const auto& p : in.plexes)
    for (std::size_t at = 0; at + in.block_size <= p.size() && at < 4 * in.block_size; at += in.block_size)
      (void)decode_superblock(std::span(p).subspan(at, in.block_size));

  FsckReport report = fsck(plexes);
  LoadResult loaded = load_image(plexes, max_file_size);
  // The loader refuses all fsck finds, and more (a file past the size limit).
  require(report.ok() || !loaded.fs, "the loader accepts an image fsck rejects");
  require(loaded.fs.has_value() == loaded.error.empty(), "a load without a file system must say why");
  if (!loaded.fs) return 0;

  Filesystem& fs = *loaded.fs;
  exercise(fs);
  const auto tree = fs.tree();
  CpPlan plan = fs.build_cp(loaded.superblock.max_lsn + 1);
  fs.commit_cp();
  // Written back to every plex, as the driver does.
  std::vector<fuzz::OverlayDevice> after;
  for (const auto& d : devices) after.emplace_back(d);
  std::vector<const BlockDevice*> after_ptrs;
  for (auto& o : after) {
    for (const auto& b : plan.blocks) o.write(b.bno, b.bytes);
    o.write(0, plan.superblock);
    o.write(1, plan.superblock);
    after_ptrs.push_back(&o);
  }
  FsckReport again = fsck(after_ptrs);
  if (!again.ok()) std::fprintf(stderr, "image_fuzzer: fsck after a CP: %s\n", again.problems.front().c_str());
  require(again.ok(), "a CP of a loaded image fails fsck");
  LoadResult reloaded = load_image(after_ptrs, max_file_size);
  require(reloaded.fs.has_value(), "a CP of a loaded image does not load");
  require(reloaded.fs->tree() == tree, "a CP of a loaded image loads back to another tree");
  return 0;
}
