// The image walk: superblock choice, blob reading with checksums from the
// parent pointer, tree structure, block accounting.
#include "image_walk.hpp"

#include <algorithm>
#include <deque>
#include <set>

namespace failsim::model {

namespace {

constexpr std::uint8_t max_tree_height = 6;  // keeps k^height inside 64 bits

std::string describe(BlockType t) {
  switch (t) {
    case BlockType::superblock: return "superblock";
    case BlockType::pointer: return "pointer";
    case BlockType::file_data: return "file data";
    case BlockType::dir_data: return "directory";
    case BlockType::inode_table: return "inode table";
    case BlockType::reply_cache: return "reply cache";
  }
  return "?";
}

class Walker {
 public:
  Walker(const std::vector<const BlockDevice*>& plexes, ImageWalk& out) : plexes_(plexes), out_(out) {}

  void run() {
    if (plexes_.empty()) return problem("no plex to read");
    choose_superblock();
    if (!out_.superblock) return;
    const Superblock& sb = *out_.superblock;
    bs_ = sb.block_size;
    seen_.assign(sb.block_count, false);
    read_inode_table(sb);
    read_reply_cache(sb);
    walk_tree();
    std::uint64_t reachable = out_.used_blocks.size() + superblock_copies;
    if (reachable != sb.used_blocks)
      problem("superblock counts " + std::to_string(sb.used_blocks) + " blocks in use, " +
              std::to_string(reachable) + " are reachable (leaked or lost blocks)");
  }

 private:
  void problem(std::string what) { out_.problems.push_back(std::move(what)); }

  void choose_superblock() {
    for (const BlockDevice* plex : plexes_) {
      std::vector<std::uint8_t> buf(plex->block_size());
      for (BlockNo copy = 0; copy < superblock_copies && copy < plex->block_count(); ++copy) {
        ++out_.blocks_read;
        if (!plex->read(copy, buf)) continue;
        auto sb = decode_superblock(buf);
        if (!sb) continue;
        if (sb->block_count > plex->block_count() || sb->block_count < superblock_copies ||
            sb->block_size < min_block_size || sb->inode_limit < 2 || sb->inode_table.height > max_tree_height ||
            sb->reply_cache.height > max_tree_height)
          continue;
        if (!out_.superblock || sb->generation > out_.superblock->generation) out_.superblock = sb;
      }
    }
    if (!out_.superblock) problem("no valid superblock on any plex");
  }

  // Reads one block from the first plex that has it intact and as expected.
  std::optional<std::vector<std::uint8_t>> read_block(const BlockRef& ref, const BlockHeader& want) {
    if (ref.bno < superblock_copies || ref.bno >= seen_.size()) {
      problem(describe(want.type) + " block " + std::to_string(ref.bno) + " out of range (owner " +
              std::to_string(want.owner) + ")");
      return std::nullopt;
    }
    if (seen_[ref.bno]) {
      problem("block " + std::to_string(ref.bno) + " is used twice (owner " + std::to_string(want.owner) + ")");
      return std::nullopt;
    }
    seen_[ref.bno] = true;
    out_.used_blocks.push_back(ref.bno);
    std::vector<std::uint8_t> buf(bs_);
    for (const BlockDevice* plex : plexes_) {
      ++out_.blocks_read;
      if (plex->block_size() != bs_ || !plex->read(ref.bno, buf)) continue;
      std::uint32_t crc = 0;
      auto h = open_block(buf, &crc);
      if (h && crc == ref.crc && h->type == want.type && h->level == want.level && h->owner == want.owner &&
          h->index == want.index)
        return buf;
    }
    problem(describe(want.type) + " block " + std::to_string(ref.bno) + " (owner " + std::to_string(want.owner) +
            ", page " + std::to_string(want.index) + ") is unreadable or not what its pointer says on every plex");
    return std::nullopt;
  }

