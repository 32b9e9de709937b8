// A reference model of the file-system semantics: a tree of directories and
// files, with the rules of Linux's system calls written out plainly. It is
// the checker's oracle, independent of the core it judges; the core's
// copy-on-write file system must agree with it on every result and on the
// final tree, and it is itself checked against the running kernel
// (tests/model/reference_test.cpp).
//
// The serialization search applies and takes back millions of changes, so
// every change costs in proportion to the change and the depth of its path,
// never to the size of the tree: a rename moves one node, whatever is under
// it; the state hash is kept per subtree and updated up the path; the undo
// log keeps what a change modified (an append the old size, a write the
// bytes it covered, a removal the node it removed).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/change.hpp"
#include "model/filesystem.hpp"
#include "model/result.hpp"

namespace failsim::checker {

// A change to apply, its strings borrowed (from a model::Change, or from a
// compact history record).
struct ChangeRef {
  model::OpType type = model::OpType::create;
  std::string_view path, to, data;  // rename: path is the source
  std::uint64_t offset = 0, size = 0;
  std::uint32_t mode = 0;
  static ChangeRef of(const model::Change& c) { return {c.type, c.path, c.to, c.data, c.offset, c.size, c.mode}; }
};

class ReferenceFs {
  struct Node {
    std::string name;  // "" for the root
    bool dir = false;
    std::uint32_t mode = 0;
    std::string contents;                                        // files
    std::map<std::string_view, std::unique_ptr<Node>> children;  // directories; keys view the children's names
    Node* parent = nullptr;
    std::uint64_t own_hash = 0;   // of dir, mode and contents
    std::uint64_t kids_hash = 0;  // XOR over the children of link_hash(name, hash)
    std::uint64_t hash = 0;       // of the whole subtree
    Node() = default;
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;
    // Frees the subtree without recursion: a history can nest directories
    // hundreds of thousands of levels deep (by renames), and a destructor
    // per level would overflow the stack.
    ~Node();
  };

 public:
  // What applied changes modified, newest last: undo_to(log, m) takes back
  // every change logged after log.mark() returned m. 48 bytes a record,
  // its bytes (saved contents, an old name) in one string beside: a search
  // through a long history holds one record per step.
  class UndoLog {
   public:
    UndoLog() = default;
    ~UndoLog() { clear(); }
    UndoLog(const UndoLog&) = delete;
    UndoLog& operator=(const UndoLog&) = delete;
    std::size_t mark() const { return records_.size(); }
    bool empty() const { return records_.empty(); }
    void clear();  // forgets the records: nothing logged so far can be taken back

   private:
    friend class ReferenceFs;
    struct Record {
      enum class Kind : std::uint8_t {
        created,  // `node` was created
        removed,  // `node` (owned by the record until put back) was removed from `parent`
        tail,     // `node`'s contents had old_size bytes, and the record's bytes from offset `from` on
        mode,     // `node` had this mode
        moved,    // `node` was named the record's bytes under `parent`
      };
      Node* node = nullptr;
      Node* parent = nullptr;
      std::uint64_t old_size = 0, from = 0;
      std::uint32_t bytes = 0;  // how many of bytes_ are the record's: the last ones while it is the newest
      std::uint32_t mode = 0;
      Kind kind = Kind::created;
    };
    void push(const Record& r, std::string_view bytes = {}) {
      records_.push_back(r);
      records_.back().bytes = static_cast<std::uint32_t>(bytes.size());
      bytes_.append(bytes);
    }
    std::vector<Record> records_;
    std::string bytes_;
  };

  explicit ReferenceFs(std::uint64_t max_file_size_bytes = 1u << 30);
  ~ReferenceFs();
  ReferenceFs(ReferenceFs&&) noexcept;
  ReferenceFs& operator=(ReferenceFs&&) noexcept;

  model::Result apply(const model::Change& c) { return apply(ChangeRef::of(c)); }
  // With a log, records what the change modifies there (nothing for a
  // change that fails: it modifies nothing).
  model::Result apply(const ChangeRef& c, UndoLog* log = nullptr);
  void undo_to(UndoLog& log, std::size_t mark);
  // Every path but "/", as Filesystem::tree() gives it.
  std::map<std::string, model::PathInfo> tree() const;
  // A hash of the whole state, kept up to date by apply and undo.
  std::uint64_t state_hash() const { return root_->hash; }

 private:
  // The directory holding the last component of `comps`, or the error of
  // resolving the components before it (ENOENT, ENOTDIR).
  model::Result parent_of(const std::vector<std::string_view>& comps, Node*& parent) const;
  static Node* child(Node* dir, std::string_view name);  // null when absent
  // The node a path names ("/" included), or the error of resolving it.
  model::Result existing(const std::vector<std::string_view>& comps, Node*& node) const;
  // One per kind of operation, after the path split into `comps`.
  using Components = std::vector<std::string_view>;
  model::Result make_node(const ChangeRef& c, const Components& comps, UndoLog* log);    // create, mkdir
  model::Result change_data(const ChangeRef& c, const Components& comps, UndoLog* log);  // write, append, truncate
  model::Result remove_node(const ChangeRef& c, const Components& comps, UndoLog* log);  // unlink, rmdir
  model::Result set_mode(const ChangeRef& c, const Components& comps, UndoLog* log);     // setattr
  model::Result rename_node(const ChangeRef& c, const Components& comps, UndoLog* log);
  void attach(Node* parent, std::unique_ptr<Node> child);
  std::unique_ptr<Node> detach(Node* child);
  void changed(Node* n);  // n's own data changed: rehash it and up to the root
  void rehash_up(Node* n);
  void undo_record(const UndoLog::Record& r, std::string_view bytes);
  static std::uint64_t own_hash(const Node& n);

  std::unique_ptr<Node> root_;
  std::uint64_t max_size_;
};

}  // namespace failsim::checker
