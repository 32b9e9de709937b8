// The image fuzzer's input format, shared with the seed generator:
//   byte 0     flags: bits 0-1 block size (512, 1024, 4096, 32768),
//              bit 2 repair checksums, bit 3 two plexes
//   bytes 1-2  block count per plex (little-endian; at least the blocks given)
//   the rest   the blocks of plex 0 (then of plex 1, an equal share), from block 0
// Random bytes almost never carry a right CRC32C, so a fuzzer would stay in
// the checksum checks; with "repair checksums" the harness rewrites every CRC
// it can reach from the superblocks (each block's own, and the one each
// pointer carries), so mutations reach the structure checks behind them.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace failsim::fuzz {

inline constexpr std::uint8_t image_flag_repair = 1u << 2;
inline constexpr std::uint8_t image_flag_two_plexes = 1u << 3;
inline constexpr std::uint32_t image_block_sizes[4] = {512, 1024, 4096, 32768};
inline constexpr std::size_t image_header_bytes = 3;

struct ImageInput {
  std::uint32_t block_size = 512;
  std::uint64_t block_count = 0;
  std::vector<std::vector<std::uint8_t>> plexes;  // the given blocks' bytes (a whole number of blocks)
};

// nullopt-free: any bytes give an input (a short one gives an empty plex).
ImageInput decode_image_input(std::span<const std::uint8_t> data);

// The fuzz input for the given plexes (the generator's side).
std::vector<std::uint8_t> encode_image_input(std::uint8_t flags, std::uint16_t block_count,
                                             const std::vector<std::vector<std::uint8_t>>& plexes);

// Rewrites, from blocks 0 and 1 down, every checksum that a block with the
// right magic and type carries or that a pointer to it carries.
void repair_checksums(std::vector<std::uint8_t>& plex, std::uint32_t block_size);

}  // namespace failsim::fuzz
