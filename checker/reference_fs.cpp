// The reference model's rules, one system call at a time, on a tree of
// nodes; the subtree hashes and the undo log.
#include "reference_fs.hpp"

#include <functional>

#include "model/path.hpp"

namespace failsim::checker {

using model::OpType;
using model::Result;

namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64's finaliser
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
// A child as its parent's hash sees it: its name and its subtree.
std::uint64_t link_hash(std::string_view name, std::uint64_t subtree) {
  return mix(std::hash<std::string_view>{}(name) * 0x9E3779B97F4A7C15ull + mix(subtree));
}
std::uint64_t subtree_hash(std::uint64_t own, std::uint64_t kids) { return mix(own ^ (kids * 0xD6E8FEB86659FD93ull)); }

std::string_view parent_path(std::string_view p) {
  auto i = p.rfind('/');
  return i == 0 ? std::string_view("/") : p.substr(0, i);
}
bool under(std::string_view p, std::string_view dir) {
  return p.size() > dir.size() && p[dir.size()] == '/' && p.starts_with(dir);
}

}  // namespace

void ReferenceFs::UndoLog::clear() {
  for (const Record& r : records_)
    if (r.kind == Record::Kind::removed) delete r.node;  // never put back
  records_.clear();
  bytes_.clear();
}

ReferenceFs::Node::~Node() {
  // Each node taken from the tree is destroyed only once it has no children
  // left, so no destructor below this one runs another.
  std::vector<std::unique_ptr<Node>> todo;
  for (auto& [name, child] : children) todo.push_back(std::move(child));
  children.clear();
  while (!todo.empty()) {
    std::unique_ptr<Node> n = std::move(todo.back());
    todo.pop_back();
    for (auto& [name, child] : n->children) todo.push_back(std::move(child));
    n->children.clear();  // the keys view names of nodes still alive in `todo`
  }
}

ReferenceFs::ReferenceFs(std::uint64_t max_file_size_bytes)
    : root_(std::make_unique<Node>()), max_size_(max_file_size_bytes) {
  root_->dir = true;
  root_->mode = model::default_dir_mode;
  root_->own_hash = own_hash(*root_);
  root_->hash = subtree_hash(root_->own_hash, 0);
}
ReferenceFs::~ReferenceFs() = default;
ReferenceFs::ReferenceFs(ReferenceFs&&) noexcept = default;
ReferenceFs& ReferenceFs::operator=(ReferenceFs&&) noexcept = default;

std::uint64_t ReferenceFs::own_hash(const Node& n) {
  std::uint64_t h = std::hash<std::string_view>{}(n.contents) + (std::uint64_t{n.mode} << 1) + n.dir;
  return mix(h);
}

void ReferenceFs::rehash_up(Node* n) {
  for (; n; n = n->parent) {
    const std::uint64_t old = n->hash;
    n->hash = subtree_hash(n->own_hash, n->kids_hash);
    if (n->hash == old) return;  // nothing above changes
    if (n->parent) n->parent->kids_hash ^= link_hash(n->name, old) ^ link_hash(n->name, n->hash);
  }
}

void ReferenceFs::changed(Node* n) {
  n->own_hash = own_hash(*n);
  rehash_up(n);
}

void ReferenceFs::attach(Node* parent, std::unique_ptr<Node> child) {
  child->parent = parent;
  parent->kids_hash ^= link_hash(child->name, child->hash);
  const std::string_view key = child->name;
  parent->children.emplace(key, std::move(child));
  rehash_up(parent);
}

std::unique_ptr<ReferenceFs::Node> ReferenceFs::detach(Node* child) {
  Node* parent = child->parent;
  auto it = parent->children.find(child->name);
  std::unique_ptr<Node> owned = std::move(it->second);
  parent->children.erase(it);
  parent->kids_hash ^= link_hash(child->name, child->hash);
  child->parent = nullptr;
  rehash_up(parent);
  return owned;
}

Result ReferenceFs::parent_of(const std::vector<std::string_view>& comps, Node*& parent) const {
  // Walk the components before the last: a missing one is ENOENT, a file ENOTDIR.
  Node* n = root_.get();
  for (std::size_t i = 0; i + 1 < comps.size(); ++i) {
    auto it = n->children.find(comps[i]);
    if (it == n->children.end()) return Result::enoent;
    if (!it->second->dir) return Result::enotdir;
    n = it->second.get();
  }
  parent = n;
  return Result::ok;
}

