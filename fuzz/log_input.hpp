// The log-entry fuzzer's input format, shared with the seed generator:
//   byte 0    flags: bit 0 repair entries (length, chain and CRC)
//   the rest  an NVRAM log region: entries one after the other from offset 0
// As for images, random bytes never carry a right CRC32C; with "repair", the
// harness walks the entries the way parse_region does, clamps each length to
// what is left, chains each prev_crc to the entry before and rewrites the
// CRC, so mutations reach the payload decoders and replay.
#pragma once

#include <cstdint>
#include <vector>

namespace failsim::fuzz {

inline constexpr std::uint8_t log_flag_repair = 1u << 0;

// Repairs the entries of one half (from its offset 0) in place.
void repair_entries(std::vector<std::uint8_t>& half);

}  // namespace failsim::fuzz
