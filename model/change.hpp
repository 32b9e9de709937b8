// Change descriptors: one file-system change request as a client sends it
// and as request logging stores it in NVRAM (claims 77, 86, 91).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace failsim::model {

enum class OpType : std::uint8_t {
  create,    // exclusive create of a regular file (O_CREAT|O_EXCL)
  mkdir,
  write,     // write data at offset; a write past the end leaves a hole of zeros
  append,    // write data at the end of the file
  truncate,  // set the size; growing fills with zeros
  rename,    // rename(2) semantics, replacing an existing target
  unlink,
  rmdir,
  setattr,   // chmod: set the permission bits
};
inline constexpr int op_type_count = 9;

std::string_view to_string(OpType t);
std::optional<OpType> op_type_from_string(std::string_view s);

using ClientId = std::uint32_t;
using Xid = std::uint64_t;

struct Change {
  OpType type = OpType::create;
  ClientId client = 0;
  Xid xid = 0;
  std::string path;         // every op; rename: the source
  std::string to;           // rename: the target
  std::uint64_t offset = 0; // write
  std::uint64_t size = 0;   // truncate
  std::uint32_t mode = 0;   // create, mkdir, setattr (permission bits, 07777)
  std::string data;         // write, append
  // The lowest xid this client still waits for (0: this xid). A client with
  // several changes outstanding (open loop) says so, and the reply cache
  // forgets only the replies below it.
  Xid low_xid = 0;

  friend bool operator==(const Change&, const Change&) = default;
};

// Default permission bits for a new file and a new directory.
inline constexpr std::uint32_t default_file_mode = 0644;
inline constexpr std::uint32_t default_dir_mode = 0755;

// Compact binary encoding used by request logging and by the reply path.
std::vector<std::uint8_t> encode(const Change& c);
// Returns nothing when the bytes are not a complete, well-formed descriptor.
std::optional<Change> decode_change(std::span<const std::uint8_t> bytes);

}  // namespace failsim::model