ReferenceFs::Node* ReferenceFs::child(Node* dir, std::string_view name) {
  auto it = dir->children.find(name);
  return it == dir->children.end() ? nullptr : it->second.get();
}

Result ReferenceFs::existing(const std::vector<std::string_view>& comps, Node*& node) const {
  if (comps.empty()) {
    node = root_.get();
    return Result::ok;
  }
  Node* parent = nullptr;
  if (Result r = parent_of(comps, parent); r != Result::ok) return r;
  node = child(parent, comps.back());
  return node ? Result::ok : Result::enoent;
}

Result ReferenceFs::apply(const ChangeRef& c, UndoLog* log) {
  const auto comps = model::split_path(c.path);
  if (!comps) return Result::einval;
  switch (c.type) {
    case OpType::create:
    case OpType::mkdir: return make_node(c, *comps, log);
    case OpType::write:
    case OpType::append:
    case OpType::truncate: return change_data(c, *comps, log);
    case OpType::unlink:
    case OpType::rmdir: return remove_node(c, *comps, log);
    case OpType::setattr: return set_mode(c, *comps, log);
    case OpType::rename: return rename_node(c, *comps, log);
  }
  return Result::einval;
}

Result ReferenceFs::make_node(const ChangeRef& c, const Components& comps, UndoLog* log) {
  if (comps.empty()) return Result::eexist;
  Node* parent = nullptr;
  if (Result r = parent_of(comps, parent); r != Result::ok) return r;
  if (parent->children.contains(comps.back())) return Result::eexist;
  auto node = std::make_unique<Node>();
  node->name = comps.back();
  node->dir = c.type == OpType::mkdir;
  node->mode = c.mode & 07777;
  node->own_hash = own_hash(*node);
  node->hash = subtree_hash(node->own_hash, 0);
  Node* created = node.get();
  attach(parent, std::move(node));
  if (log) log->push({created, nullptr, 0, 0, 0, 0, UndoLog::Record::Kind::created});
  return Result::ok;
}

Result ReferenceFs::change_data(const ChangeRef& c, const Components& comps, UndoLog* log) {
  Node* n = nullptr;
  if (Result r = existing(comps, n); r != Result::ok) return r;
  if (n->dir) return Result::eisdir;
  std::string& data = n->contents;
  const std::uint64_t old_size = data.size();
  // The bytes [from, to) the change overwrites or cuts off, which the log keeps.
  auto modify = [&](std::uint64_t from, std::uint64_t to, auto&& change) {
    if (log) {
      from = std::min(from, old_size);
      to = std::max(from, std::min(to, old_size));
      log->push({n, nullptr, old_size, from, 0, 0, UndoLog::Record::Kind::tail},
                std::string_view(data).substr(from, to - from));
    }
    change();
    changed(n);
  };
  if (c.type == OpType::truncate) {
    if (c.size > max_size_) return Result::efbig;
    modify(c.size, old_size, [&] { data.resize(c.size, '\0'); });
    return Result::ok;
  }
  const std::uint64_t off = c.type == OpType::append ? old_size : c.offset;
  if (c.data.empty()) return Result::ok;
  if (off > max_size_ || c.data.size() > max_size_ - off) return Result::efbig;
  modify(off, off + c.data.size(), [&] {
    if (data.size() < off + c.data.size()) data.resize(off + c.data.size(), '\0');
    data.replace(off, c.data.size(), c.data);
  });
  return Result::ok;
}

Result ReferenceFs::remove_node(const ChangeRef& c, const Components& comps, UndoLog* log) {
  if (comps.empty()) return c.type == OpType::unlink ? Result::eisdir : Result::ebusy;
  Node* parent = nullptr;
  if (Result r = parent_of(comps, parent); r != Result::ok) return r;
  Node* n = child(parent, comps.back());
  if (!n) return Result::enoent;
  if (c.type == OpType::unlink && n->dir) return Result::eisdir;
  if (c.type == OpType::rmdir && !n->dir) return Result::enotdir;
  if (c.type == OpType::rmdir && !n->children.empty()) return Result::enotempty;
  auto owned = detach(n);
  if (log) log->push({owned.release(), parent, 0, 0, 0, 0, UndoLog::Record::Kind::removed});
  return Result::ok;
}

