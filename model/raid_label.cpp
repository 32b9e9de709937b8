// Encoding and checking of RAID labels. Layout (little-endian):
//   0 magic u32 "FSRL" | 4 version u32 | 8 CRC32C u32 of the whole label with
//   this field zero | 12 RaidType u8 | 13 name length u8 | 14 zero u16 |
//   16 plex u32 | 20 group u32 | 24 column u32 | 28 data disks u32 |
//   32 plex generation u64 | 40 name, zero-padded to 64 bytes | 104.. zeros.
#include "raid_label.hpp"

#include <algorithm>
#include <cassert>

#include "bytes.hpp"
#include "crc32c.hpp"

namespace failsim::model {

namespace {
constexpr std::uint32_t label_magic = 0x4C525346;  // "FSRL"
constexpr std::uint32_t label_version = 1;
constexpr std::size_t crc_offset = 8;
constexpr std::size_t name_offset = 40;

std::uint32_t label_crc(std::span<const std::uint8_t> bytes) {
  static constexpr std::uint8_t zeros[4] = {0, 0, 0, 0};
  std::uint32_t crc = crc32c(bytes.first(crc_offset));
  crc = crc32c(zeros, crc);
  return crc32c(bytes.subspan(crc_offset + 4), crc);
}

bool all_zero(std::span<const std::uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
}
}  // namespace

bool label_is_valid(const RaidLabel& l) {
  if (l.aggregate.empty() || l.aggregate.size() > max_aggregate_name_bytes) return false;
  if (l.type != RaidType::raid4 && l.type != RaidType::raid_dp) return false;
  if (l.data_disks < 1 || l.data_disks > max_group_data_disks) return false;
  return l.column < static_cast<std::uint32_t>(label_geometry(l).columns());
}

std::vector<std::uint8_t> encode_label(const RaidLabel& l) {
  assert(label_is_valid(l));
  std::vector<std::uint8_t> out;
  out.reserve(raid_label_bytes);
  ByteWriter w(out);
  w.u32(label_magic);
  w.u32(label_version);
  w.u32(0);  // CRC, filled below
  w.u8(static_cast<std::uint8_t>(l.type));
  w.u8(static_cast<std::uint8_t>(l.aggregate.size()));
  w.u16(0);
  w.u32(l.plex);
  w.u32(l.group);
  w.u32(l.column);
  w.u32(l.data_disks);
  w.u64(l.plex_generation);
  assert(out.size() == name_offset);
  w.bytes(l.aggregate);
  out.resize(raid_label_bytes, 0);
  const std::uint32_t crc = label_crc(out);
  for (int i = 0; i < 4; ++i) out[crc_offset + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  return out;
}

std::optional<RaidLabel> decode_label(std::span<const std::uint8_t> bytes) {
  if (bytes.size() != raid_label_bytes) return std::nullopt;
  ByteReader r(bytes);
  if (r.u32() != label_magic || r.u32() != label_version) return std::nullopt;
  if (r.u32() != label_crc(bytes)) return std::nullopt;
  RaidLabel l;
  const std::uint8_t type = r.u8();
  if (type > static_cast<std::uint8_t>(RaidType::raid_dp)) return std::nullopt;
  l.type = static_cast<RaidType>(type);
  const std::uint8_t name_bytes = r.u8();
  if (r.u16() != 0) return std::nullopt;
  l.plex = r.u32();
  l.group = r.u32();
  l.column = r.u32();
  l.data_disks = r.u32();
  l.plex_generation = r.u64();
  if (name_bytes > max_aggregate_name_bytes) return std::nullopt;
  std::span<const std::uint8_t> name = r.bytes(name_bytes);
  l.aggregate.assign(name.begin(), name.end());
  // Whatever follows the name, its padding and the rest, is zeros.
  if (r.failed() || !all_zero(bytes.subspan(r.pos())) || !label_is_valid(l)) return std::nullopt;
  return l;
}

}  // namespace failsim::model
