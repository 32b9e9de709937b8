// The core's central promise, as a property: for any workload, any crash
// point (while logging locally, while mirroring, between mirror and reply,
// at any block write of a CP, torn writes included) and either recovery path
// (the node's own restart, or its partner's takeover and a later giveback),
// every acknowledged change is applied exactly once, in each client's order,
// and every on-disk image passes fsck after every CP and every crash.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "support/crash_scenario.hpp"

namespace failsim {
namespace {

using namespace model;
using testing::CrashCase;
using testing::run_crash_case;

RC_GTEST_PROP(CrashRecovery, AckedChangesApplyExactlyOnceInClientOrder, ()) {
  const CrashCase cc = *testing::crash_cases();
  RC_TAG(cc.takeover ? "takeover" : "own restart", to_string(cc.mode));
  testing::CrashOutcome out = run_crash_case(cc);
  if (!out.failure.empty()) RC_FAIL(out.failure);
}

TEST(CrashRecovery, TakeoverInBothDirections) {
  for (int victim = 0; victim < 2; ++victim)
    for (LogMode mode : {LogMode::request, LogMode::block}) {
      CrashCase cc;
      cc.seed = 7 + victim;
      cc.mode = mode;
      cc.victim = victim;
      cc.takeover = true;
      cc.clients = 4;
      cc.crash_at_action = 120;
      testing::CrashOutcome out = run_crash_case(cc);
      EXPECT_EQ(out.failure, "") << cc;
    }
}

}  // namespace
}  // namespace failsim
