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

rc::Gen<CrashCase> crash_cases() {
  return rc::gen::build<CrashCase>(
      rc::gen::set(&CrashCase::seed, rc::gen::arbitrary<std::uint64_t>()),
      rc::gen::set(&CrashCase::mode, rc::gen::element(LogMode::request, LogMode::block)),
      rc::gen::set(&CrashCase::plexes, rc::gen::inRange(1, 3)),
      rc::gen::set(&CrashCase::clients, rc::gen::inRange(1, 5)),
      rc::gen::set(&CrashCase::ops_per_client, rc::gen::inRange(2, 60)),
      rc::gen::set(&CrashCase::victim, rc::gen::inRange(0, 2)),
      rc::gen::set(&CrashCase::takeover, rc::gen::arbitrary<bool>()),
      rc::gen::set(&CrashCase::crash_at_action, rc::gen::inRange<std::uint64_t>(1, 600)),
      rc::gen::set(&CrashCase::giveback_delay_steps, rc::gen::inRange<std::uint64_t>(0, 300)));
}

RC_GTEST_PROP(CrashRecovery, AckedChangesApplyExactlyOnceInClientOrder, ()) {
  const CrashCase cc = *crash_cases();
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
