// A reference model of the file-system semantics: a std::map from absolute
// path to entry, with the rules of Linux's system calls written out plainly.
// It is the checker's oracle, independent of the core it judges; the core's
// copy-on-write file system must agree with it on every result and on the
// final tree, and it is itself checked against the running kernel
// (tests/model/reference_test.cpp).
#pragma once

#include <map>
#include <string>

#include "model/change.hpp"
#include "model/filesystem.hpp"
#include "model/result.hpp"

namespace failsim::checker {

class ReferenceFs {
 public:
  explicit ReferenceFs(std::uint64_t max_file_size_bytes = 1u << 30) : max_size_(max_file_size_bytes) {}
  model::Result apply(const model::Change& c);
  // Every path but "/", as Filesystem::tree() gives it.
  std::map<std::string, model::PathInfo> tree() const;

 private:
  struct Entry {
    bool dir = false;
    std::uint32_t mode = 0;
    std::string contents;
  };
  // The error of resolving every component of `path` before the last one,
  // or OK (the parent exists and is a directory).
  model::Result parent_ok(const std::string& path) const;
  bool exists(const std::string& p) const { return p == "/" || entries_.contains(p); }
  bool is_dir(const std::string& p) const { return p == "/" || (entries_.contains(p) && entries_.at(p).dir); }
  bool empty_dir(const std::string& p) const;

  std::map<std::string, Entry> entries_;
  std::uint32_t root_mode_ = model::default_dir_mode;
  std::uint64_t max_size_;
};

}  // namespace failsim::checker
