// Consistency points: the frozen in-memory state becomes new blocks, never
// written over a block of the durable image, then the superblock names them.
#include <algorithm>
#include <cassert>
#include <functional>

#include "filesystem.hpp"
#include "fs_codec.hpp"

namespace failsim::model {

namespace {

using WriteFn = std::function<BlockRef(const BlockHeader&, std::span<const std::uint8_t>)>;
using FreeFn = std::function<void(BlockNo)>;

// Rewrites a blob's pointer tree over its current content pages.
void rebuild_tree(BlobLayout& layout, std::uint64_t npages, std::uint64_t owner, std::uint32_t block_size,
                  const WriteFn& write, const FreeFn& release) {
  for (BlockNo b : layout.pointer_blocks) release(b);
  layout.pointer_blocks.clear();
  layout.root = {};
  if (npages == 0) return;
  std::vector<BlockRef> level(npages);
  for (const auto& [page, ref] : layout.pages) {
    assert(page < npages);
    level[page] = ref;
  }
  const std::uint64_t k = pointers_per_block(block_size);
  std::uint8_t height = 0;
  std::uint64_t span = 1;  // content pages under one entry of `level`
  while (level.size() > 1) {
    std::vector<BlockRef> up((level.size() + k - 1) / k);
    for (std::uint64_t j = 0; j < up.size(); ++j) {
      std::vector<BlockRef> children(level.begin() + j * k,
                                     level.begin() + std::min<std::uint64_t>((j + 1) * k, level.size()));
      if (std::all_of(children.begin(), children.end(), [](const BlockRef& r) { return r.bno == 0; }))
        continue;  // a hole all the way down
      std::vector<std::uint8_t> payload;
      encode_pointer_payload(children, payload);
      BlockHeader h{BlockType::pointer, static_cast<std::uint8_t>(height + 1), owner, j * k * span, 0};
      up[j] = write(h, payload);
      layout.pointer_blocks.push_back(up[j].bno);
    }
    level = std::move(up);
    ++height;
    span *= k;
  }
  layout.root = {level[0], height};
}

}  // namespace

struct Filesystem::CpSink {
  WriteFn write;
  FreeFn release;
};

CpPlan Filesystem::build_cp(std::uint64_t max_lsn) {
  assert(!cp_in_flight_ && "one CP at a time");
  CpPlan plan;
  plan.generation = generation_ + 1;
  plan.max_lsn = max_lsn;
  const std::uint32_t bs = config_.block_size;
  CpSink sink;
  sink.write = [&](const BlockHeader& h, std::span<const std::uint8_t> payload) {
    BlockNo bno = alloc_.allocate();
    assert(bno != 0 && "admission control must leave room for every CP");
    BlockHeader sealed = h;
    sealed.generation = static_cast<std::uint32_t>(plan.generation);
    std::uint32_t crc = 0;
    plan.blocks.push_back({bno, seal_block(sealed, payload, bs, &crc)});
    return BlockRef{bno, crc};
  };
  sink.release = [&](BlockNo b) {
    if (b == 0) return;
    alloc_.free_after_commit(b);
    ++plan.blocks_freed;
  };
  // Files and directories first: their new roots go into the inode table.
  cp_contents(sink);
  cp_inode_table(sink);
  if (reply_cache_dirty_) cp_reply_cache(sink);

  Superblock sb;
  sb.block_size = bs;
  sb.block_count = config_.block_count;
  sb.generation = plan.generation;
  sb.max_lsn = max_lsn;
  sb.used_blocks = alloc_.used_count() - alloc_.pending_free_count();
  sb.inode_limit = config_.inode_limit;
  sb.inode_table = state_.inode_table.root;
  sb.inode_table_pages = state_.inode_table_pages;
  sb.reply_cache = state_.reply_cache.root;
  sb.reply_cache_bytes = state_.reply_cache_bytes;
  plan.superblock = encode_superblock(sb, bs);
  cp_in_flight_ = true;
  pending_max_lsn_ = max_lsn;
  return plan;
}

void Filesystem::cp_contents(CpSink& sink) {
  const std::uint32_t bs = config_.block_size;
  const std::uint64_t page_bytes = payload_bytes(bs);
  for (Ino ino : state_.dirty_content) {
    Inode& inode = state_.inodes.at(ino);
    const bool is_dir = inode.type == InodeType::dir;
    const std::uint64_t npages =
        is_dir ? (inode.slots.size() + dir_slots_per_page(bs) - 1) / dir_slots_per_page(bs)
               : (inode.size + page_bytes - 1) / page_bytes;
    for (std::uint64_t p : inode.dirty_pages) {
      auto old = inode.layout.pages.find(p);
      if (old != inode.layout.pages.end()) {
        sink.release(old->second.bno);
        inode.layout.pages.erase(old);
      }
      if (p >= npages || (!is_dir && !inode.pages.contains(p))) continue;  // gone, or a hole
      BlockHeader h{is_dir ? BlockType::dir_data : BlockType::file_data, 0, ino, p, 0};
      inode.layout.pages[p] = sink.write(h, content_page_payload(inode, p));
    }
    inode.dirty_pages.clear();
    rebuild_tree(inode.layout, npages, ino, bs, sink.write, sink.release);
    state_.dirty_inode_pages.insert(ino / inodes_per_page(bs));
  }
  state_.dirty_content.clear();
  state_.dirty_page_count = 0;

  for (BlobLayout& dead : state_.dead_layouts) {
    for (const auto& [page, ref] : dead.pages) sink.release(ref.bno);
    for (BlockNo b : dead.pointer_blocks) sink.release(b);
  }
  state_.dead_layouts.clear();
}

void Filesystem::cp_inode_table(CpSink& sink) {
  const std::uint32_t ipp = inodes_per_page(config_.block_size);
  // The inode table never shrinks: it covers every inode number ever used.
  state_.inode_table_pages = std::max(state_.inode_table_pages, (state_.next_fresh_ino + ipp - 1) / ipp);
  for (std::uint64_t p : state_.dirty_inode_pages) {
    auto old = state_.inode_table.pages.find(p);
    if (old != state_.inode_table.pages.end()) sink.release(old->second.bno);
    state_.inode_table.pages[p] = sink.write({BlockType::inode_table, 0, 0, p, 0}, inode_page_payload(p, true));
  }
  state_.dirty_inode_pages.clear();
  rebuild_tree(state_.inode_table, state_.inode_table_pages, 0, config_.block_size, sink.write, sink.release);
}

void Filesystem::cp_reply_cache(CpSink& sink) {
  const std::uint64_t page_bytes = payload_bytes(config_.block_size);
  BlobLayout& rc = state_.reply_cache;
  for (const auto& [page, ref] : rc.pages) sink.release(ref.bno);
  rc.pages.clear();
  std::vector<std::uint8_t> bytes = reply_cache_.encode();
  std::uint64_t npages = (bytes.size() + page_bytes - 1) / page_bytes;
  for (std::uint64_t p = 0; p < npages; ++p) {
    auto first = bytes.begin() + p * page_bytes;
    auto last = bytes.begin() + std::min<std::uint64_t>((p + 1) * page_bytes, bytes.size());
    rc.pages[p] = sink.write({BlockType::reply_cache, 0, reply_cache_owner, p, 0}, std::vector<std::uint8_t>(first, last));
  }
  rebuild_tree(rc, npages, reply_cache_owner, config_.block_size, sink.write, sink.release);
  state_.reply_cache_bytes = bytes.size();
  reply_cache_dirty_ = false;
}

void Filesystem::commit_cp() {
  assert(cp_in_flight_);
  alloc_.commit();
  ++generation_;
  durable_max_lsn_ = pending_max_lsn_;
  cp_in_flight_ = false;
}

}  // namespace failsim::model
