// One NVRAM log region: two halves, one taking new entries while the other
// is frozen for a consistency point (claims 85, 94-96). This class only keeps
// the books (where the next entry goes, which half is busy); the bytes live
// in NVRAM, which the driver owns. parse_region() reads a region's bytes
// back for recovery, the same way for a node's own region and for the
// mirror of its partner's (claims 83, 106).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "log_entry.hpp"

namespace failsim::model {

class LogRegion {
 public:
  struct Half {
    std::uint64_t used_bytes = 0;
    std::uint64_t entries = 0;
    Lsn first_lsn = 0, last_lsn = 0;
    std::uint32_t last_crc = 0;  // the next entry's prev_crc
    bool frozen = false;         // holds entries of a CP not yet durable
  };

  LogRegion() = default;
  explicit LogRegion(std::uint64_t half_bytes) : half_bytes_(half_bytes) {}

  std::uint64_t half_bytes() const { return half_bytes_; }
  int active() const { return active_; }
  const Half& half(int h) const { return halves_[h]; }
  bool fits(std::uint64_t entry_bytes) const {
    return !halves_[active_].frozen && halves_[active_].used_bytes + entry_bytes <= half_bytes_;
  }
  // Where an entry goes: the region offset, recorded as used.
  std::uint64_t place(std::uint64_t entry_bytes, Lsn lsn, std::uint32_t crc);
  std::uint32_t next_prev_crc() const { return halves_[active_].last_crc; }
  // The active half is frozen for a CP and the other one takes new entries;
  // only when the other half's CP is durable.
  bool can_freeze() const { return !halves_[1 - active_].frozen; }
  int freeze();
  // The CP of half h is durable: its entries are no longer needed.
  void release(int h);
  std::uint64_t used_bytes() const { return halves_[0].used_bytes + halves_[1].used_bytes; }

 private:
  std::uint64_t half_bytes_ = 0;
  int active_ = 0;
  std::array<Half, 2> halves_{};
};

// A region ends with a header that says its contents survived: written when
// the region is initialised (installation, a log reset, a mirror resync),
// it is lost with everything else when the NVRAM loses power with a dead
// battery. A node whose own header is missing at boot knows its log is gone
// and recovers from the partner's mirror instead; a partner whose mirror
// header is missing knows it holds no copy worth taking over from.
inline constexpr std::uint64_t region_header_bytes = 32;
inline std::uint64_t region_bytes(std::uint64_t half_bytes) { return 2 * half_bytes + region_header_bytes; }
inline std::uint64_t region_header_offset(std::uint64_t half_bytes) { return 2 * half_bytes; }
std::vector<std::uint8_t> encode_region_header(std::uint64_t half_bytes);
// Whether `header` (the region's last region_header_bytes) is a valid header
// for a region of this geometry.
bool region_header_valid(std::span<const std::uint8_t> header, std::uint64_t half_bytes);

// All entries found in a region, in LSN order. Each half is read from its
// start up to the first entry that is torn, fails its CRC, or does not chain
// to the one before it (a stale entry from an earlier use of the half).
std::vector<LogEntry> parse_region(std::span<const std::uint8_t> region, std::uint64_t half_bytes);

// The entries to replay: those after `after_lsn`, contiguous from
// after_lsn + 1, up to the first gap (a torn or lost entry ends the log).
std::vector<LogEntry> entries_after(std::vector<LogEntry> parsed, Lsn after_lsn);

}  // namespace failsim::model
