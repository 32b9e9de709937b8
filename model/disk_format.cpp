// Encoding and checking of blocks and superblocks.
#include "disk_format.hpp"

#include <cassert>

#include "bytes.hpp"
#include "crc32c.hpp"

namespace failsim::model {

namespace {
constexpr std::uint32_t block_magic = 0x4B425346;       // "FSBK"
constexpr std::uint32_t superblock_magic = 0x42535346;  // "FSSB"
constexpr std::uint32_t format_version = 1;
constexpr std::size_t crc_offset = 24;
}  // namespace

std::vector<std::uint8_t> seal_block(const BlockHeader& h, std::span<const std::uint8_t> payload,
                                     std::uint32_t block_size, std::uint32_t* crc_out) {
  assert(payload.size() <= payload_bytes(block_size));
  std::vector<std::uint8_t> out;
  out.reserve(block_size);
  ByteWriter w(out);
  w.u32(block_magic);
  w.u8(static_cast<std::uint8_t>(h.type));
  w.u8(h.level);
  w.u16(0);
  w.u64(h.owner);
  w.u64(h.index);
  w.u32(0);  // CRC, filled below
  w.u32(h.generation);
  w.bytes(payload);
  out.resize(block_size, 0);
  std::uint32_t crc = crc32c(out);
  for (int i = 0; i < 4; ++i) out[crc_offset + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  if (crc_out) *crc_out = crc;
  return out;
}

std::optional<BlockHeader> open_block(std::span<const std::uint8_t> block, std::uint32_t* crc_out) {
  if (block.size() < min_block_size) return std::nullopt;
  ByteReader r(block);
  if (r.u32() != block_magic) return std::nullopt;
  BlockHeader h;
  std::uint8_t type = r.u8();
  if (type < 1 || type > 6) return std::nullopt;
  h.type = static_cast<BlockType>(type);
  h.level = r.u8();
  r.u16();
  h.owner = r.u64();
  h.index = r.u64();
  std::uint32_t stored = r.u32();
  h.generation = r.u32();
  // CRC of the block with its CRC field zeroed, computed in three pieces.
  static constexpr std::uint8_t zeros[4] = {0, 0, 0, 0};
  std::uint32_t crc = crc32c(block.subspan(0, crc_offset));
  crc = crc32c(zeros, crc);
  crc = crc32c(block.subspan(crc_offset + 4), crc);
  if (crc != stored) return std::nullopt;
  if (crc_out) *crc_out = crc;
  return h;
}

std::vector<std::uint8_t> encode_superblock(const Superblock& sb, std::uint32_t block_size) {
  std::vector<std::uint8_t> p;
  ByteWriter w(p);
  w.u32(superblock_magic);
  w.u32(format_version);
  w.u32(sb.block_size);
  w.u64(sb.block_count);
  w.u64(sb.generation);
  w.u64(sb.max_lsn);
  w.u64(sb.used_blocks);
  w.u64(sb.inode_limit);
  for (const BlobRoot* b : {&sb.inode_table, &sb.reply_cache}) {
    w.u64(b->root.bno);
    w.u32(b->root.crc);
    w.u8(b->height);
  }
  w.u64(sb.inode_table_pages);
  w.u64(sb.reply_cache_bytes);
  BlockHeader h{BlockType::superblock, 0, 0, 0, static_cast<std::uint32_t>(sb.generation)};
  return seal_block(h, p, block_size, nullptr);
}

std::optional<Superblock> decode_superblock(std::span<const std::uint8_t> block) {
  auto h = open_block(block);
  if (!h || h->type != BlockType::superblock) return std::nullopt;
  ByteReader r(block_payload(block));
  if (r.u32() != superblock_magic || r.u32() != format_version) return std::nullopt;
  Superblock sb;
  sb.block_size = r.u32();
  sb.block_count = r.u64();
  sb.generation = r.u64();
  sb.max_lsn = r.u64();
  sb.used_blocks = r.u64();
  sb.inode_limit = r.u64();
  for (BlobRoot* b : {&sb.inode_table, &sb.reply_cache}) {
    b->root.bno = r.u64();
    b->root.crc = r.u32();
    b->height = r.u8();
  }
  sb.inode_table_pages = r.u64();
  sb.reply_cache_bytes = r.u64();
  if (r.failed() || sb.block_size != block.size()) return std::nullopt;
  return sb;
}

}  // namespace failsim::model
