// Encodings of the records inside file-system pages: inode records,
// directory slots and pointer-block entries. Decoders are bounds-checked and
// reject malformed records.
#pragma once

#include <optional>
#include <vector>

#include "bytes.hpp"
#include "fs_state.hpp"

namespace failsim::model {

struct InodeRecord {
  InodeType type = InodeType::free;
  std::uint32_t mode = 0;
  std::uint64_t size = 0;
  Ino parent = 0;
  BlobRoot root;
};

void encode_inode_record(const InodeRecord& rec, std::vector<std::uint8_t>& out);
std::optional<InodeRecord> decode_inode_record(ByteReader& r);

void encode_dir_slot(const DirSlot& slot, std::vector<std::uint8_t>& out);
// A free slot decodes as ino 0 with an empty name.
std::optional<DirSlot> decode_dir_slot(ByteReader& r);

void encode_pointer_payload(const std::vector<BlockRef>& refs, std::vector<std::uint8_t>& out);
std::optional<std::vector<BlockRef>> decode_pointer_payload(std::span<const std::uint8_t> payload,
                                                            std::uint32_t max_refs);

}  // namespace failsim::model
