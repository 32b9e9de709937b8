// Results of file-system changes: POSIX errno names with Linux semantics.
// Enumerators are lower-case because <cerrno> defines the upper-case names
// as macros; to_string() gives the POSIX spelling ("OK", "ENOENT", ...).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace failsim::model {

enum class Result : std::uint8_t {
  ok,
  enoent,     // a path component does not exist
  eexist,     // the target already exists
  enotdir,    // a path component, or an rmdir/rename target, is not a directory
  eisdir,     // file operation on a directory
  enotempty,  // rmdir or rename over a non-empty directory
  einval,     // malformed path, rename of a directory into itself
  ebusy,      // operation on the root directory
  efbig,      // offset or size past the largest file size
  enospc,     // the aggregate has no free block or inode left
};

std::string_view to_string(Result r);
std::optional<Result> result_from_string(std::string_view s);

}  // namespace failsim::model
