// Test helper: rewrites one inode record of an image on a MemoryBlockDevice
// and reseals the blocks above it (the inode-table page, its pointer block,
// both superblock copies) with right checksums, so that a test can present
// the loader with corruption a CRC does not catch.
#pragma once

#include <functional>

#include <gtest/gtest.h>

#include "model/bytes.hpp"
#include "model/disk_format.hpp"
#include "model/fs_codec.hpp"
#include "model/image_walk.hpp"
#include "sim/memory/memory_block_device.hpp"

namespace failsim::testing {

// The image must have an inode table of height 0 or 1 (small test images do).
inline void edit_inode(sim::memory::MemoryBlockDevice& dev, model::Ino ino,
                       const std::function<void(model::InodeRecord&)>& edit) {
  using namespace model;
  const std::uint32_t bs = dev.block_size();
  std::vector<std::uint8_t> buf(bs);
  auto read = [&](BlockNo b) {
    EXPECT_TRUE(dev.read(b, buf));
    return buf;
  };
  auto sb = decode_superblock(read(0));
  ASSERT_TRUE(sb);
  ASSERT_LE(sb->inode_table.height, 1);
  ImageWalk walk = walk_image({&dev});
  const std::uint32_t ipp = inodes_per_page(bs);
  const BlockRef page_ref = walk.inode_table.pages.at(ino / ipp);

  // The page, with the record edited.
  auto page = read(page_ref.bno);
  auto header = open_block(page);
  ASSERT_TRUE(header);
  std::vector<std::uint8_t> payload(block_payload(page).begin(), block_payload(page).end());
  const std::span<const std::uint8_t> all(payload);
  ByteReader r(all.subspan((ino % ipp) * inode_record_bytes, inode_record_bytes));
  auto rec = decode_inode_record(r);
  ASSERT_TRUE(rec);
  edit(*rec);
  std::vector<std::uint8_t> encoded;
  encode_inode_record(*rec, encoded);
  std::copy(encoded.begin(), encoded.end(), payload.begin() + (ino % ipp) * inode_record_bytes);
  std::uint32_t crc = 0;
  dev.write(page_ref.bno, seal_block(*header, payload, bs, &crc));

  // Its pointer block, when the table has one.
  if (sb->inode_table.height == 1) {
    auto ptr = read(sb->inode_table.root.bno);
    auto ph = open_block(ptr);
    ASSERT_TRUE(ph);
    auto refs = decode_pointer_payload(block_payload(ptr), pointers_per_block(bs));
    ASSERT_TRUE(refs);
    (*refs)[ino / ipp].crc = crc;
    std::vector<std::uint8_t> p;
    encode_pointer_payload(*refs, p);
    dev.write(sb->inode_table.root.bno, seal_block(*ph, p, bs, &crc));
  }
  sb->inode_table.root.crc = crc;
  auto sb_bytes = encode_superblock(*sb, bs);
  dev.write(0, sb_bytes);
  dev.write(1, sb_bytes);
}

}  // namespace failsim::testing
