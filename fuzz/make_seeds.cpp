// Writes the seed corpora of the log-entry and image fuzzers (the scenario
// fuzzer's seeds are the committed scenarios/*.json): a few encoded log
// entries and regions in both logging modes, and a few small valid images.
// Usage: fuzz_make_seeds CORPUS_DIR   (writes CORPUS_DIR/log_entry, CORPUS_DIR/image)
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz/image_input.hpp"
#include "fuzz/log_input.hpp"
#include "model/filesystem.hpp"
#include "model/log_entry.hpp"

namespace {

using namespace failsim::model;
namespace fs = std::filesystem;

void write_file(const fs::path& p, const std::vector<std::uint8_t>& bytes) {
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// A small tree touching every change type; `big` adds a file deep enough for a two-level pointer tree.
std::vector<Change> some_changes(bool big) {
  std::vector<Change> ops;
  Xid xid = 1;
  auto add = [&](OpType t, std::string path, std::string to = {}, std::uint64_t off = 0, std::uint64_t size = 0,
                 std::string data = {}) {
    ops.push_back(Change{t, 7, xid++, std::move(path), std::move(to), off, size,
                         t == OpType::mkdir ? default_dir_mode : default_file_mode, std::move(data)});
  };
  add(OpType::mkdir, "/c7");
  add(OpType::create, "/c7/a");
  add(OpType::append, "/c7/a", {}, 0, 0, "hello");
  add(OpType::write, "/c7/a", {}, 700, 0, "far");
  add(OpType::create, "/c7/b");
  add(OpType::rename, "/c7/b", "/c7/c");
  add(OpType::mkdir, "/c7/d");
  add(OpType::mkdir, "/c7/e");
  add(OpType::rmdir, "/c7/e");
  add(OpType::truncate, "/c7/c", {}, 0, 1000);
  add(OpType::setattr, "/c7/c");
  add(OpType::create, "/c7/d/x");
  add(OpType::unlink, "/c7/d/x");
  if (big) {
    add(OpType::create, "/c7/big");
    add(OpType::write, "/c7/big", {}, 0, 0, std::string(25000, 'q'));
  }
  return ops;
}

std::vector<std::uint8_t> with_flags(std::uint8_t flags, std::vector<std::uint8_t> bytes) {
  bytes.insert(bytes.begin(), flags);
  return bytes;
}

void log_seeds(const fs::path& dir) {
  const FsConfig cfg{512, 256, 64, 1u << 16};  // as log_entry_fuzzer.cpp replays
  for (LogMode mode : {LogMode::request, LogMode::block}) {
    Filesystem f(cfg);
    std::vector<std::uint8_t> region;
    std::uint32_t prev = 0;
    Lsn lsn = 1;
    for (const Change& c : some_changes(false)) {
      LogEntry e;
      e.lsn = lsn++;
      e.mode = mode;
      e.prev_crc = prev;
      e.client = c.client;
      e.xid = c.xid;
      e.change = c;
      e.result = f.apply(c, mode == LogMode::block ? &e.images : nullptr);
      if (mode == LogMode::block) e.change = {};
      auto bytes = encode_entry(e, &prev);
      region.insert(region.end(), bytes.begin(), bytes.end());
      const std::string name = std::string(to_string(mode)) + "-" + std::string(to_string(c.type)) + "-" + std::to_string(e.lsn);
      write_file(dir / name, with_flags(failsim::fuzz::log_flag_repair, bytes));
    }
    write_file(dir / (std::string(to_string(mode)) + "-region"), with_flags(0, region));
    write_file(dir / (std::string(to_string(mode)) + "-region-repair"), with_flags(failsim::fuzz::log_flag_repair, region));
  }
}

// The image of `ops` after CPs every `cp_every` changes, trimmed of its trailing zero blocks.
std::vector<std::uint8_t> image_of(std::uint32_t bs, std::uint16_t blocks, const std::vector<Change>& ops, int cp_every) {
  Filesystem f(FsConfig{bs, blocks, 64, 1u << 20});
  std::vector<std::uint8_t> dev(std::size_t{bs} * blocks, 0);
  auto cp = [&](Lsn lsn) {
    CpPlan plan = f.build_cp(lsn);
    for (const auto& b : plan.blocks) std::copy(b.bytes.begin(), b.bytes.end(), dev.begin() + b.bno * bs);
    for (int copy = 0; copy < 2; ++copy) std::copy(plan.superblock.begin(), plan.superblock.end(), dev.begin() + copy * bs);
    f.commit_cp();
  };
  cp(0);
  Lsn n = 0;
  for (const Change& c : ops) {
    f.apply(c);
    if (++n % cp_every == 0) cp(n);
  }
  cp(n + 1);
  std::size_t end = dev.size();
  while (end > 0 && std::all_of(dev.begin() + (end - bs), dev.begin() + end, [](std::uint8_t b) { return b == 0; })) end -= bs;
  dev.resize(end);
  return dev;
}

void image_seeds(const fs::path& dir) {
  using failsim::fuzz::encode_image_input;
  using failsim::fuzz::image_flag_repair;
  using failsim::fuzz::image_flag_two_plexes;
  auto empty = image_of(512, 64, {}, 1);
  auto small = image_of(512, 128, some_changes(false), 4);
  auto big = image_of(512, 256, some_changes(true), 100);
  auto kib = image_of(1024, 64, some_changes(false), 5);
  write_file(dir / "empty-512", encode_image_input(0, 64, {empty}));
  write_file(dir / "small-512", encode_image_input(0, 128, {small}));
  write_file(dir / "small-512-repair", encode_image_input(image_flag_repair, 128, {small}));
  write_file(dir / "big-512-repair", encode_image_input(image_flag_repair, 256, {big}));
  write_file(dir / "small-1024", encode_image_input(1, 64, {kib}));
  write_file(dir / "small-512-mirrored", encode_image_input(image_flag_two_plexes | image_flag_repair, 128, {small, small}));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  const fs::path root = argv[1];
  fs::create_directories(root / "log_entry");
  fs::create_directories(root / "image");
  log_seeds(root / "log_entry");
  image_seeds(root / "image");
  return 0;
}
