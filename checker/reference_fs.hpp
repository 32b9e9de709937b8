// A reference model of the file-system semantics: a std::map from absolute
// path to entry, with the rules of Linux's system calls written out plainly.
// It is the checker's oracle, independent of the core it judges; the core's
// copy-on-write file system must agree with it on every result and on the
// final tree, and it is itself checked against the running kernel
// (tests/model/reference_test.cpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/change.hpp"
#include "model/filesystem.hpp"
#include "model/result.hpp"

namespace failsim::checker {

class ReferenceFs {
  struct Entry {
    bool dir = false;
    std::uint32_t mode = 0;
    std::string contents;
  };

 public:
  // What one change may have modified, so that a search can take it back.
  class Undo {
    friend class ReferenceFs;
    std::vector<std::pair<std::string, std::optional<Entry>>> saved_;
    std::uint32_t root_mode_ = 0;
  };

  explicit ReferenceFs(std::uint64_t max_file_size_bytes = 1u << 30) : max_size_(max_file_size_bytes) {}
  model::Result apply(const model::Change& c);
  model::Result apply(const model::Change& c, Undo& undo);
  void undo(const Undo& u);
  // Every path but "/", as Filesystem::tree() gives it.
  std::map<std::string, model::PathInfo> tree() const;
  // A hash of the whole state, kept up to date by apply and undo.
  std::uint64_t state_hash() const { return hash_; }

 private:
  model::Result apply_rules(const model::Change& c);
  void save(Undo& u, const std::string& path) const;
  std::uint64_t entry_hash(const std::string& path) const;
  std::uint64_t root_hash() const { return (root_mode_ + 1ull) * 0xD6E8FEB86659FD93ull; }
  // The error of resolving every component of `path` before the last one,
  // or OK (the parent exists and is a directory).
  model::Result parent_ok(const std::string& path) const;
  bool exists(const std::string& p) const { return p == "/" || entries_.contains(p); }
  bool is_dir(const std::string& p) const { return p == "/" || (entries_.contains(p) && entries_.at(p).dir); }
  bool empty_dir(const std::string& p) const;

  std::map<std::string, Entry> entries_;
  std::uint32_t root_mode_ = model::default_dir_mode;
  std::uint64_t max_size_;
  std::uint64_t hash_ = root_hash();  // XOR of entry_hash over every entry, and root_hash
};

}  // namespace failsim::checker
