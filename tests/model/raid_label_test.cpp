// RAID labels (model/raid_label): round trip, every single-byte corruption
// refused, each out-of-range field refused even under a right CRC, and the
// decoder safe on arbitrary bytes.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <string>
#include <vector>

#include "model/crc32c.hpp"
#include "model/raid_label.hpp"

namespace failsim {
namespace {

using namespace model;

RaidLabel sample_label() {
  RaidLabel l;
  l.aggregate = "aggr1";
  l.plex = 1;
  l.group = 3;
  l.column = 5;
  l.type = RaidType::raid_dp;
  l.data_disks = 6;
  l.plex_generation = 0x0123456789ABCDEFull;
  return l;
}

rc::Gen<RaidLabel> any_label() {
  return rc::gen::exec([] {
    RaidLabel l;
    const auto name_bytes = *rc::gen::inRange<std::size_t>(1, max_aggregate_name_bytes + 1);
    l.aggregate = *rc::gen::container<std::string>(name_bytes, rc::gen::arbitrary<char>());
    l.plex = *rc::gen::arbitrary<std::uint32_t>();
    l.group = *rc::gen::arbitrary<std::uint32_t>();
    l.type = *rc::gen::element(RaidType::raid4, RaidType::raid_dp);
    l.data_disks = *rc::gen::inRange<std::uint32_t>(1, max_group_data_disks + 1);
    l.column = *rc::gen::inRange<std::uint32_t>(0, static_cast<std::uint32_t>(label_geometry(l).columns()));
    l.plex_generation = *rc::gen::arbitrary<std::uint64_t>();
    return l;
  });
}

// Rewrites the CRC field (bytes 8..11) so that a test reaches the checks
// behind it; the CRC is of the whole label with that field zero.
void reseal(std::vector<std::uint8_t>& bytes) {
  for (int i = 8; i < 12; ++i) bytes[i] = 0;
  const std::uint32_t crc = crc32c(bytes);
  for (int i = 0; i < 4; ++i) bytes[8 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
}

RC_GTEST_PROP(RaidLabel, RoundTrips, ()) {
  const RaidLabel l = *any_label();
  RC_ASSERT(label_is_valid(l));
  const std::vector<std::uint8_t> bytes = encode_label(l);
  RC_ASSERT(bytes.size() == raid_label_bytes);
  const auto back = decode_label(bytes);
  RC_ASSERT(back.has_value());
  RC_ASSERT(*back == l);
}

RC_GTEST_PROP(RaidLabel, ASingleCorruptByteIsRefusedOrDecodesTheSame, ()) {
  const RaidLabel l = *any_label();
  std::vector<std::uint8_t> bytes = encode_label(l);
  bytes[*rc::gen::inRange<std::size_t>(0, bytes.size())] ^= *rc::gen::inRange<int>(1, 256);
  const auto back = decode_label(bytes);
  RC_ASSERT(!back.has_value() || *back == l);
}

RC_GTEST_PROP(RaidLabel, DecoderTakesArbitraryBytes, (std::vector<std::uint8_t> junk, bool resealed)) {
  if (*rc::gen::arbitrary<bool>()) junk.resize(raid_label_bytes);
  if (resealed && junk.size() == raid_label_bytes) reseal(junk);
  if (const auto l = decode_label(junk)) RC_ASSERT(encode_label(*l) == junk);
}

// A label with one byte set to anything and its CRC made right again: the
// decoder accepts it only if it is exactly what the encoder writes for what
// it decoded (a changed plex, group or name byte), never a near miss.
RC_GTEST_PROP(RaidLabel, AResealedEditDecodesOnlyToWhatReencodesTheSame, ()) {
  std::vector<std::uint8_t> bytes = encode_label(*any_label());
  bytes[*rc::gen::inRange<std::size_t>(0, 40 + max_aggregate_name_bytes)] = *rc::gen::arbitrary<std::uint8_t>();
  reseal(bytes);
  const auto l = decode_label(bytes);
  RC_TAG(l.has_value());
  if (l) RC_ASSERT(encode_label(*l) == bytes);
}

// Every byte, every non-zero XOR: the CRC covers the whole label, so each is refused.
TEST(RaidLabel, EverySingleByteCorruptionOfALabelIsRefused) {
  const std::vector<std::uint8_t> good = encode_label(sample_label());
  ASSERT_EQ(decode_label(good), sample_label());
  int accepted = 0;
  for (std::size_t at = 0; at < good.size(); ++at)
    for (int x = 1; x < 256; ++x) {
      std::vector<std::uint8_t> bad = good;
      bad[at] ^= static_cast<std::uint8_t>(x);
      if (decode_label(bad)) ++accepted;
    }
  EXPECT_EQ(accepted, 0);
}

TEST(RaidLabel, TheLongestNameRoundTrips) {
  RaidLabel l = sample_label();
  l.aggregate = std::string(max_aggregate_name_bytes, 'n');
  EXPECT_EQ(decode_label(encode_label(l)), l);
  l.aggregate.push_back('n');
  EXPECT_FALSE(label_is_valid(l));
}

TEST(RaidLabel, WrongSizeIsRefused) {
  std::vector<std::uint8_t> bytes = encode_label(sample_label());
  bytes.push_back(0);
  EXPECT_FALSE(decode_label(bytes));
  bytes.resize(raid_label_bytes - 1);
  EXPECT_FALSE(decode_label(bytes));
  EXPECT_FALSE(decode_label({}));
}

// Each edit makes a field out of range; the label is resealed, so only the
// field check can refuse it. Offsets as in model/raid_label.cpp's layout.
TEST(RaidLabel, FieldsOutOfRangeAreRefusedUnderARightCrc) {
  struct Edit {
    const char* what;
    std::size_t at;
    std::uint8_t value;
  };
  const std::vector<Edit> edits{
      {"magic", 0, 0x00},        {"version", 4, 2},          {"RAID type 2", 12, 2},
      {"empty name", 13, 0},     {"name of 65 bytes", 13, 65}, {"reserved u16", 14, 1},
      {"column 8 of 6+2", 24, 8}, {"0 data disks", 28, 0},    {"256 data disks", 29, 1},
      {"byte after the name", 45, 'x'}, {"last byte", raid_label_bytes - 1, 1},
  };
  for (const Edit& e : edits) {
    std::vector<std::uint8_t> bytes = encode_label(sample_label());
    bytes[e.at] = e.value;
    reseal(bytes);
    EXPECT_FALSE(decode_label(bytes)) << e.what;
  }
  // The same reseal without an edit is accepted: the edits, not the reseal, refuse.
  std::vector<std::uint8_t> bytes = encode_label(sample_label());
  reseal(bytes);
  EXPECT_EQ(decode_label(bytes), sample_label());
}

TEST(RaidLabel, GeometryComesFromTheLabel) {
  const RaidGeometry g = label_geometry(sample_label());
  EXPECT_EQ(g, (RaidGeometry{RaidType::raid_dp, 6}));
  EXPECT_EQ(g.columns(), 8);
}

}  // namespace
}  // namespace failsim
