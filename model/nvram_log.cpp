// Log region bookkeeping and the recovery-time parse.
#include "nvram_log.hpp"

#include <algorithm>
#include <cassert>

#include "bytes.hpp"
#include "crc32c.hpp"

namespace failsim::model {

std::uint64_t LogRegion::place(std::uint64_t entry_bytes, Lsn lsn, std::uint32_t crc) {
  assert(fits(entry_bytes));
  Half& h = halves_[active_];
  std::uint64_t offset = static_cast<std::uint64_t>(active_) * half_bytes_ + h.used_bytes;
  if (h.entries == 0) h.first_lsn = lsn;
  h.last_lsn = lsn;
  h.last_crc = crc;
  h.used_bytes += entry_bytes;
  ++h.entries;
  return offset;
}

int LogRegion::freeze() {
  assert(can_freeze());
  int frozen = active_;
  halves_[frozen].frozen = true;
  active_ = 1 - active_;
  return frozen;
}

void LogRegion::release(int h) {
  assert(halves_[h].frozen);
  halves_[h] = Half{};
}

namespace {
constexpr std::uint64_t region_magic = 0x314d4152564e5346;  // "FSNVRAM1"
}

std::vector<std::uint8_t> encode_region_header(std::uint64_t half_bytes) {
  std::vector<std::uint8_t> out;
  ByteWriter w(out);
  w.u64(region_magic);
  w.u64(half_bytes);
  w.u32(crc32c(out));
  out.resize(region_header_bytes, 0);
  return out;
}

bool region_header_valid(std::span<const std::uint8_t> header, std::uint64_t half_bytes) {
  if (header.size() < region_header_bytes) return false;
  ByteReader r(header);
  const std::uint64_t magic = r.u64(), half = r.u64();
  const std::uint32_t crc = r.u32();
  return !r.failed() && magic == region_magic && half == half_bytes && crc == crc32c(header.first(16));
}

std::vector<LogEntry> parse_region(std::span<const std::uint8_t> region, std::uint64_t half_bytes) {
  std::vector<LogEntry> out;
  for (std::uint64_t h = 0; h < 2 && (h + 1) * half_bytes <= region.size(); ++h) {
    auto half = region.subspan(h * half_bytes, half_bytes);
    std::uint64_t pos = 0;
    std::uint32_t prev_crc = 0;
    std::optional<Lsn> prev_lsn;
    while (pos < half.size()) {
      auto d = decode_entry(half.subspan(pos));
      if (!d || d->entry.prev_crc != prev_crc || (prev_lsn && d->entry.lsn != *prev_lsn + 1)) break;
      prev_crc = d->crc;
      prev_lsn = d->entry.lsn;
      pos += d->bytes;
      out.push_back(std::move(d->entry));
    }
  }
  std::sort(out.begin(), out.end(), [](const LogEntry& a, const LogEntry& b) { return a.lsn < b.lsn; });
  return out;
}

std::vector<LogEntry> entries_after(std::vector<LogEntry> parsed, Lsn after_lsn) {
  std::vector<LogEntry> out;
  Lsn next = after_lsn + 1;
  for (LogEntry& e : parsed) {
    if (e.lsn < next) continue;
    if (e.lsn != next) break;
    out.push_back(std::move(e));
    ++next;
  }
  return out;
}

}  // namespace failsim::model