Result ReferenceFs::set_mode(const ChangeRef& c, const Components& comps, UndoLog* log) {
  Node* n = nullptr;
  if (Result r = existing(comps, n); r != Result::ok) return r;
  if (log) log->push({n, nullptr, 0, 0, 0, n->mode, UndoLog::Record::Kind::mode});
  n->mode = c.mode & 07777;
  changed(n);
  return Result::ok;
}

Result ReferenceFs::rename_node(const ChangeRef& c, const Components& comps, UndoLog* log) {
  using Record = UndoLog::Record;
  const auto to_comps = model::split_path(c.to);
  if (!to_comps) return Result::einval;
  const std::string_view p = c.path, to = c.to;
  Node* parent = nullptr;
  Node* to_parent_node = nullptr;
  // Linux: both parents resolve first, then EBUSY for the root, then the
  // source must exist, then the ancestry rules, then the type rules.
  if (!comps.empty())
    if (Result r = parent_of(comps, parent); r != Result::ok) return r;
  if (!to_comps->empty())
    if (Result r = parent_of(*to_comps, to_parent_node); r != Result::ok) return r;
  if (comps.empty() || to_comps->empty()) return Result::ebusy;
  Node* src = child(parent, comps.back());
  if (!src) return Result::enoent;
  Node* dst = child(to_parent_node, to_comps->back());
  const std::string_view from_parent = parent_path(p), to_parent = parent_path(to);
  if (from_parent != to_parent) {
    if (to_parent == p || under(to_parent, p)) return Result::einval;
    if (dst && (from_parent == to || under(from_parent, to))) return Result::enotempty;
  }
  if (p == to) return Result::ok;
  if (dst) {
    if (src->dir && !dst->dir) return Result::enotdir;
    if (!src->dir && dst->dir) return Result::eisdir;
    if (dst->dir && !dst->children.empty()) return Result::enotempty;
    auto owned = detach(dst);
    if (log) log->push({owned.release(), to_parent_node, 0, 0, 0, 0, Record::Kind::removed});
  }
  // Move the node, and with it everything under it.
  auto moving = detach(src);
  if (log) log->push({src, parent, 0, 0, 0, 0, Record::Kind::moved}, moving->name);
  moving->name = to_comps->back();
  attach(to_parent_node, std::move(moving));
  return Result::ok;
}

void ReferenceFs::undo_record(const UndoLog::Record& r, std::string_view bytes) {
  using Record = UndoLog::Record;
  switch (r.kind) {
    case Record::Kind::created:
      detach(r.node);
      return;
    case Record::Kind::removed:
      attach(r.parent, std::unique_ptr<Node>(r.node));
      return;
    case Record::Kind::tail: {
      std::string& data = r.node->contents;
      data.resize(r.old_size, '\0');
      data.replace(r.from, bytes.size(), bytes);
      changed(r.node);
      return;
    }
    case Record::Kind::mode:
      r.node->mode = r.mode;
      changed(r.node);
      return;
    case Record::Kind::moved: {
      auto node = detach(r.node);
      node->name = bytes;
      attach(r.parent, std::move(node));
      return;
    }
  }
}

void ReferenceFs::undo_to(UndoLog& log, std::size_t mark) {
  // Newest first: each record restores the state its change found.
  while (log.records_.size() > mark) {
    const UndoLog::Record r = log.records_.back();
    log.records_.pop_back();  // a removed node is the tree's again, not the log's
    const std::size_t at = log.bytes_.size() - r.bytes;
    undo_record(r, std::string_view(log.bytes_).substr(at));
    log.bytes_.resize(at);
  }
}

std::map<std::string, model::PathInfo> ReferenceFs::tree() const {
  std::map<std::string, model::PathInfo> out;
  // Depth first, without recursion: a tree built by renames can be deep.
  std::vector<std::pair<const Node*, std::string>> todo = {{root_.get(), ""}};
  while (!todo.empty()) {
    auto [n, path] = std::move(todo.back());
    todo.pop_back();
    for (const auto& [name, child] : n->children) {
      std::string p = path + "/" + child->name;
      out[p] = {child->dir ? model::InodeType::dir : model::InodeType::file, child->mode,
                child->dir ? 0 : child->contents.size(), child->dir ? "" : child->contents};
      if (child->dir) todo.emplace_back(child.get(), std::move(p));
    }
  }
  return out;
}

}  // namespace failsim::checker
