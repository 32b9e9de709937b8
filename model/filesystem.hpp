// The copy-on-write file system of one aggregate. The whole tree lives in
// memory; changes apply there at once (POSIX results, Linux semantics) and
// reach disk only in a consistency point (CP): build_cp() serialises every
// page dirtied since the last CP into new blocks (never overwriting a block
// the durable image uses), then the superblock; commit_cp() frees the blocks
// the new image no longer uses once that superblock is durable (claims 79, 80,
// 101, 102). For block logging, apply() also returns the images of the
// logical blocks the change modified, and install() replays them (claim 87).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "allocator.hpp"
#include "block_device.hpp"
#include "change.hpp"
#include "disk_format.hpp"
#include "fs_state.hpp"
#include "reply_cache.hpp"
#include "result.hpp"

namespace failsim::model {


struct FsConfig {
  std::uint32_t block_size = default_block_size;
  BlockNo block_count = 65536;                     // blocks per plex (256 MiB at 4 KiB)
  std::uint64_t inode_limit = 65536;               // inode numbers 1 .. inode_limit-1
  std::uint64_t max_file_size_bytes = 1ull << 30;  // past it: EFBIG
};

// One logical block a change modified, as block logging stores it: which
// object and page, and the page's payload after the change.
enum class ImageKind : std::uint8_t { inode_page = 1, dir_page = 2, file_page = 3 };
struct BlockImage {
  ImageKind kind = ImageKind::file_page;
  Ino ino = 0;  // owner (unused for inode pages)
  std::uint64_t page = 0;
  std::vector<std::uint8_t> payload;
  friend bool operator==(const BlockImage&, const BlockImage&) = default;
};

// What an observer sees of one path: final-state reports and tests use it.
struct PathInfo {
  InodeType type = InodeType::file;
  std::uint32_t mode = 0;
  std::uint64_t size = 0;
  std::string contents;  // files only
  friend bool operator==(const PathInfo&, const PathInfo&) = default;
};

// The blocks of one CP, in the order they must reach disk: all content and
// pointer blocks (any order among themselves), then superblock copy 0, then copy 1.
struct CpPlan {
  std::uint64_t generation = 0;
  std::uint64_t max_lsn = 0;
  std::vector<BlockWrite> blocks;
  std::vector<std::uint8_t> superblock;  // written to blocks 0 and 1 in turn
  std::uint64_t blocks_freed = 0;
};

struct LoadResult;

class Filesystem {
 public:
  // A new, empty file system (mkfs): the root directory, all of it dirty so
  // that the first CP writes the whole initial image.
  explicit Filesystem(const FsConfig& config);

  // Applies one change. With `images`, also returns the post-change images of
  // every logical block it modified (empty when the result is an error).
  Result apply(const Change& c, std::vector<BlockImage>* images = nullptr);
  // Replays block-logging images of one change, in the order apply() gave them.
  // Returns false when an image is malformed (the entry is then not trusted).
  bool install(const std::vector<BlockImage>& images);

  ReplyCache& reply_cache() { return reply_cache_; }
  const ReplyCache& reply_cache() const { return reply_cache_; }
  void mark_reply_cache_dirty() { reply_cache_dirty_ = true; }

  // Consistency points: one at a time. build_cp() freezes the current state
  // into blocks; commit_cp() is called once the plan's superblock is durable.
  CpPlan build_cp(std::uint64_t max_lsn);
  void commit_cp();
  bool cp_in_flight() const { return cp_in_flight_; }
  // Changes applied since the last build_cp() (the next CP has work to do).
  bool dirty() const;
  std::uint64_t generation() const { return generation_; }
  std::uint64_t durable_max_lsn() const { return durable_max_lsn_; }

  // Observation, for reports and tests: every path but "/".
  std::map<std::string, PathInfo> tree() const;
  std::optional<PathInfo> stat(std::string_view path) const;
  const FsConfig& config() const { return config_; }
  std::uint64_t free_blocks() const { return alloc_.free_count(); }

