// The on-disk format of an aggregate. Every block carries a 32-byte header
// (magic, type, owner, index, CRC32C) so that a block can be checked alone,
// and every pointer to a block carries the CRC the block must have, so that a
// stale or lost write is caught too. Blocks 0 and 1 are the two superblock
// copies; everything else is reached from them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "block_device.hpp"

namespace failsim::model {

inline constexpr std::uint32_t block_header_bytes = 32;
inline constexpr std::uint32_t default_block_size = 4096;
inline constexpr std::uint32_t min_block_size = 512;
inline constexpr BlockNo superblock_copies = 2;  // blocks 0 and 1

enum class BlockType : std::uint8_t {
  superblock = 1,
  pointer = 2,  // a node of a blob's pointer tree
  file_data = 3,
  dir_data = 4,
  inode_table = 5,
  reply_cache = 6,
};

// A pointer to a block: where it is and the CRC it must carry. bno 0 is a hole.
struct BlockRef {
  BlockNo bno = 0;
  std::uint32_t crc = 0;
  friend bool operator==(const BlockRef&, const BlockRef&) = default;
};
inline constexpr std::uint32_t block_ref_bytes = 12;

// Where a paged blob (a file, a directory, the inode table, the reply cache)
// lives: the root of its pointer tree and the tree's height (0: the root is
// the only content page).
struct BlobRoot {
  BlockRef root;
  std::uint8_t height = 0;
  friend bool operator==(const BlobRoot&, const BlobRoot&) = default;
};

struct BlockHeader {
  BlockType type = BlockType::file_data;
  std::uint8_t level = 0;    // pointer blocks: distance from the content pages
  std::uint64_t owner = 0;   // inode number (0: inode table / superblock, ~0: reply cache)
  std::uint64_t index = 0;   // page index (content) or first page covered (pointer)
  std::uint32_t generation = 0;  // CP generation that wrote the block
};

inline constexpr std::uint64_t reply_cache_owner = ~std::uint64_t{0};

// Payload bytes per block.
constexpr std::uint32_t payload_bytes(std::uint32_t block_size) { return block_size - block_header_bytes; }
// Pointers per pointer block (a u32 count, then BlockRefs).
constexpr std::uint32_t pointers_per_block(std::uint32_t block_size) {
  return (payload_bytes(block_size) - 4) / block_ref_bytes;
}

// Builds a whole block: header, payload (zero-padded), CRC. Returns its CRC in `crc_out`.
std::vector<std::uint8_t> seal_block(const BlockHeader& h, std::span<const std::uint8_t> payload,
                                     std::uint32_t block_size, std::uint32_t* crc_out);
// Checks magic and CRC; on success returns the header.
std::optional<BlockHeader> open_block(std::span<const std::uint8_t> block, std::uint32_t* crc_out = nullptr);
inline std::span<const std::uint8_t> block_payload(std::span<const std::uint8_t> block) {
  return block.subspan(block_header_bytes);
}

struct Superblock {
  std::uint32_t block_size = default_block_size;
  std::uint64_t block_count = 0;
  std::uint64_t generation = 0;       // CP number; the newest valid copy wins
  std::uint64_t max_lsn = 0;          // highest log sequence number the image contains
  std::uint64_t used_blocks = 0;      // blocks reachable from this superblock, both copies included
  std::uint64_t inode_limit = 0;      // highest inode number + 1 the table may hold
  BlobRoot inode_table;
  std::uint64_t inode_table_pages = 0;
  BlobRoot reply_cache;
  std::uint64_t reply_cache_bytes = 0;
};

std::vector<std::uint8_t> encode_superblock(const Superblock& sb, std::uint32_t block_size);
std::optional<Superblock> decode_superblock(std::span<const std::uint8_t> block);

// Inode records in the inode table: fixed size, inode i at byte i * inode_record_bytes.
inline constexpr std::uint32_t inode_record_bytes = 64;
// Directory slots: fixed size, so that one entry's change touches one page.
inline constexpr std::uint32_t max_name_bytes = 255;
inline constexpr std::uint32_t dir_slot_bytes = 8 + 1 + max_name_bytes;

constexpr std::uint32_t inodes_per_page(std::uint32_t block_size) {
  return payload_bytes(block_size) / inode_record_bytes;
}
constexpr std::uint32_t dir_slots_per_page(std::uint32_t block_size) {
  return payload_bytes(block_size) / dir_slot_bytes;
}

}  // namespace failsim::model
