// The consistency check of block-logging images before replay: the images of
// one change are simulated over a shadow of the inodes and directory slots they
// touch, then every inode whose names changed is held to "named exactly once".
// A change made by apply() moves names, never creates or drops one without
// creating or freeing its inode, so counting names gained and lost suffices.
#include "fs_install_check.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "bytes.hpp"
#include "fs_codec.hpp"

namespace failsim::model::detail {

namespace {

struct Shadow {
  InodeType type = InodeType::free;
  std::uint64_t size = 0;
  Ino parent = 0;
  std::uint64_t slots = 0;  // directories: slots after the change
  bool fresh = false;       // created by this change: no slots or pages of before
};

class Check {
 public:
  Check(const FsState& st, const FsConfig& cfg) : st_(st), cfg_(cfg) {}

  bool run(const std::vector<BlockImage>& images) {
    for (const BlockImage& img : images) {
      if (img.payload.size() != payload_bytes(cfg_.block_size)) return false;
      bool ok = false;
      switch (img.kind) {
        case ImageKind::inode_page: ok = inode_page(img.page, img.payload); break;
        case ImageKind::dir_page: ok = dir_page(img.ino, img.page, img.payload); break;
        case ImageKind::file_page: ok = file_page(img.ino, img.page, img.payload); break;
      }
      if (!ok) return false;
    }
    return names_conserved() && directories_placed() && names_unique() && file_tails_zero();
  }

 private:
  Shadow before(Ino ino) const {
    auto it = st_.inodes.find(ino);
    if (it == st_.inodes.end()) return {};
    const Inode& i = it->second;
    return {i.type, i.size, i.parent, i.slots.size(), false};
  }
  Shadow now(Ino ino) const {
    auto it = shadow_.find(ino);
    return it != shadow_.end() ? it->second : before(ino);
  }
  DirSlot slot_now(Ino dir, std::uint64_t s) const {
    if (auto it = slots_.find({dir, s}); it != slots_.end()) return it->second;
    if (now(dir).fresh) return {};
    auto d = st_.inodes.find(dir);
    if (d == st_.inodes.end() || s >= d->second.slots.size()) return {};
    return d->second.slots[s];
  }

  bool inode_page(std::uint64_t page, std::span<const std::uint8_t> payload) {
    const std::uint32_t ipp = inodes_per_page(cfg_.block_size);
    if (page >= (cfg_.inode_limit + ipp - 1) / ipp) return false;
    ByteReader r(payload);
    for (std::uint32_t i = 0; i < ipp; ++i) {
      const Ino ino = page * ipp + i;
      auto rec = decode_inode_record(r);
      if (!rec) return false;
      if (ino == 0 || (ino >= cfg_.inode_limit && rec->type == InodeType::free)) continue;
      if (ino >= cfg_.inode_limit) return false;
      if (ino == root_ino && (rec->type != InodeType::dir || rec->parent != root_ino)) return false;
      const Shadow old = now(ino);
      touched_.insert(ino);
      if (rec->type == InodeType::free) {
        shadow_[ino] = Shadow{};
        continue;
      }
      Shadow s{rec->type, rec->size, rec->parent, 0, old.type != rec->type || old.fresh};
      if (rec->type == InodeType::file) {
        if (rec->size > cfg_.max_file_size_bytes) return false;
      } else {
        const std::uint64_t had = s.fresh ? 0 : old.slots;
        if (rec->size % dir_slot_bytes != 0 || rec->size / dir_slot_bytes < had) return false;
        // One change adds at most one name, so at most a page of slots.
        if (rec->size / dir_slot_bytes > had + dir_slots_per_page(cfg_.block_size)) return false;
        s.slots = rec->size / dir_slot_bytes;
      }
      shadow_[ino] = s;
    }
    return true;
  }

  bool dir_page(Ino dir, std::uint64_t page, std::span<const std::uint8_t> payload) {
    const Shadow d = now(dir);
    if (d.type != InodeType::dir) return false;
    const std::uint32_t per = dir_slots_per_page(cfg_.block_size);
    if (page >= (d.slots + per - 1) / per) return false;
    ByteReader r(payload);
    for (std::uint64_t s = page * per; s < (page + 1) * per; ++s) {
      auto slot = decode_dir_slot(r);
      if (!slot) return false;
      if (s >= d.slots) {
        if (slot->ino != 0) return false;
        continue;
      }
      const DirSlot old = slot_now(dir, s);
      if (old.ino != 0) --delta_[old.ino];
      if (slot->ino != 0) {
        ++delta_[slot->ino];
        if (old.ino != slot->ino) gained_.emplace_back(slot->ino, dir);
      }
      slots_[{dir, s}] = std::move(*slot);
    }
    return true;
  }

