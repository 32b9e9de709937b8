// Decoding the image fuzzer's input and repairing its checksums. The offsets
// below mirror model/disk_format.cpp and model/fs_codec.cpp; should they
// drift, repair only gets less useful (the loader still sees every input).
#include "fuzz/image_input.hpp"

#include <algorithm>
#include <map>
#include <optional>

#include "model/crc32c.hpp"

namespace failsim::fuzz {

namespace {

constexpr std::uint32_t block_magic = 0x4B425346;  // "FSBK"
constexpr std::size_t crc_at = 24;                  // in the block header
constexpr std::size_t header = 32;
// Superblock payload: magic, version, block size, 5 u64 fields, then the
// inode table's and the reply cache's roots (bno u64, crc u32, height u8).
constexpr std::size_t sb_roots_at = header + 4 + 4 + 4 + 5 * 8;
constexpr std::size_t root_bytes = 13;
constexpr std::size_t inode_record_bytes = 64;
constexpr std::size_t inode_root_at = 24;  // bno, then crc, in an inode record
constexpr std::size_t pointer_ref_bytes = 12;

std::uint64_t get(const std::uint8_t* p, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v |= std::uint64_t{p[i]} << (8 * i);
  return v;
}
void put(std::uint8_t* p, std::uint64_t v, int n) {
  for (int i = 0; i < n; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

class Repairer {
 public:
  Repairer(std::vector<std::uint8_t>& plex, std::uint32_t bs) : plex_(plex), bs_(bs) {}

  // The block's CRC after repair, or nothing when it is not a block we know.
  std::optional<std::uint32_t> fix(std::uint64_t bno, int depth) {
    if (auto it = done_.find(bno); it != done_.end()) return it->second;
    if (depth > 12 || bno >= plex_.size() / bs_) return std::nullopt;
    done_[bno] = std::nullopt;  // a cycle back here repairs nothing
    std::uint8_t* b = plex_.data() + bno * bs_;
    if (get(b, 4) != block_magic) return std::nullopt;
    switch (b[4]) {
      case 1:  // superblock
        for (int r = 0; r < 2; ++r) fix_ref(b + sb_roots_at + r * root_bytes, depth);
        break;
      case 2: {  // pointer block: a u32 count, then refs
        std::uint64_t n = get(b + header, 4);
        for (std::uint64_t i = 0; i < n && header + 4 + (i + 1) * pointer_ref_bytes <= bs_; ++i)
          fix_ref(b + header + 4 + i * pointer_ref_bytes, depth);
        break;
      }
      case 5:  // inode table page: records with a blob root each
        for (std::size_t at = header; at + inode_record_bytes <= bs_; at += inode_record_bytes)
          if (b[at] != 0) fix_ref(b + at + inode_root_at, depth);
        break;
      default: break;
    }
    put(b + crc_at, 0, 4);
    std::uint32_t crc = model::crc32c({b, bs_});
    put(b + crc_at, crc, 4);
    done_[bno] = crc;
    return crc;
  }

 private:
  void fix_ref(std::uint8_t* ref, int depth) {
    std::uint64_t bno = get(ref, 8);
    if (bno < 2) return;  // a hole, or a superblock (never a target)
    if (auto crc = fix(bno, depth + 1)) put(ref + 8, *crc, 4);
  }
  std::vector<std::uint8_t>& plex_;
  std::uint32_t bs_;
  std::map<std::uint64_t, std::optional<std::uint32_t>> done_;
};

}  // namespace

ImageInput decode_image_input(std::span<const std::uint8_t> data) {
  ImageInput in;
  if (data.size() < image_header_bytes) return in;
  const std::uint8_t flags = data[0];
  in.block_size = image_block_sizes[flags & 3];
  const int nplexes = (flags & image_flag_two_plexes) ? 2 : 1;
  auto rest = data.subspan(image_header_bytes);
  const std::uint64_t share = rest.size() / nplexes / in.block_size;  // whole blocks per plex
  in.block_count = std::max<std::uint64_t>(get(data.data() + 1, 2), share);
  for (int p = 0; p < nplexes; ++p) {
    auto bytes = rest.subspan(p * share * in.block_size, share * in.block_size);
    in.plexes.emplace_back(bytes.begin(), bytes.end());
    if (flags & image_flag_repair) repair_checksums(in.plexes.back(), in.block_size);
  }
  return in;
}

std::vector<std::uint8_t> encode_image_input(std::uint8_t flags, std::uint16_t block_count,
                                             const std::vector<std::vector<std::uint8_t>>& plexes) {
  std::vector<std::uint8_t> out{flags, static_cast<std::uint8_t>(block_count), static_cast<std::uint8_t>(block_count >> 8)};
  for (const auto& p : plexes) out.insert(out.end(), p.begin(), p.end());
  return out;
}

void repair_checksums(std::vector<std::uint8_t>& plex, std::uint32_t block_size) {
  Repairer r(plex, block_size);
  r.fix(0, 0);
  r.fix(1, 0);
}

}  // namespace failsim::fuzz