 private:
  friend LoadResult load_image(const std::vector<const BlockDevice*>& plexes,
                               std::uint64_t max_file_size_bytes);
  Filesystem() = default;

  // Operations (filesystem.cpp).
  struct Footprint;
  using Components = std::vector<std::string_view>;
  // Resolution of a path's first components: the inode reached, or why not.
  struct Resolved {
    Result result = Result::ok;
    Ino ino = 0;
  };
  Result do_apply(const Change& c, Footprint& fp);
  // One per kind of operation, after the path split into `comps`.
  Result make_node(const Change& c, const Components& comps, Footprint& fp);    // create, mkdir
  Result change_data(const Change& c, const Components& comps, Footprint& fp);  // write, append, truncate
  Result remove_node(const Change& c, const Components& comps, Footprint& fp);  // unlink, rmdir
  Result set_mode(const Change& c, const Components& comps, Footprint& fp);     // setattr
  Result rename_node(const Change& c, const Components& comps, Footprint& fp);
  Resolved resolve(const Components& path, std::size_t count) const;
  std::optional<Ino> child_of(Ino dir, std::string_view name) const;
  bool ancestor_or_self(Ino ancestor, Ino ino) const;
  std::optional<Ino> lookup(std::string_view path) const;
  Ino allocate_ino();
  void release_inode(Ino ino, Footprint* fp);
  void touch_inode(Ino ino, Footprint* fp);
  void touch_page(Ino ino, std::uint64_t page, Footprint* fp);
  bool has_space_for(std::uint64_t new_pages) const;
  // Directory slots and file bytes.
  void dir_add(Ino dir, const std::string& name, Ino child, Footprint* fp);
  void dir_remove(Ino dir, std::string_view name, Footprint* fp);
  void file_write(Ino ino, std::uint64_t offset, std::string_view data, Footprint* fp);
  void file_resize(Ino ino, std::uint64_t size, Footprint* fp);

  // The parts of a CP (fs_cp.cpp), each writing its blocks and freeing the
  // ones it replaces through the sink.
  struct CpSink;
  void cp_contents(CpSink& sink);     // dirty files and directories, and the dead ones' blocks
  void cp_inode_table(CpSink& sink);  // after the contents: it holds their new roots
  void cp_reply_cache(CpSink& sink);

  // Page serialisation shared by block images and CPs (fs_pages.cpp).
  std::vector<std::uint8_t> inode_page_payload(std::uint64_t page, bool with_layout) const;
  std::vector<std::uint8_t> content_page_payload(const Inode& inode, std::uint64_t page) const;
  bool install_inode_page(std::uint64_t page, std::span<const std::uint8_t> payload);
  bool install_dir_page(Ino ino, std::uint64_t page, std::span<const std::uint8_t> payload);
  bool install_file_page(Ino ino, std::uint64_t page, std::span<const std::uint8_t> payload);

  FsConfig config_;
  FsState state_;
  BlockAllocator alloc_;
  ReplyCache reply_cache_;
  bool reply_cache_dirty_ = true;
  bool cp_in_flight_ = false;
  std::uint64_t generation_ = 0;
  std::uint64_t durable_max_lsn_ = 0;
  std::uint64_t pending_max_lsn_ = 0;
};

// Loads the newest valid image from the plexes of an aggregate. A block is
// read from the first plex that gives it with the right checksum, so the
// loss of one plex is survived (claims 89, 90).
struct LoadResult {
  std::optional<Filesystem> fs;
  Superblock superblock;
  std::uint64_t blocks_read = 0;
  std::string error;  // set when fs is empty
};
LoadResult load_image(const std::vector<const BlockDevice*>& plexes,
                      std::uint64_t max_file_size_bytes = FsConfig{}.max_file_size_bytes);

}  // namespace failsim::model