  bool file_page(Ino ino, std::uint64_t page, std::span<const std::uint8_t> payload) {
    const Shadow f = now(ino);
    const std::uint64_t page_bytes = payload_bytes(cfg_.block_size);
    if (f.type != InodeType::file || page >= f.size / page_bytes + (f.size % page_bytes != 0)) return false;
    file_pages_[{ino, page}] = payload;
    return true;
  }

  // A file's last page holds zeros past its size (a CP writes the page as it
  // is, and fsck refuses bytes past the end), whether the page came with
  // the images or was there before and the size shrank.
  bool file_tails_zero() const {
    const std::uint64_t page_bytes = payload_bytes(cfg_.block_size);
    std::set<Ino> files = touched_;
    for (const auto& [key, payload] : file_pages_) files.insert(key.first);
    for (Ino ino : files) {
      const Shadow f = now(ino);
      if (f.type != InodeType::file || f.size % page_bytes == 0) continue;
      const std::uint64_t last = f.size / page_bytes;
      std::span<const std::uint8_t> bytes;
      if (auto it = file_pages_.find({ino, last}); it != file_pages_.end()) {
        bytes = it->second;
      } else if (auto i = st_.inodes.find(ino); !f.fresh && i != st_.inodes.end()) {
        auto p = i->second.pages.find(last);
        if (p != i->second.pages.end()) bytes = p->second;
      }
      if (bytes.size() > f.size % page_bytes &&
          std::any_of(bytes.begin() + f.size % page_bytes, bytes.end(), [](std::uint8_t b) { return b != 0; }))
        return false;
    }
    return true;
  }

  // Every inode named exactly once afterwards, given that it was before.
  bool names_conserved() const {
    std::set<Ino> inos = touched_;
    for (const auto& [ino, d] : delta_) inos.insert(ino);
    for (Ino ino : inos) {
      const Shadow b = before(ino), a = now(ino);
      const int d = delta_.contains(ino) ? delta_.at(ino) : 0;
      const bool was = b.type != InodeType::free, is = a.type != InodeType::free;
      if (ino == root_ino && d != 0) return false;
      if (was && is && (d != 0 || b.type != a.type)) return false;
      if (!was && is && d != 1) return false;
      if (was && !is && d != -1) return false;
      if (!was && !is && d != 0) return false;
      // A directory freed (or a fresh one) holds no name of before.
      if (was && !is && b.type == InodeType::dir) {
        for (std::uint64_t s = 0; s < b.slots; ++s)
          if (slot_now(ino, s).ino != 0) return false;
      }
    }
    return true;
  }

  // A directory that gained its name in `dir` records `dir` as its parent and
  // is not one of dir's ancestors; no other directory changes its parent.
  bool directories_placed() const {
    std::set<Ino> moved;
    for (const auto& [child, dir] : gained_) {
      const Shadow c = now(child);
      if (c.type != InodeType::dir) continue;
      if (c.parent != dir) return false;
      moved.insert(child);
      std::uint64_t steps = 0;
      for (Ino cur = dir; cur != root_ino; cur = now(cur).parent) {
        if (cur == child || now(cur).type != InodeType::dir || ++steps > st_.inodes.size() + shadow_.size())
          return false;
      }
    }
    for (Ino ino : touched_) {
      const Shadow b = before(ino), a = now(ino);
      if (ino != root_ino && a.type == InodeType::dir && b.type == InodeType::dir && a.parent != b.parent &&
          !moved.contains(ino))
        return false;
    }
    return true;
  }

  // No name twice in a directory whose slots changed.
  bool names_unique() const {
    std::map<Ino, std::map<std::string, std::uint64_t, std::less<>>> names;
    for (const auto& [key, slot] : slots_) {
      if (slot.ino == 0) continue;
      const auto& [dir, s] = key;
      if (!names[dir].emplace(slot.name, s).second) return false;
      if (now(dir).fresh) continue;
      auto d = st_.inodes.find(dir);
      if (d == st_.inodes.end()) continue;
      auto other = d->second.names.find(slot.name);
      if (other != d->second.names.end() && other->second != s && !slots_.contains({dir, other->second}))
        return false;
    }
    return true;
  }

  const FsState& st_;
  const FsConfig& cfg_;
  std::map<Ino, Shadow> shadow_;
  std::map<std::pair<Ino, std::uint64_t>, DirSlot> slots_;
  std::map<Ino, int> delta_;
  std::vector<std::pair<Ino, Ino>> gained_;  // (inode, directory now naming it)
  std::set<Ino> touched_;                     // inodes an inode page covered
  std::map<std::pair<Ino, std::uint64_t>, std::span<const std::uint8_t>> file_pages_;  // installed file pages
};

}  // namespace

bool images_fit(const FsState& state, const FsConfig& config, const std::vector<BlockImage>& images) {
  return Check(state, config).run(images);
}

}  // namespace failsim::model::detail
