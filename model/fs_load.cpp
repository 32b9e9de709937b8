// Loading an aggregate: the image walk, refused on any problem, becomes the
// in-memory state of a Filesystem with nothing dirty.
#include "filesystem.hpp"
#include "image_walk.hpp"

namespace failsim::model {

LoadResult load_image(const std::vector<const BlockDevice*>& plexes, std::uint64_t max_file_size_bytes) {
  ImageWalk walk = walk_image(plexes);
  LoadResult result;
  result.blocks_read = walk.blocks_read;
  if (!walk.problems.empty()) {
    result.error = walk.problems.front();
    if (walk.problems.size() > 1) result.error += " (and " + std::to_string(walk.problems.size() - 1) + " more)";
    return result;
  }
  const Superblock& sb = *walk.superblock;
  result.superblock = sb;
  // No file of this file system grows past the limit (EFBIG), so a larger
  // size is corruption; trusted, it would make reading the file allocate it.
  for (const auto& [ino, w] : walk.inodes) {
    if (w.record.type == InodeType::file && w.record.size > max_file_size_bytes) {
      result.error = "file inode " + std::to_string(ino) + " has size " + std::to_string(w.record.size) +
                     ", more than the limit of " + std::to_string(max_file_size_bytes) + " bytes";
      return result;
    }
  }

  Filesystem fs;
  fs.config_ = {sb.block_size, sb.block_count, sb.inode_limit, max_file_size_bytes};
  fs.alloc_ = BlockAllocator(sb.block_count);
  for (BlockNo b : walk.used_blocks) fs.alloc_.mark_used(b);
  FsState& st = fs.state_;
  Ino highest = root_ino;
  for (auto& [ino, w] : walk.inodes) {
    Inode inode;
    inode.type = w.record.type;
    inode.mode = w.record.mode;
    inode.size = w.record.size;
    inode.parent = ino == root_ino ? root_ino : w.record.parent;
    inode.layout = std::move(w.layout);
    if (inode.type == InodeType::file) {
      inode.pages = std::move(w.pages);
      st.total_pages += inode.pages.size();
    } else {
      inode.slots = std::move(w.slots);
      for (std::uint32_t s = 0; s < inode.slots.size(); ++s) {
        if (inode.slots[s].ino == 0)
          inode.free_slots.insert(s);
        else
          inode.names.emplace(inode.slots[s].name, s);
      }
    }
    st.inodes.emplace(ino, std::move(inode));
    highest = std::max(highest, ino);
  }
  for (Ino ino = root_ino + 1; ino < highest; ++ino)
    if (!st.inodes.contains(ino)) st.free_inos.insert(ino);
  st.next_fresh_ino = highest + 1;
  st.inode_table = std::move(walk.inode_table);
  st.inode_table_pages = sb.inode_table_pages;
  st.reply_cache = std::move(walk.reply_cache_layout);
  st.reply_cache_bytes = sb.reply_cache_bytes;
  fs.reply_cache_ = std::move(walk.reply_cache);
  fs.reply_cache_dirty_ = false;
  fs.generation_ = sb.generation;
  fs.durable_max_lsn_ = sb.max_lsn;
  result.fs.emplace(std::move(fs));
  return result;
}

}  // namespace failsim::model
