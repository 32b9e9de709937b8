// libFuzzer target: the RAID label decoder (model/raid_label). Input: a flag
// byte, then the label's bytes. Flag bit 0 ("repair") rewrites the label's
// CRC32C before decoding when the rest is label-sized, so that mutations
// reach the field checks behind the checksum; without it the bytes are used
// as they are, which exercises the checksum check itself. Beyond "no crash,
// no out-of-bounds read, no UB": an accepted label is valid and re-encodes to
// exactly the bytes it was decoded from (the decoder accepts only what the
// encoder writes).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "model/crc32c.hpp"
#include "model/raid_label.hpp"

namespace {

using namespace failsim::model;

constexpr std::uint8_t flag_repair = 1;
constexpr std::size_t crc_offset = 8;  // model/raid_label.cpp's layout

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "raid_label_fuzzer: %s\n", what);
  std::abort();
}

void repair_crc(std::vector<std::uint8_t>& label) {
  for (std::size_t i = 0; i < 4; ++i) label[crc_offset + i] = 0;
  const std::uint32_t crc = crc32c(label);
  for (std::size_t i = 0; i < 4; ++i) label[crc_offset + i] = static_cast<std::uint8_t>(crc >> (8 * i));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::vector<std::uint8_t> label(data + 1, data + size);
  if ((data[0] & flag_repair) && label.size() == raid_label_bytes) repair_crc(label);
  const auto decoded = decode_label(label);
  if (!decoded) return 0;
  require(label_is_valid(*decoded), "an accepted label is not valid");
  require(encode_label(*decoded) == label, "an accepted label re-encodes to other bytes");
  return 0;
}
