// The reference model's rules, one system call at a time.
#include "reference_fs.hpp"

#include "model/path.hpp"

namespace failsim::checker {

using model::OpType;
using model::Result;

namespace {
std::string parent_of(const std::string& p) {
  auto i = p.rfind('/');
  return i == 0 ? "/" : p.substr(0, i);
}
bool under(const std::string& p, const std::string& dir) { return p.size() > dir.size() && p.starts_with(dir + "/"); }
}  // namespace

bool ReferenceFs::empty_dir(const std::string& p) const {
  auto it = entries_.upper_bound(p);
  return it == entries_.end() || !under(it->first, p);
}

Result ReferenceFs::parent_ok(const std::string& path) const {
  // Walk the prefixes: a missing one is ENOENT, a file is ENOTDIR.
  for (std::size_t i = path.find('/', 1); i != std::string::npos; i = path.find('/', i + 1)) {
    const std::string prefix = path.substr(0, i);
    if (!exists(prefix)) return Result::enoent;
    if (!is_dir(prefix)) return Result::enotdir;
  }
  return Result::ok;
}

Result ReferenceFs::apply(const model::Change& c) {
  Undo scratch;
  return apply(c, scratch);
}

void ReferenceFs::save(Undo& u, const std::string& path) const {
  for (const auto& [saved, old] : u.saved_)
    if (saved == path) return;  // each path once, or the hash bookkeeping would cancel out
  auto it = entries_.find(path);
  u.saved_.emplace_back(path, it == entries_.end() ? std::nullopt : std::optional<Entry>(it->second));
}

std::uint64_t ReferenceFs::entry_hash(const std::string& path) const {
  auto it = entries_.find(path);
  if (it == entries_.end()) return 0;
  std::uint64_t h = std::hash<std::string>{}(path) * 0x9E3779B97F4A7C15ull;
  h ^= std::hash<std::string>{}(it->second.contents) + (std::uint64_t{it->second.mode} << 1) + it->second.dir;
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 31);
}

Result ReferenceFs::apply(const model::Change& c, Undo& u) {
  // Save every entry the change may modify: its path, and for a rename the
  // moved subtree's old and new paths and the target.
  u.saved_.clear();
  u.root_mode_ = root_mode_;
  save(u, c.path);
  if (c.type == OpType::rename && model::split_path(c.to)) {
    save(u, c.to);
    for (auto it = entries_.upper_bound(c.path); it != entries_.end() && under(it->first, c.path); ++it) {
      save(u, it->first);
      save(u, c.to + it->first.substr(c.path.size()));
    }
  }
  for (const auto& [path, old] : u.saved_) hash_ ^= entry_hash(path);
  hash_ ^= root_hash();
  const Result r = apply_rules(c);
  for (const auto& [path, old] : u.saved_) hash_ ^= entry_hash(path);
  hash_ ^= root_hash();
  return r;
}

void ReferenceFs::undo(const Undo& u) {
  for (const auto& [path, old] : u.saved_) hash_ ^= entry_hash(path);
  hash_ ^= root_hash();
  // In reverse, so a path saved twice ends with its first (oldest) value.
  for (auto it = u.saved_.rbegin(); it != u.saved_.rend(); ++it) {
    if (it->second) entries_[it->first] = *it->second;
    else entries_.erase(it->first);
  }
  root_mode_ = u.root_mode_;
  for (const auto& [path, old] : u.saved_) hash_ ^= entry_hash(path);
  hash_ ^= root_hash();
}

Result ReferenceFs::apply_rules(const model::Change& c) {
  if (!model::split_path(c.path)) return Result::einval;
  const std::string& p = c.path;
  const bool root = p == "/";
  switch (c.type) {
    case OpType::create:
    case OpType::mkdir: {
      if (root) return Result::eexist;
      if (Result r = parent_ok(p); r != Result::ok) return r;
      if (exists(p)) return Result::eexist;
      entries_[p] = Entry{c.type == OpType::mkdir, c.mode & 07777, {}};
      return Result::ok;
    }
    case OpType::write:
    case OpType::append:
    case OpType::truncate: {
      if (!root)
        if (Result r = parent_ok(p); r != Result::ok) return r;
      if (!exists(p)) return Result::enoent;
      if (is_dir(p)) return Result::eisdir;
      std::string& data = entries_[p].contents;
      if (c.type == OpType::truncate) {
        if (c.size > max_size_) return Result::efbig;
        data.resize(c.size, '\0');
        return Result::ok;
      }
      std::uint64_t off = c.type == OpType::append ? data.size() : c.offset;
      if (c.data.empty()) return Result::ok;
      if (off > max_size_ || c.data.size() > max_size_ - off) return Result::efbig;
      if (data.size() < off + c.data.size()) data.resize(off + c.data.size(), '\0');
      data.replace(off, c.data.size(), c.data);
      return Result::ok;
    }
    case OpType::unlink:
    case OpType::rmdir: {
      if (root) return c.type == OpType::unlink ? Result::eisdir : Result::ebusy;
      if (Result r = parent_ok(p); r != Result::ok) return r;
      if (!exists(p)) return Result::enoent;
      if (c.type == OpType::unlink && is_dir(p)) return Result::eisdir;
      if (c.type == OpType::rmdir && !is_dir(p)) return Result::enotdir;
      if (c.type == OpType::rmdir && !empty_dir(p)) return Result::enotempty;
      entries_.erase(p);
      return Result::ok;
    }
    case OpType::setattr: {
      if (!root)
        if (Result r = parent_ok(p); r != Result::ok) return r;
      if (!exists(p)) return Result::enoent;
      if (root) root_mode_ = c.mode & 07777;
      else entries_[p].mode = c.mode & 07777;
      return Result::ok;
    }
    case OpType::rename: {
      if (!model::split_path(c.to)) return Result::einval;
      const std::string& to = c.to;
      // Linux: both parents resolve first, then EBUSY for the root, then the
      // source must exist, then the ancestry rules, then the type rules.
      if (!root)
        if (Result r = parent_ok(p); r != Result::ok) return r;
      if (to != "/")
        if (Result r = parent_ok(to); r != Result::ok) return r;
      if (root || to == "/") return Result::ebusy;
      if (!exists(p)) return Result::enoent;
      const std::string from_parent = parent_of(p), to_parent = parent_of(to);
      if (from_parent != to_parent) {
        if (to_parent == p || under(to_parent, p)) return Result::einval;
        if (exists(to) && (from_parent == to || under(from_parent, to))) return Result::enotempty;
      }
      if (p == to) return Result::ok;
      if (exists(to)) {
        if (is_dir(p) && !is_dir(to)) return Result::enotdir;
        if (!is_dir(p) && is_dir(to)) return Result::eisdir;
        if (is_dir(to) && !empty_dir(to)) return Result::enotempty;
        entries_.erase(to);
      }
      // Move the entry and, for a directory, everything under it.
      std::map<std::string, Entry> moved;
      for (auto it = entries_.lower_bound(p); it != entries_.end() && (it->first == p || under(it->first, p));) {
        moved[to + it->first.substr(p.size())] = std::move(it->second);
        it = entries_.erase(it);
      }
      entries_.merge(moved);
      return Result::ok;
    }
  }
  return Result::einval;
}

std::map<std::string, model::PathInfo> ReferenceFs::tree() const {
  std::map<std::string, model::PathInfo> out;
  for (const auto& [path, e] : entries_)
    out[path] = {e.dir ? model::InodeType::dir : model::InodeType::file, e.mode, e.dir ? 0 : e.contents.size(),
                 e.dir ? "" : e.contents};
  return out;
}

}  // namespace failsim::checker
