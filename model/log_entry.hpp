// NVRAM log entries (claims 85-88, 91-96, 107, 108). Each entry has a
// sequence number (LSN), a type, a length and a CRC32C over all of it. Request
// logging stores the change descriptor; block logging stores the images of
// the blocks the change modified. Both carry the client, xid and result, so
// replay rebuilds the reply cache in either mode.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "change.hpp"
#include "filesystem.hpp"
#include "result.hpp"

namespace failsim::model {

enum class LogMode : std::uint8_t { request = 1, block = 2 };
std::string_view to_string(LogMode m);
std::optional<LogMode> log_mode_from_string(std::string_view s);

using Lsn = std::uint64_t;
inline constexpr std::uint32_t log_entry_header_bytes = 28;

struct LogEntry {
  Lsn lsn = 0;
  LogMode mode = LogMode::request;
  std::uint16_t aggregate = 0;  // index of the aggregate within the node's log
  // CRC of the entry before this one in the same log half (0 for the first):
  // a stale entry left behind from an earlier use of the half never chains.
  std::uint32_t prev_crc = 0;
  ClientId client = 0;
  Xid xid = 0;
  Xid low_xid = 0;                // the lowest xid the client still waited for
  Result result = Result::ok;
  Change change;                  // request logging
  std::vector<BlockImage> images;  // block logging (empty for a failed change)
  friend bool operator==(const LogEntry&, const LogEntry&) = default;
};

// The encoded entry; its CRC (which the next entry's prev_crc names) in `crc_out`.
std::vector<std::uint8_t> encode_entry(const LogEntry& e, std::uint32_t* crc_out = nullptr);

// Decoding stops at the first entry that is not whole and intact.
struct DecodedEntry {
  LogEntry entry;
  std::size_t bytes = 0;  // how much of the input the entry used
  std::uint32_t crc = 0;
};
std::optional<DecodedEntry> decode_entry(std::span<const std::uint8_t> at);

}  // namespace failsim::model
