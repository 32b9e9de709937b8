// Names and binary encoding of change descriptors.
#include "change.hpp"

#include <array>

#include "bytes.hpp"

namespace failsim::model {

namespace {
constexpr std::array<std::string_view, op_type_count> op_names = {
    "create", "mkdir", "write", "append", "truncate", "rename", "unlink", "rmdir", "setattr"};
// Bounds a corrupt length field; far above any path or payload failsim makes.
constexpr std::size_t max_field_bytes = 1u << 24;
}  // namespace

std::string_view to_string(OpType t) { return op_names.at(static_cast<std::size_t>(t)); }

std::optional<OpType> op_type_from_string(std::string_view s) {
  for (std::size_t i = 0; i < op_names.size(); ++i)
    if (op_names[i] == s) return static_cast<OpType>(i);
  return std::nullopt;
}

std::vector<std::uint8_t> encode(const Change& c) {
  std::vector<std::uint8_t> out;
  out.reserve(48 + c.path.size() + c.to.size() + c.data.size());
  ByteWriter w(out);
  w.u8(static_cast<std::uint8_t>(c.type));
  w.u32(c.client);
  w.u64(c.xid);
  w.u64(c.offset);
  w.u64(c.size);
  w.u32(c.mode);
  w.u64(c.low_xid);
  w.str(c.path);
  w.str(c.to);
  w.str(c.data);
  return out;
}

std::optional<Change> decode_change(std::span<const std::uint8_t> bytes) {
  ByteReader r(bytes);
  Change c;
  std::uint8_t type = r.u8();
  if (type >= op_type_count) return std::nullopt;
  c.type = static_cast<OpType>(type);
  c.client = r.u32();
  c.xid = r.u64();
  c.offset = r.u64();
  c.size = r.u64();
  c.mode = r.u32();
  c.low_xid = r.u64();
  c.path = r.str(max_field_bytes);
  c.to = r.str(max_field_bytes);
  c.data = r.str(max_field_bytes);
  if (r.failed() || r.remaining() != 0) return std::nullopt;
  return c;
}

}  // namespace failsim::model
