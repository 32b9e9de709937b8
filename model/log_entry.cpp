// Log entry encoding: a 28-byte header (magic, LSN, type, aggregate, payload
// length, previous entry's CRC, CRC32C of header and payload) and a payload
// per logging mode.
#include "log_entry.hpp"

#include "bytes.hpp"
#include "crc32c.hpp"
#include "mutants.hpp"

namespace failsim::model {

namespace {
constexpr std::uint32_t entry_magic = 0x454C564E;  // "NVLE"
constexpr std::size_t crc_offset = 24;
constexpr std::uint32_t max_images = 1u << 16;
constexpr std::size_t max_payload_bytes = 1u << 28;
}  // namespace

std::string_view to_string(LogMode m) { return m == LogMode::request ? "request" : "block"; }

std::optional<LogMode> log_mode_from_string(std::string_view s) {
  if (s == "request") return LogMode::request;
  if (s == "block") return LogMode::block;
  return std::nullopt;
}

std::vector<std::uint8_t> encode_entry(const LogEntry& e, std::uint32_t* crc_out) {
  std::vector<std::uint8_t> out;
  ByteWriter w(out);
  w.u32(entry_magic);
  w.u64(e.lsn);
  w.u8(static_cast<std::uint8_t>(e.mode));
  w.u8(0);
  w.u16(e.aggregate);
  w.u32(0);  // payload length, filled below
  w.u32(e.prev_crc);
  w.u32(0);  // CRC, filled below
  w.u32(e.client);
  w.u64(e.xid);
  w.u64(e.low_xid);
  w.u8(static_cast<std::uint8_t>(e.result));
  if (e.mode == LogMode::request) {
    auto c = encode(e.change);
    w.u32(static_cast<std::uint32_t>(c.size()));
    w.bytes(c);
  } else {
    w.u32(static_cast<std::uint32_t>(e.images.size()));
    for (const BlockImage& img : e.images) {
      w.u8(static_cast<std::uint8_t>(img.kind));
      w.u64(img.ino);
      w.u64(img.page);
      w.u32(static_cast<std::uint32_t>(img.payload.size()));
      w.bytes(img.payload);
    }
  }
  std::uint32_t len = static_cast<std::uint32_t>(out.size() - log_entry_header_bytes);
  for (int i = 0; i < 4; ++i) out[16 + i] = static_cast<std::uint8_t>(len >> (8 * i));
  std::uint32_t crc = crc32c(out);
  for (int i = 0; i < 4; ++i) out[crc_offset + i] = static_cast<std::uint8_t>(crc >> (8 * i));
  if (crc_out) *crc_out = crc;
  return out;
}

std::optional<DecodedEntry> decode_entry(std::span<const std::uint8_t> at) {
  ByteReader h(at);
  if (h.u32() != entry_magic) return std::nullopt;
  LogEntry e;
  e.lsn = h.u64();
  std::uint8_t mode = h.u8();
  if (mode != 1 && mode != 2) return std::nullopt;
  e.mode = static_cast<LogMode>(mode);
  h.u8();
  e.aggregate = h.u16();
  std::uint32_t len = h.u32();
  e.prev_crc = h.u32();
  std::uint32_t stored = h.u32();
  if (h.failed() || len > max_payload_bytes || at.size() - log_entry_header_bytes < len) return std::nullopt;
  static constexpr std::uint8_t zeros[4] = {0, 0, 0, 0};
  std::uint32_t crc = crc32c(at.subspan(0, crc_offset));
  crc = crc32c(zeros, crc);
  crc = crc32c(at.subspan(crc_offset + 4, log_entry_header_bytes - crc_offset - 4 + len), crc);
  if (crc != stored && !mutant::accept_torn_entry) return std::nullopt;
  if (mutant::accept_torn_entry) crc = stored;

  ByteReader r(at.subspan(log_entry_header_bytes, len));
  e.client = r.u32();
  e.xid = r.u64();
  e.low_xid = r.u64();
  std::uint8_t result = r.u8();
  if (result > static_cast<std::uint8_t>(Result::enospc)) return std::nullopt;
  e.result = static_cast<Result>(result);
  if (e.mode == LogMode::request) {
    std::uint32_t n = r.u32();
    auto c = decode_change(r.bytes(n));
    if (!c) return std::nullopt;
    e.change = std::move(*c);
  } else {
    std::uint32_t n = r.u32();
    if (n > max_images) return std::nullopt;
    for (std::uint32_t i = 0; i < n && !r.failed(); ++i) {
      BlockImage img;
      std::uint8_t kind = r.u8();
      if (kind < 1 || kind > 3) return std::nullopt;
      img.kind = static_cast<ImageKind>(kind);
      img.ino = r.u64();
      img.page = r.u64();
      std::uint32_t bytes = r.u32();
      auto payload = r.bytes(bytes);
      img.payload.assign(payload.begin(), payload.end());
      e.images.push_back(std::move(img));
    }
  }
  if (r.failed() || r.remaining() != 0) return std::nullopt;
  return DecodedEntry{std::move(e), log_entry_header_bytes + len, crc};
}

}  // namespace failsim::model
