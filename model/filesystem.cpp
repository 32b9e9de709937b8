// File-system operations with the results Linux gives for the same calls.
#include "filesystem.hpp"

#include <algorithm>
#include <cassert>

#include "path.hpp"

namespace failsim::model {

struct Filesystem::Footprint {
  std::set<Ino> inodes;
  std::set<std::pair<Ino, std::uint64_t>> pages;
};

namespace {
std::uint64_t page_count(const Inode& inode, std::uint32_t block_size) {
  if (inode.type == InodeType::dir) {
    std::uint64_t per = dir_slots_per_page(block_size);
    return (inode.slots.size() + per - 1) / per;
  }
  std::uint64_t p = payload_bytes(block_size);
  return (inode.size + p - 1) / p;
}
}  // namespace

Filesystem::Filesystem(const FsConfig& config) : config_(config), alloc_(config.block_count) {
  assert(config.block_size >= min_block_size && config.inode_limit > root_ino + 1);
  Inode root;
  root.type = InodeType::dir;
  root.mode = default_dir_mode;
  root.parent = root_ino;
  state_.inodes.emplace(root_ino, std::move(root));
  state_.next_fresh_ino = root_ino + 1;
  touch_inode(root_ino, nullptr);
}

Result Filesystem::apply(const Change& c, std::vector<BlockImage>* images) {
  Footprint fp;
  Result r = do_apply(c, fp);
  if (!images || r != Result::ok) return r;
  const std::uint32_t ipp = inodes_per_page(config_.block_size);
  std::set<std::uint64_t> inode_pages;
  for (Ino ino : fp.inodes) inode_pages.insert(ino / ipp);
  // Inode pages first: replay must create an inode before filling its pages.
  for (std::uint64_t p : inode_pages)
    images->push_back({ImageKind::inode_page, 0, p, inode_page_payload(p, false)});
  for (const auto& [ino, page] : fp.pages) {
    auto it = state_.inodes.find(ino);
    if (it == state_.inodes.end() || page >= page_count(it->second, config_.block_size)) continue;
    ImageKind kind = it->second.type == InodeType::dir ? ImageKind::dir_page : ImageKind::file_page;
    images->push_back({kind, ino, page, content_page_payload(it->second, page)});
  }
  return r;
}

std::optional<Ino> Filesystem::lookup(std::string_view path) const {
  auto comps = split_path(path);
  if (!comps) return std::nullopt;
  Ino cur = root_ino;
  for (std::string_view name : *comps) {
    const Inode& dir = state_.inodes.at(cur);
    if (dir.type != InodeType::dir) return std::nullopt;
    auto it = dir.names.find(name);
    if (it == dir.names.end()) return std::nullopt;
    cur = dir.slots[it->second].ino;
  }
  return cur;
}

Result Filesystem::do_apply(const Change& c, Footprint& fp) {
  auto comps = split_path(c.path);
  if (!comps) return Result::einval;
  switch (c.type) {
    case OpType::create:
    case OpType::mkdir: return make_node(c, *comps, fp);
    case OpType::write:
    case OpType::append:
    case OpType::truncate: return change_data(c, *comps, fp);
    case OpType::unlink:
    case OpType::rmdir: return remove_node(c, *comps, fp);
    case OpType::setattr: return set_mode(c, *comps, fp);
    case OpType::rename: return rename_node(c, *comps, fp);
  }
  return Result::einval;
}

// Walks the first `count` components, as path resolution does.
Filesystem::Resolved Filesystem::resolve(const Components& path, std::size_t count) const {
  Ino cur = root_ino;
  for (std::size_t i = 0; i < count; ++i) {
    const Inode& dir = state_.inodes.at(cur);
    if (dir.type != InodeType::dir) return Resolved{Result::enotdir, 0};
    auto it = dir.names.find(path[i]);
    if (it == dir.names.end()) return Resolved{Result::enoent, 0};
    cur = dir.slots[it->second].ino;
  }
  if (count > 0 && state_.inodes.at(cur).type != InodeType::dir && count < path.size())
    return Resolved{Result::enotdir, 0};
  return Resolved{Result::ok, cur};
}

std::optional<Ino> Filesystem::child_of(Ino dir, std::string_view name) const {
  const Inode& d = state_.inodes.at(dir);
  auto it = d.names.find(name);
  if (it == d.names.end()) return std::nullopt;
  return d.slots[it->second].ino;
}

bool Filesystem::ancestor_or_self(Ino ancestor, Ino ino) const {
  for (Ino cur = ino;; cur = state_.inodes.at(cur).parent) {
    if (cur == ancestor) return true;
    if (cur == root_ino) return false;
  }
}

Result Filesystem::make_node(const Change& c, const Components& comps, Footprint& fp) {
  if (comps.empty()) return Result::eexist;
  Resolved parent = resolve(comps, comps.size() - 1);
  if (parent.result != Result::ok) return parent.result;
  std::string name(comps.back());
  if (child_of(parent.ino, name)) return Result::eexist;
  if (!has_space_for(3)) return Result::enospc;
  Ino ino = allocate_ino();
  if (ino == 0) return Result::enospc;
  Inode inode;
  inode.type = c.type == OpType::mkdir ? InodeType::dir : InodeType::file;
  inode.mode = c.mode & 07777;
  inode.parent = parent.ino;
  state_.inodes.emplace(ino, std::move(inode));
  touch_inode(ino, &fp);
  dir_add(parent.ino, name, ino, &fp);
  return Result::ok;
}

Result Filesystem::change_data(const Change& c, const Components& comps, Footprint& fp) {
  Resolved target = resolve(comps, comps.size());
  if (target.result != Result::ok) return target.result;
  Inode& inode = state_.inodes.at(target.ino);
  if (inode.type == InodeType::dir) return Result::eisdir;
  if (c.type == OpType::truncate) {
    if (c.size > config_.max_file_size_bytes) return Result::efbig;
    if (!has_space_for(2)) return Result::enospc;
    file_resize(target.ino, c.size, &fp);
    return Result::ok;
  }
  std::uint64_t offset = c.type == OpType::append ? inode.size : c.offset;
  if (c.data.empty()) return Result::ok;
  if (offset > config_.max_file_size_bytes || c.data.size() > config_.max_file_size_bytes - offset)
    return Result::efbig;
  if (!has_space_for(c.data.size() / payload_bytes(config_.block_size) + 3)) return Result::enospc;
  file_write(target.ino, offset, c.data, &fp);
  return Result::ok;
}

Result Filesystem::remove_node(const Change& c, const Components& comps, Footprint& fp) {
  if (comps.empty()) return c.type == OpType::unlink ? Result::eisdir : Result::ebusy;
  Resolved parent = resolve(comps, comps.size() - 1);
  if (parent.result != Result::ok) return parent.result;
  auto victim = child_of(parent.ino, comps.back());
  if (!victim) return Result::enoent;
  const Inode& v = state_.inodes.at(*victim);
  if (c.type == OpType::unlink && v.type == InodeType::dir) return Result::eisdir;
  if (c.type == OpType::rmdir) {
    if (v.type != InodeType::dir) return Result::enotdir;
    if (!v.names.empty()) return Result::enotempty;
  }
  dir_remove(parent.ino, comps.back(), &fp);
  release_inode(*victim, &fp);
  return Result::ok;
}

Result Filesystem::set_mode(const Change& c, const Components& comps, Footprint& fp) {
  Resolved target = resolve(comps, comps.size());
  if (target.result != Result::ok) return target.result;
  state_.inodes.at(target.ino).mode = c.mode & 07777;
  touch_inode(target.ino, &fp);
  return Result::ok;
}

Result Filesystem::rename_node(const Change& c, const Components& comps, Footprint& fp) {
  auto to = split_path(c.to);
  if (!to) return Result::einval;
  // Linux order: both parents resolve, then EBUSY for the root, then the
  // source must exist, then the ancestry traps, then the type rules.
  Resolved from_parent = resolve(comps, comps.empty() ? 0 : comps.size() - 1);
  if (from_parent.result != Result::ok) return from_parent.result;
  Resolved to_parent = resolve(*to, to->empty() ? 0 : to->size() - 1);
  if (to_parent.result != Result::ok) return to_parent.result;
  if (comps.empty() || to->empty()) return Result::ebusy;
  auto src = child_of(from_parent.ino, comps.back());
  if (!src) return Result::enoent;
  auto dst = child_of(to_parent.ino, to->back());
  if (from_parent.ino != to_parent.ino) {
    if (ancestor_or_self(*src, to_parent.ino)) return Result::einval;
    if (dst && ancestor_or_self(*dst, from_parent.ino)) return Result::enotempty;
  }
  if (dst == src) return Result::ok;
  const bool src_is_dir = state_.inodes.at(*src).type == InodeType::dir;
  if (dst) {
    const Inode& d = state_.inodes.at(*dst);
    if (src_is_dir && d.type != InodeType::dir) return Result::enotdir;
    if (!src_is_dir && d.type == InodeType::dir) return Result::eisdir;
    if (d.type == InodeType::dir && !d.names.empty()) return Result::enotempty;
  }
  if (!has_space_for(4)) return Result::enospc;
  if (dst) {
    dir_remove(to_parent.ino, to->back(), &fp);
    release_inode(*dst, &fp);
  }
  dir_remove(from_parent.ino, comps.back(), &fp);
  dir_add(to_parent.ino, std::string(to->back()), *src, &fp);
  state_.inodes.at(*src).parent = to_parent.ino;
  touch_inode(*src, &fp);
  return Result::ok;
}

Ino Filesystem::allocate_ino() {
  // Always the lowest free number: a function of the set of live inodes, so
  // replay after a reload allocates exactly what the original run did.
  if (!state_.free_inos.empty()) {
    Ino ino = *state_.free_inos.begin();
    state_.free_inos.erase(state_.free_inos.begin());
    return ino;
  }
  if (state_.next_fresh_ino >= config_.inode_limit) return 0;
  return state_.next_fresh_ino++;
}

void Filesystem::release_inode(Ino ino, Footprint* fp) {
  auto it = state_.inodes.find(ino);
  assert(it != state_.inodes.end() && ino != root_ino);
  state_.total_pages -= it->second.pages.size();
  state_.dead_layouts.push_back(std::move(it->second.layout));
  state_.dirty_page_count -= it->second.dirty_pages.size();
  state_.inodes.erase(it);
  state_.dirty_content.erase(ino);
  state_.free_inos.insert(ino);
  touch_inode(ino, fp);
  if (fp) std::erase_if(fp->pages, [ino](const auto& p) { return p.first == ino; });
}

void Filesystem::touch_inode(Ino ino, Footprint* fp) {
  state_.dirty_inode_pages.insert(ino / inodes_per_page(config_.block_size));
  if (fp) fp->inodes.insert(ino);
}

void Filesystem::touch_page(Ino ino, std::uint64_t page, Footprint* fp) {
  if (state_.inodes.at(ino).dirty_pages.insert(page).second) ++state_.dirty_page_count;
  state_.dirty_content.insert(ino);
  if (fp) fp->pages.insert({ino, page});
}

bool Filesystem::has_space_for(std::uint64_t new_pages) const {
  // A conservative bound on the blocks the next CP needs: every dirty page,
  // every pointer block of a dirty object, the inode table and reply cache.
  const std::uint64_t k = pointers_per_block(config_.block_size) - 1;
  const std::uint64_t itable_pages = state_.next_fresh_ino / inodes_per_page(config_.block_size) + 1;
  std::uint64_t needed = state_.dirty_page_count + new_pages + 4 * (state_.dirty_content.size() + 1) +
                         (state_.total_pages + state_.inodes.size()) / k + 2 * itable_pages +
                         2 * (reply_cache_.size() * 13 / payload_bytes(config_.block_size) + 2) + 8;
  return needed <= alloc_.free_count();
}

void Filesystem::dir_add(Ino dir, const std::string& name, Ino child, Footprint* fp) {
  Inode& d = state_.inodes.at(dir);
  std::uint32_t slot;
  if (!d.free_slots.empty()) {
    slot = *d.free_slots.begin();
    d.free_slots.erase(d.free_slots.begin());
  } else {
    slot = static_cast<std::uint32_t>(d.slots.size());
    d.slots.emplace_back();
    d.size = d.slots.size() * dir_slot_bytes;
    touch_inode(dir, fp);
  }
  d.slots[slot] = {name, child};
  d.names.emplace(name, slot);
  touch_page(dir, slot / dir_slots_per_page(config_.block_size), fp);
}

void Filesystem::dir_remove(Ino dir, std::string_view name, Footprint* fp) {
  Inode& d = state_.inodes.at(dir);
  auto it = d.names.find(name);
  assert(it != d.names.end());
  std::uint32_t slot = it->second;
  d.names.erase(it);
  d.slots[slot] = {};
  d.free_slots.insert(slot);
  touch_page(dir, slot / dir_slots_per_page(config_.block_size), fp);
}

void Filesystem::file_write(Ino ino, std::uint64_t offset, std::string_view data, Footprint* fp) {
  Inode& f = state_.inodes.at(ino);
  const std::uint64_t page_bytes = payload_bytes(config_.block_size);
  std::uint64_t pos = offset;
  std::size_t done = 0;
  while (done < data.size()) {
    std::uint64_t page = pos / page_bytes, in_page = pos % page_bytes;
    std::size_t n = std::min<std::uint64_t>(page_bytes - in_page, data.size() - done);
    auto [it, added] = f.pages.try_emplace(page);
    if (added) {
      it->second.assign(page_bytes, 0);
      ++state_.total_pages;
    }
    std::copy_n(data.data() + done, n, it->second.begin() + in_page);
    touch_page(ino, page, fp);
    pos += n;
    done += n;
  }
  if (pos > f.size) {
    f.size = pos;
    touch_inode(ino, fp);
  }
}

void Filesystem::file_resize(Ino ino, std::uint64_t size, Footprint* fp) {
  Inode& f = state_.inodes.at(ino);
  const std::uint64_t page_bytes = payload_bytes(config_.block_size);
  if (size < f.size) {
    // Pages wholly past the end go; the tail of the last page is zeroed so
    // that a later growth reads zeros there.
    std::uint64_t keep = (size + page_bytes - 1) / page_bytes;
    for (auto it = f.pages.lower_bound(keep); it != f.pages.end();) {
      touch_page(ino, it->first, fp);
      it = f.pages.erase(it);
      --state_.total_pages;
    }
    for (std::uint64_t p = keep; p < (f.size + page_bytes - 1) / page_bytes; ++p) touch_page(ino, p, fp);
    if (size % page_bytes != 0) {
      auto it = f.pages.find(size / page_bytes);
      if (it != f.pages.end()) {
        std::fill(it->second.begin() + size % page_bytes, it->second.end(), 0);
        touch_page(ino, it->first, fp);
      }
    }
  }
  f.size = size;
  touch_inode(ino, fp);
  state_.dirty_content.insert(ino);  // the page count changed: its pointer tree must be rebuilt
}

bool Filesystem::dirty() const {
  return !state_.dirty_inode_pages.empty() || !state_.dirty_content.empty() || !state_.dead_layouts.empty() ||
         reply_cache_dirty_;
}

std::optional<PathInfo> Filesystem::stat(std::string_view path) const {
  auto ino = lookup(path);
  if (!ino) return std::nullopt;
  const Inode& inode = state_.inodes.at(*ino);
  // A directory's size is an on-disk detail (its slots): observers see 0.
  PathInfo info{inode.type, inode.mode, inode.type == InodeType::dir ? 0 : inode.size, {}};
  if (inode.type == InodeType::file) {
    info.contents.assign(inode.size, '\0');
    const std::uint64_t page_bytes = payload_bytes(config_.block_size);
    for (const auto& [page, bytes] : inode.pages) {
      std::uint64_t start = page * page_bytes;
      if (start >= inode.size) break;
      std::uint64_t n = std::min<std::uint64_t>(page_bytes, inode.size - start);
      std::copy_n(bytes.begin(), n, info.contents.begin() + start);
    }
  }
  return info;
}

std::map<std::string, PathInfo> Filesystem::tree() const {
  std::map<std::string, PathInfo> out;
  std::vector<std::pair<std::string, Ino>> stack{{"", root_ino}};
  while (!stack.empty()) {
    auto [prefix, dir] = stack.back();
    stack.pop_back();
    for (const auto& [name, slot] : state_.inodes.at(dir).names) {
      std::string path = prefix + "/" + name;
      Ino child = state_.inodes.at(dir).slots[slot].ino;
      out.emplace(path, *stat(path));
      if (state_.inodes.at(child).type == InodeType::dir) stack.emplace_back(path, child);
    }
  }
  return out;
}

}  // namespace failsim::model
