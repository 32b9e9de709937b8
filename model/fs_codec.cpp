// Inode records, directory slots and pointer blocks, byte by byte.
#include "fs_codec.hpp"

#include "disk_format.hpp"

namespace failsim::model {

void encode_inode_record(const InodeRecord& rec, std::vector<std::uint8_t>& out) {
  std::size_t start = out.size();
  ByteWriter w(out);
  w.u8(static_cast<std::uint8_t>(rec.type));
  w.u8(0);
  w.u16(0);
  w.u32(rec.mode);
  w.u64(rec.size);
  w.u64(rec.parent);
  w.u64(rec.root.root.bno);
  w.u32(rec.root.root.crc);
  w.u8(rec.root.height);
  out.resize(start + inode_record_bytes, 0);
}

std::optional<InodeRecord> decode_inode_record(ByteReader& r) {
  auto raw = r.bytes(inode_record_bytes);
  if (r.failed()) return std::nullopt;
  ByteReader f(raw);
  InodeRecord rec;
  std::uint8_t type = f.u8();
  if (type > static_cast<std::uint8_t>(InodeType::dir)) return std::nullopt;
  rec.type = static_cast<InodeType>(type);
  f.u8();
  f.u16();
  rec.mode = f.u32();
  rec.size = f.u64();
  rec.parent = f.u64();
  rec.root.root.bno = f.u64();
  rec.root.root.crc = f.u32();
  rec.root.height = f.u8();
  if (rec.mode > 07777) return std::nullopt;
  return rec;
}

void encode_dir_slot(const DirSlot& slot, std::vector<std::uint8_t>& out) {
  std::size_t start = out.size();
  ByteWriter w(out);
  w.u64(slot.ino);
  w.u8(static_cast<std::uint8_t>(slot.name.size()));
  w.bytes(slot.name);
  out.resize(start + dir_slot_bytes, 0);
}

std::optional<DirSlot> decode_dir_slot(ByteReader& r) {
  auto raw = r.bytes(dir_slot_bytes);
  if (r.failed()) return std::nullopt;
  ByteReader f(raw);
  DirSlot slot;
  slot.ino = f.u64();
  std::uint8_t len = f.u8();
  auto name = f.bytes(len);
  slot.name.assign(name.begin(), name.end());
  if ((slot.ino == 0) != (len == 0)) return std::nullopt;
  for (char ch : slot.name)
    if (ch == '/' || ch == '\0') return std::nullopt;
  if (slot.name == "." || slot.name == "..") return std::nullopt;
  return slot;
}

void encode_pointer_payload(const std::vector<BlockRef>& refs, std::vector<std::uint8_t>& out) {
  ByteWriter w(out);
  w.u32(static_cast<std::uint32_t>(refs.size()));
  for (const BlockRef& ref : refs) {
    w.u64(ref.bno);
    w.u32(ref.crc);
  }
}

std::optional<std::vector<BlockRef>> decode_pointer_payload(std::span<const std::uint8_t> payload,
                                                            std::uint32_t max_refs) {
  ByteReader r(payload);
  std::uint32_t n = r.u32();
  if (n == 0 || n > max_refs) return std::nullopt;
  std::vector<BlockRef> refs(n);
  for (BlockRef& ref : refs) {
    ref.bno = r.u64();
    ref.crc = r.u32();
  }
  if (r.failed()) return std::nullopt;
  return refs;
}

}  // namespace failsim::model
