// Walks an on-disk image from its newest valid superblock, checking every
// block on the way, and reports what it found and every problem. Loading an
// aggregate and fsck both stand on it: the loader refuses an image with any
// problem, fsck lists them. It takes arbitrary bytes: nothing read from disk
// is trusted before it is checked.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "block_device.hpp"
#include "fs_codec.hpp"
#include "reply_cache.hpp"

namespace failsim::model {

struct WalkedInode {
  InodeRecord record;
  BlobLayout layout;
  std::map<std::uint64_t, std::vector<std::uint8_t>> pages;  // files: content pages
  std::vector<DirSlot> slots;                                  // directories
};

struct ImageWalk {
  std::optional<Superblock> superblock;
  std::map<Ino, WalkedInode> inodes;  // every inode reached from the root
  BlobLayout inode_table;
  BlobLayout reply_cache_layout;
  ReplyCache reply_cache;
  std::vector<BlockNo> used_blocks;  // every block reached, superblocks excluded
  std::vector<std::string> problems;
  std::uint64_t blocks_read = 0;
};

ImageWalk walk_image(const std::vector<const BlockDevice*>& plexes);

// fsck: the problems of an image (none: it is consistent).
struct FsckReport {
  std::vector<std::string> problems;
  std::uint64_t generation = 0;
  std::uint64_t max_lsn = 0;
  std::uint64_t blocks_used = 0;
  std::uint64_t inodes = 0;
  bool ok() const { return problems.empty(); }
};
FsckReport fsck(const std::vector<const BlockDevice*>& plexes);

}  // namespace failsim::model
