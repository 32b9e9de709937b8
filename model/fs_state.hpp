// In-memory state of a file system: inodes with their contents, where each
// object's pages live on disk, and what changed since the last CP. Shared by
// the parts of Filesystem (operations, images, CP, loading).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "disk_format.hpp"

namespace failsim::model {

using Ino = std::uint64_t;
inline constexpr Ino root_ino = 1;
enum class InodeType : std::uint8_t { free = 0, file = 1, dir = 2 };

// Where one version of a paged object lives on disk.
struct BlobLayout {
  std::map<std::uint64_t, BlockRef> pages;  // page index -> content block (absent: hole)
  std::vector<BlockNo> pointer_blocks;      // its pointer tree's blocks
  BlobRoot root;
};

struct DirSlot {
  std::string name;  // empty: free slot
  Ino ino = 0;
};

struct Inode {
  InodeType type = InodeType::free;
  std::uint32_t mode = 0;
  std::uint64_t size = 0;  // files: bytes; directories: slots * dir_slot_bytes
  Ino parent = 0;          // directories: the directory holding this one
  // Files: page index -> payload bytes (absent: a hole of zeros).
  std::map<std::uint64_t, std::vector<std::uint8_t>> pages;
  // Directories: fixed slots (on disk as they are) and a name index.
  std::vector<DirSlot> slots;
  std::map<std::string, std::uint32_t, std::less<>> names;
  std::set<std::uint32_t> free_slots;

  BlobLayout layout;                   // the version the last built CP wrote
  std::set<std::uint64_t> dirty_pages; // pages changed since that CP
};

struct FsState {
  std::map<Ino, Inode> inodes;
  std::set<Ino> free_inos;  // below next_fresh_ino
  Ino next_fresh_ino = 2;
  // Inode-table pages and layouts to free, changed since the last built CP.
  std::set<std::uint64_t> dirty_inode_pages;
  std::set<Ino> dirty_content;         // inodes with dirty pages
  std::vector<BlobLayout> dead_layouts; // of inodes removed since the last CP
  BlobLayout inode_table;
  std::uint64_t inode_table_pages = 0;
  BlobLayout reply_cache;
  std::uint64_t reply_cache_bytes = 0;
  std::uint64_t total_pages = 0;       // file pages in memory: bounds a CP's pointer blocks
  std::uint64_t dirty_page_count = 0;  // sum of dirty_pages sizes
};

}  // namespace failsim::model
