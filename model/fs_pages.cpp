// Page images of inode-table, directory and file pages: written by CPs,
// logged by block logging, and installed again by its replay.
#include <algorithm>
#include <cassert>

#include "bytes.hpp"
#include "filesystem.hpp"
#include "fs_codec.hpp"
#include "fs_install_check.hpp"
#include "mutants.hpp"

namespace failsim::model {

std::vector<std::uint8_t> Filesystem::inode_page_payload(std::uint64_t page, bool with_layout) const {
  const std::uint32_t ipp = inodes_per_page(config_.block_size);
  std::vector<std::uint8_t> out;
  out.reserve(payload_bytes(config_.block_size));
  for (std::uint32_t i = 0; i < ipp; ++i) {
    InodeRecord rec;
    auto it = state_.inodes.find(page * ipp + i);
    if (it != state_.inodes.end()) {
      const Inode& inode = it->second;
      rec = {inode.type, inode.mode, inode.size, inode.parent, {}};
      // The layout is where the last built CP put the object: meaningful on
      // disk, but not in a log image, which replay applies to whatever
      // image it loaded.
      if (with_layout) rec.root = inode.layout.root;
      if (with_layout && mutant::cp_drops_mode) rec.mode = 0;
    }
    encode_inode_record(rec, out);
  }
  out.resize(payload_bytes(config_.block_size), 0);
  return out;
}

std::vector<std::uint8_t> Filesystem::content_page_payload(const Inode& inode, std::uint64_t page) const {
  const std::uint32_t page_bytes = payload_bytes(config_.block_size);
  if (inode.type == InodeType::file) {
    auto it = inode.pages.find(page);
    return it != inode.pages.end() ? it->second : std::vector<std::uint8_t>(page_bytes, 0);
  }
  const std::uint32_t per = dir_slots_per_page(config_.block_size);
  std::vector<std::uint8_t> out;
  out.reserve(page_bytes);
  for (std::uint64_t s = page * per; s < std::min<std::uint64_t>((page + 1) * per, inode.slots.size()); ++s)
    encode_dir_slot(inode.slots[s], out);
  out.resize(page_bytes, 0);
  return out;
}

bool Filesystem::install(const std::vector<BlockImage>& images) {
  // All or nothing: images that would leave an inconsistent tree are refused
  // before any of them is installed.
  if (!detail::images_fit(state_, config_, images)) return false;
  for (const BlockImage& img : images) {
    if (img.payload.size() != payload_bytes(config_.block_size)) return false;
    bool ok = false;
    switch (img.kind) {
      case ImageKind::inode_page: ok = install_inode_page(img.page, img.payload); break;
      case ImageKind::dir_page: ok = install_dir_page(img.ino, img.page, img.payload); break;
      case ImageKind::file_page: ok = install_file_page(img.ino, img.page, img.payload); break;
    }
    if (!ok) return false;
  }
  return true;
}

bool Filesystem::install_inode_page(std::uint64_t page, std::span<const std::uint8_t> payload) {
  const std::uint32_t ipp = inodes_per_page(config_.block_size);
  const std::uint64_t page_bytes = payload_bytes(config_.block_size);
  if (page >= (config_.inode_limit + ipp - 1) / ipp) return false;
  ByteReader r(payload);
  for (std::uint32_t i = 0; i < ipp; ++i) {
    Ino ino = page * ipp + i;
    auto rec = decode_inode_record(r);
    if (!rec) return false;
    if (ino == 0 || (ino >= config_.inode_limit && rec->type == InodeType::free)) continue;
    if (ino >= config_.inode_limit) return false;
    auto it = state_.inodes.find(ino);
    if (ino == root_ino && rec->type != InodeType::dir) return false;
    if (it != state_.inodes.end() && it->second.type != rec->type) {
      release_inode(ino, nullptr);
      it = state_.inodes.end();
    }
    if (rec->type == InodeType::free) continue;
    if (it == state_.inodes.end()) {
      it = state_.inodes.emplace(ino, Inode{}).first;
      it->second.type = rec->type;
      state_.free_inos.erase(ino);
      for (; state_.next_fresh_ino < ino; ++state_.next_fresh_ino) state_.free_inos.insert(state_.next_fresh_ino);
      state_.next_fresh_ino = std::max(state_.next_fresh_ino, ino + 1);
    }
    Inode& inode = it->second;
    inode.mode = rec->mode;
    inode.parent = rec->parent;
    if (inode.type == InodeType::file) {
      std::uint64_t keep = (rec->size + page_bytes - 1) / page_bytes;
      for (auto p = inode.pages.lower_bound(keep); p != inode.pages.end();) {
        touch_page(ino, p->first, nullptr);
        p = inode.pages.erase(p);
        --state_.total_pages;
      }
      for (std::uint64_t p = keep; p < (inode.size + page_bytes - 1) / page_bytes; ++p) touch_page(ino, p, nullptr);
      inode.size = rec->size;
      state_.dirty_content.insert(ino);
    } else {
      if (rec->size % dir_slot_bytes != 0 || rec->size / dir_slot_bytes < inode.slots.size()) return false;
      // New slots start free; their pages are dirty, so the next CP writes
      // them even when no page image follows (a directory has no holes).
      while (inode.slots.size() < rec->size / dir_slot_bytes) {
        inode.free_slots.insert(static_cast<std::uint32_t>(inode.slots.size()));
        touch_page(ino, inode.slots.size() / dir_slots_per_page(config_.block_size), nullptr);
        inode.slots.emplace_back();
      }
      inode.size = rec->size;
    }
    touch_inode(ino, nullptr);
  }
  return true;
}

bool Filesystem::install_dir_page(Ino ino, std::uint64_t page, std::span<const std::uint8_t> payload) {
  auto it = state_.inodes.find(ino);
  if (it == state_.inodes.end() || it->second.type != InodeType::dir) return false;
  Inode& d = it->second;
  const std::uint32_t per = dir_slots_per_page(config_.block_size);
  ByteReader r(payload);
  for (std::uint64_t s = page * per; s < (page + 1) * per; ++s) {
    auto slot = decode_dir_slot(r);
    if (!slot) return false;
    if (s >= d.slots.size()) {
      if (slot->ino != 0) return false;
      continue;
    }
    DirSlot& old = d.slots[s];
    if (!old.name.empty()) {
      // Another slot may already hold the name (a rename within this
      // directory whose new slot was installed first).
      auto n = d.names.find(old.name);
      if (n != d.names.end() && n->second == s) d.names.erase(n);
    }
    old = std::move(*slot);
    if (old.ino == 0) {
      d.free_slots.insert(static_cast<std::uint32_t>(s));
    } else {
      d.free_slots.erase(static_cast<std::uint32_t>(s));
      d.names[old.name] = static_cast<std::uint32_t>(s);
    }
  }
  touch_page(ino, page, nullptr);
  return true;
}

bool Filesystem::install_file_page(Ino ino, std::uint64_t page, std::span<const std::uint8_t> payload) {
  auto it = state_.inodes.find(ino);
  if (it == state_.inodes.end() || it->second.type != InodeType::file) return false;
  const std::uint64_t page_bytes = payload_bytes(config_.block_size);
  if (page >= (it->second.size + page_bytes - 1) / page_bytes) return false;
  auto [p, added] = it->second.pages.try_emplace(page);
  if (added) ++state_.total_pages;
  p->second.assign(payload.begin(), payload.end());
  touch_page(ino, page, nullptr);
  return true;
}

}  // namespace failsim::model
