// The RAID label every disk of a RAID group carries, as a filer's disks do:
// which aggregate, plex, group and column the disk is, the group's RAID type
// and width, and the CP generation of its plex that the disk last took part
// in (the plex generation record: a disk whose record is behind its plex's
// missed writes and must be rebuilt, not trusted). Fixed size, little-endian,
// sealed with CRC32C; the decoder accepts only what the encoder writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "raid_parity.hpp"

namespace failsim::model {

inline constexpr std::uint32_t raid_label_bytes = 512;
inline constexpr std::size_t max_aggregate_name_bytes = 64;
inline constexpr std::uint32_t max_group_data_disks = 255;

struct RaidLabel {
  std::string aggregate;             // 1..max_aggregate_name_bytes bytes
  std::uint32_t plex = 0;            // plex index within the aggregate
  std::uint32_t group = 0;           // RAID group index within the plex
  std::uint32_t column = 0;          // < data_disks + parity disks of `type`
  RaidType type = RaidType::raid4;
  std::uint32_t data_disks = 1;      // 1..max_group_data_disks
  std::uint64_t plex_generation = 0; // the plex's CP generation this disk last took part in
  friend bool operator==(const RaidLabel&, const RaidLabel&) = default;
};

// Whether `label` can be encoded: the bounds in the comments above.
bool label_is_valid(const RaidLabel& label);
// The geometry of the label's group.
inline RaidGeometry label_geometry(const RaidLabel& label) {
  return RaidGeometry{label.type, static_cast<int>(label.data_disks)};
}

// raid_label_bytes bytes; `label` must be valid (label_is_valid).
std::vector<std::uint8_t> encode_label(const RaidLabel& label);
// The label in `bytes`, or nothing if they are not exactly what encode_label
// writes for some valid label: wrong size, magic, version or CRC, a field out
// of range, or a non-zero byte where the encoder writes zeros.
std::optional<RaidLabel> decode_label(std::span<const std::uint8_t> bytes);

}  // namespace failsim::model
