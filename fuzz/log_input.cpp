// Repairing log entries for the fuzzer. The header layout mirrors
// model/log_entry.cpp: magic u32, LSN u64, mode u8, pad u8, aggregate u16,
// payload length u32 (at 16), prev_crc u32 (at 20), CRC u32 (at 24).
#include "fuzz/log_input.hpp"

#include <algorithm>

#include "model/crc32c.hpp"

namespace failsim::fuzz {

namespace {
constexpr std::size_t header = 28;
constexpr std::uint32_t entry_magic = 0x454C564E;  // "NVLE"

std::uint32_t get32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}
void put32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
}  // namespace

void repair_entries(std::vector<std::uint8_t>& half) {
  std::size_t pos = 0;
  std::uint32_t prev_crc = 0;
  while (half.size() - pos >= header) {
    std::uint8_t* e = half.data() + pos;
    if (get32(e) != entry_magic) return;
    std::uint32_t len = static_cast<std::uint32_t>(std::min<std::size_t>(get32(e + 16), half.size() - pos - header));
    put32(e + 16, len);
    put32(e + 20, prev_crc);
    put32(e + 24, 0);
    prev_crc = model::crc32c({e, header + len});
    put32(e + 24, prev_crc);
    pos += header + len;
  }
}

}  // namespace failsim::fuzz