  // Reads the content pages of a blob into `pages`, recording its layout.
  void read_blob(const BlobRoot& root, std::uint64_t npages, BlockType type, std::uint64_t owner,
                 BlobLayout& layout, std::map<std::uint64_t, std::vector<std::uint8_t>>& pages) {
    layout.root = root;
    if (root.height > max_tree_height || npages > seen_.size()) {
      problem(describe(type) + " of owner " + std::to_string(owner) + " has an impossible size or height");
      return;
    }
    const std::uint64_t k = pointers_per_block(bs_);
    // k^height pages, but at most the pages the device can hold: from 32 KiB
    // blocks on, k^6 would not fit 64 bits.
    std::uint64_t capacity = 1;
    for (int i = 0; i < root.height; ++i) {
      if (capacity > seen_.size()) {
        problem(describe(type) + " of owner " + std::to_string(owner) + ": tree height " +
                std::to_string(root.height) + " is more than the device needs");
        return;
      }
      capacity *= k;
    }
    if (npages > capacity || (root.height > 0 && npages <= capacity / k)) {
      problem(describe(type) + " of owner " + std::to_string(owner) + ": tree height " +
              std::to_string(root.height) + " does not fit " + std::to_string(npages) + " pages");
      return;
    }
    read_node(root.root, root.height, 0, capacity, npages, type, owner, layout, pages);
  }

  void read_node(const BlockRef& ref, std::uint8_t level, std::uint64_t first, std::uint64_t span,
                 std::uint64_t npages, BlockType type, std::uint64_t owner, BlobLayout& layout,
                 std::map<std::uint64_t, std::vector<std::uint8_t>>& pages) {
    if (ref.bno == 0) return;  // a hole
    if (first >= npages) {
      problem(describe(type) + " of owner " + std::to_string(owner) + " points past its end at page " +
              std::to_string(first));
      return;
    }
    if (level == 0) {
      auto block = read_block(ref, {type, 0, owner, first, 0});
      if (!block) return;
      layout.pages[first] = ref;
      auto payload = block_payload(*block);
      pages[first].assign(payload.begin(), payload.end());
      return;
    }
    auto block = read_block(ref, {BlockType::pointer, level, owner, first, 0});
    if (!block) return;
    layout.pointer_blocks.push_back(ref.bno);
    const std::uint64_t child_span = span / pointers_per_block(bs_);
    auto refs = decode_pointer_payload(block_payload(*block), pointers_per_block(bs_));
    if (!refs) return problem("pointer block " + std::to_string(ref.bno) + " is malformed");
    for (std::size_t i = 0; i < refs->size(); ++i)
      read_node((*refs)[i], level - 1, first + i * child_span, child_span, npages, type, owner, layout, pages);
  }

  void read_inode_table(const Superblock& sb) {
    std::map<std::uint64_t, std::vector<std::uint8_t>> pages;
    read_blob(sb.inode_table, sb.inode_table_pages, BlockType::inode_table, 0, out_.inode_table, pages);
    const std::uint32_t ipp = inodes_per_page(bs_);
    for (std::uint64_t p = 0; p < sb.inode_table_pages && p < seen_.size(); ++p) {
      auto it = pages.find(p);
      if (it == pages.end()) {
        problem("inode table page " + std::to_string(p) + " is missing");
        continue;
      }
      ByteReader r(it->second);
      for (std::uint32_t i = 0; i < ipp; ++i) {
        Ino ino = p * ipp + i;
        auto rec = decode_inode_record(r);
        if (!rec) {
          problem("inode " + std::to_string(ino) + " has a malformed record");
          continue;
        }
        if (rec->type == InodeType::free) continue;
        if (ino == 0 || ino >= sb.inode_limit) {
          problem("inode " + std::to_string(ino) + " is outside the inode table's range");
          continue;
        }
        records_[ino] = *rec;
      }
    }
  }

  void read_reply_cache(const Superblock& sb) {
    const std::uint64_t page_bytes = payload_bytes(bs_);
    std::map<std::uint64_t, std::vector<std::uint8_t>> pages;
    std::uint64_t npages = (sb.reply_cache_bytes + page_bytes - 1) / page_bytes;
    read_blob(sb.reply_cache, npages, BlockType::reply_cache, reply_cache_owner, out_.reply_cache_layout, pages);
    std::vector<std::uint8_t> bytes;
    for (std::uint64_t p = 0; p < npages && p < seen_.size(); ++p) {
      auto it = pages.find(p);
      if (it == pages.end()) return problem("reply cache page " + std::to_string(p) + " is missing");
      bytes.insert(bytes.end(), it->second.begin(), it->second.end());
    }
    bytes.resize(std::min<std::uint64_t>(bytes.size(), sb.reply_cache_bytes));
    auto rc = ReplyCache::decode(bytes);
    if (!rc) return problem("reply cache is malformed");
    out_.reply_cache = std::move(*rc);
  }

