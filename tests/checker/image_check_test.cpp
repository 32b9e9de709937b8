// image_matches_memory on hand-made final states: the disk image after a
// final CP must equal the serving node's memory; the violation names the
// aggregate, the node, the first differing path and both sides. A final CP
// that did not finish is a violation, and its memory is judged instead.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "checker/image_check.hpp"
#include "runfolder/format_error.hpp"

namespace failsim::checker {
namespace {

using nlohmann::json;
using runfolder::PathState;

runfolder::Tree tree() { return {{"/c1", PathState::dir(0755)}, {"/c1/f1", PathState::file(0644, 3, "abc")}}; }

ImageReport check(const runfolder::Trees& disk, const runfolder::Trees& memory, const std::vector<FinalCpSeen>& cps) {
  const json doc = runfolder::state_json(disk);
  return check_image_matches_memory({doc, memory, "r/final-state.json", "r/memory-state.json"}, cps);
}

TEST(ImageMatchesMemory, HoldsWhenTheImageEqualsMemory) {
  const ImageReport r = check({{"aggr0", tree()}}, {{"aggr0", tree()}}, {{"n0", "aggr0", true, 31.5}});
  EXPECT_TRUE(r.violations.empty());
  EXPECT_TRUE(r.judge_memory.empty());
}

TEST(ImageMatchesMemory, NamesTheFirstDifferingPathAndBothValues) {
  runfolder::Tree disk = tree();
  disk["/c1/f1"].mode = 0;  // the CP image left the mode out
  const ImageReport r = check({{"aggr0", disk}}, {{"aggr0", tree()}}, {{"n1", "aggr0", true, 31.5}});
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].property, "image_matches_memory");
  EXPECT_EQ(r.violations[0].detail,
            "aggr0: the disk image after n1's final CP at 31.500000 s differs from n1's memory at /c1/f1: on disk "
            "file mode 0 size 3 sha256 ba7816bf8f01..., in memory file mode 420 size 3 sha256 ba7816bf8f01...");
}

TEST(ImageMatchesMemory, APathOnlyOnOneSideDiffers) {
  runfolder::Tree memory = tree();
  memory.erase("/c1/f1");
  const ImageReport r = check({{"aggr0", tree()}}, {{"aggr0", memory}}, {{"n0", "aggr0", true, 2}});
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_NE(r.violations[0].detail.find("at /c1/f1: on disk file mode 420"), std::string::npos);
  EXPECT_NE(r.violations[0].detail.find(", in memory absent"), std::string::npos);
  // final-state.json without the aggregate at all: an empty image.
  const ImageReport none = check({}, {{"aggr0", tree()}}, {{"n0", "aggr0", true, 2}});
  ASSERT_EQ(none.violations.size(), 1u);
  EXPECT_NE(none.violations[0].detail.find("at /c1: on disk absent, in memory dir mode 493"), std::string::npos);
}

TEST(ImageMatchesMemory, AFinalCpThatDidNotFinishIsAViolationAndItsMemoryIsJudged) {
  runfolder::Tree disk = tree();
  disk.erase("/c1/f1");  // still in the log, not on disk
  const ImageReport r = check({{"aggr0", disk}, {"aggr1", tree()}}, {{"aggr0", tree()}, {"aggr1", tree()}},
                              {{"n0", "aggr0", false, 40}, {"n0", "aggr1", true, 40}});
  ASSERT_EQ(r.violations.size(), 1u);
  EXPECT_EQ(r.violations[0].detail,
            "aggr0: n0's final CP had not finished at 40.000000 s, so its disk image could not be compared with its "
            "memory (the history is judged against its memory instead)");
  EXPECT_EQ(r.judge_memory, std::set<std::string>{"aggr0"});
}

std::string error_of(const runfolder::Trees& disk, const runfolder::Trees& memory,
                     const std::vector<FinalCpSeen>& cps) {
  try {
    check(disk, memory, cps);
  } catch (const runfolder::FormatError& e) {
    return e.what();
  }
  return "no error";
}

TEST(ImageMatchesMemory, TheFilesAndTheEventsMustAgreeOnWhatWasServed) {
  EXPECT_EQ(error_of({{"aggr0", tree()}}, {}, {{"n0", "aggr0", true, 3}}),
            "r/memory-state.json: aggregates.aggr0: missing, and events.jsonl says n0 served it at 3.000000 s");
  EXPECT_EQ(error_of({{"aggr0", tree()}}, {{"aggr0", tree()}}, {}),
            "r/memory-state.json: aggregates.aggr0: no final_cp event in events.jsonl names this aggregate");
  // A compared aggregate of final-state.json is read field by field.
  json doc = runfolder::state_json({{"aggr0", tree()}});
  doc["aggregates"]["aggr0"]["/c1"]["mode"] = "rwx";
  const runfolder::Trees memory{{"aggr0", tree()}};
  try {
    check_image_matches_memory({doc, memory, "r/final-state.json", "r/memory-state.json"}, {{"n0", "aggr0", true, 3}});
    ADD_FAILURE() << "no error";
  } catch (const runfolder::FormatError& e) {
    EXPECT_EQ(std::string(e.what()),
              "r/final-state.json: aggregates.aggr0./c1.mode: expected an integer from 0 to 4294967295, found \"rwx\"");
  }
}

}  // namespace
}  // namespace failsim::checker
