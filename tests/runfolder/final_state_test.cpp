// The final-state records: the JSON the simulator has always written,
// read back field by field with errors naming the JSON path, and the first
// difference between two trees, which image_matches_memory reports.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/digest.hpp"
#include "runfolder/final_state.hpp"
#include "runfolder/format_error.hpp"

namespace failsim::runfolder {
namespace {

using nlohmann::json;

Tree sample() {
  return {{"/c1", PathState::dir(0755)}, {"/c1/f1", PathState::file(0644, 3, "abc")}};
}

TEST(FinalState, WritesTheFormatOfFinalStateJson) {
  const json j = state_json({{"aggr0", sample()}});
  const json want = json::parse(R"({"aggregates": {"aggr0": {
      "/c1": {"type": "dir", "mode": 493},
      "/c1/f1": {"type": "file", "mode": 420, "size": 3,
                 "sha256": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"}}}})");
  EXPECT_EQ(j, want);
  EXPECT_EQ(sha256_hex("abc"), want["aggregates"]["aggr0"]["/c1/f1"]["sha256"]);
}

TEST(FinalState, ReadsBackWhatItWrote) {
  const Trees trees{{"aggr0", sample()}, {"aggr1", {}}};
  EXPECT_EQ(read_state(state_json(trees)), trees);
}

std::string error_of(const json& doc) {
  try {
    read_state(doc);
  } catch (const FormatError& e) {
    return e.what();
  }
  return "no error";
}

TEST(FinalState, NamesTheJsonPathOfABadField) {
  json doc = state_json({{"aggr0", sample()}});
  doc["aggregates"]["aggr0"]["/c1/f1"]["mode"] = -1;
  EXPECT_EQ(error_of(doc), "aggregates.aggr0./c1/f1.mode: expected an integer from 0 to 4294967295, found -1");
  doc = state_json({{"aggr0", sample()}});
  doc["aggregates"]["aggr0"]["/c1"]["type"] = "link";
  EXPECT_EQ(error_of(doc), "aggregates.aggr0./c1.type: expected \"file\" or \"dir\", found \"link\"");
  doc = state_json({{"aggr0", sample()}});
  doc["aggregates"]["aggr0"]["/c1/f1"].erase("sha256");
  EXPECT_EQ(error_of(doc), "aggregates.aggr0./c1/f1.sha256: missing");
  EXPECT_EQ(error_of(json::parse(R"({"aggregates": {"aggr0": [1]}})")),
            "aggregates.aggr0: expected an object, found [1]");
  EXPECT_EQ(error_of(json::parse("{}")), "aggregates: missing");
}

TEST(FinalState, FirstDifferenceIsInPathOrderWithBothSides) {
  const Tree a = sample();
  EXPECT_EQ(first_difference(a, a), std::nullopt);

  Tree mode = a;
  mode["/c1/f1"].mode = 0;
  auto d = first_difference(mode, a);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->path, "/c1/f1");
  EXPECT_EQ(describe(d->left), "file mode 0 size 3 sha256 ba7816bf8f01...");
  EXPECT_EQ(describe(d->right), "file mode 420 size 3 sha256 ba7816bf8f01...");

  Tree extra = a;
  extra["/c1/a"] = PathState::file(0644, 0, "");  // sorts before /c1/f1
  d = first_difference(a, extra);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->path, "/c1/a");
  EXPECT_EQ(describe(d->left), "absent");
  EXPECT_FALSE(d->left);

  Tree missing = a;
  missing.erase("/c1/f1");
  d = first_difference(a, missing);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->path, "/c1/f1");
  EXPECT_FALSE(d->right);

  // A size the image states but its bytes do not match shows too.
  Tree size = a;
  size["/c1/f1"].size = 4;
  EXPECT_EQ(first_difference(a, size)->path, "/c1/f1");
  EXPECT_EQ(describe(PathState::dir(0700)), "dir mode 448");
}

}  // namespace
}  // namespace failsim::runfolder