  void walk_tree() {
    auto root = records_.find(root_ino);
    if (root == records_.end() || root->second.type != InodeType::dir)
      return problem("the root inode is missing or not a directory");
    const std::uint64_t page_bytes = payload_bytes(bs_);
    const std::uint32_t slots_per_page = dir_slots_per_page(bs_);
    std::deque<Ino> queue{root_ino};
    out_.inodes[root_ino].record = root->second;
    while (!queue.empty()) {
      Ino ino = queue.front();
      queue.pop_front();
      WalkedInode& node = out_.inodes[ino];
      const InodeRecord& rec = node.record;
      if (rec.type == InodeType::file) {
        // Rounded up without overflow: a size near 2^64 must not wrap to a few pages.
        read_blob(rec.root, rec.size / page_bytes + (rec.size % page_bytes != 0), BlockType::file_data, ino,
                  node.layout, node.pages);
        auto last = node.pages.find(rec.size / page_bytes);
        if (rec.size % page_bytes != 0 && last != node.pages.end() &&
            std::any_of(last->second.begin() + rec.size % page_bytes, last->second.end(),
                        [](std::uint8_t b) { return b != 0; }))
          problem("file inode " + std::to_string(ino) + " has bytes past its size");
        continue;
      }
      if (rec.size % dir_slot_bytes != 0)
        problem("directory inode " + std::to_string(ino) + " has a size that is not whole slots");
      std::uint64_t nslots = rec.size / dir_slot_bytes;
      std::map<std::uint64_t, std::vector<std::uint8_t>> pages;
      read_blob(rec.root, (nslots + slots_per_page - 1) / slots_per_page, BlockType::dir_data, ino, node.layout,
                pages);
      if (nslots > seen_.size() * slots_per_page) continue;  // already reported as impossible
      // A CP writes every page of a directory, so a hole is corruption; and
      // the slots are sized only once the pages they claim were read.
      const std::uint64_t npages = (nslots + slots_per_page - 1) / slots_per_page;
      if (pages.size() != npages) {
        problem("directory inode " + std::to_string(ino) + " has " + std::to_string(npages) + " pages, " +
                std::to_string(pages.size()) + " are readable");
        continue;
      }
      node.slots.resize(nslots);
      std::set<std::string, std::less<>> names;
      for (const auto& [page, payload] : pages) {
        ByteReader r(payload);
        for (std::uint64_t s = page * slots_per_page; s < std::min((page + 1) * slots_per_page, nslots); ++s) {
          auto slot = decode_dir_slot(r);
          if (!slot) {
            problem("directory inode " + std::to_string(ino) + " slot " + std::to_string(s) + " is malformed");
            continue;
          }
          if (slot->ino == 0) continue;
          if (!names.insert(slot->name).second) {
            problem("directory inode " + std::to_string(ino) + " names '" + slot->name + "' twice");
            continue;
          }
          auto child = records_.find(slot->ino);
          if (child == records_.end()) {
            problem("directory inode " + std::to_string(ino) + " entry '" + slot->name + "' names free inode " +
                    std::to_string(slot->ino));
            continue;
          }
          if (out_.inodes.contains(slot->ino)) {
            problem("inode " + std::to_string(slot->ino) + " is reached twice (entry '" + slot->name + "')");
            continue;
          }
          if (child->second.type == InodeType::dir && child->second.parent != ino)
            problem("directory inode " + std::to_string(slot->ino) + " records parent " +
                    std::to_string(child->second.parent) + " but is in " + std::to_string(ino));
          out_.inodes[slot->ino].record = child->second;
          node.slots[s] = std::move(*slot);
          queue.push_back(node.slots[s].ino);
        }
      }
    }
    for (const auto& [ino, rec] : records_)
      if (!out_.inodes.contains(ino)) problem("inode " + std::to_string(ino) + " is not reachable (orphan)");
  }

  const std::vector<const BlockDevice*>& plexes_;
  ImageWalk& out_;
  std::uint32_t bs_ = 0;
  std::vector<bool> seen_;
  std::map<Ino, InodeRecord> records_;
};

}  // namespace

ImageWalk walk_image(const std::vector<const BlockDevice*>& plexes) {
  ImageWalk out;
  Walker(plexes, out).run();
  return out;
}

FsckReport fsck(const std::vector<const BlockDevice*>& plexes) {
  ImageWalk walk = walk_image(plexes);
  FsckReport report;
  report.problems = std::move(walk.problems);
  if (walk.superblock) {
    report.generation = walk.superblock->generation;
    report.max_lsn = walk.superblock->max_lsn;
  }
  report.blocks_used = walk.used_blocks.size() + superblock_copies;
  report.inodes = walk.inodes.size();
  return report;
}

}  // namespace failsim::model
