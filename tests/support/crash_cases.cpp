// The generator of the crash property's cases.
#include "crash_scenario.hpp"

namespace failsim::testing {

using model::LogMode;

rc::Gen<CrashCase> crash_cases() {
  return rc::gen::build<CrashCase>(
      rc::gen::set(&CrashCase::seed, rc::gen::arbitrary<std::uint64_t>()),
      rc::gen::set(&CrashCase::mode, rc::gen::element(LogMode::request, LogMode::block)),
      rc::gen::set(&CrashCase::ack_after_disk, rc::gen::arbitrary<bool>()),
      rc::gen::set(&CrashCase::plexes, rc::gen::inRange(1, 3)),
      rc::gen::set(&CrashCase::clients, rc::gen::inRange(1, 5)),
      rc::gen::set(&CrashCase::ops_per_client, rc::gen::inRange(2, 60)),
      rc::gen::set(&CrashCase::victim, rc::gen::inRange(0, 2)),
      rc::gen::set(&CrashCase::takeover, rc::gen::arbitrary<bool>()),
      rc::gen::set(&CrashCase::crash_at_action, rc::gen::inRange<std::uint64_t>(1, 600)),
      rc::gen::set(&CrashCase::giveback_delay_steps, rc::gen::inRange<std::uint64_t>(0, 300)),
      rc::gen::set(&CrashCase::giveback_during_cp, rc::gen::arbitrary<bool>()),
      rc::gen::set(&CrashCase::battery_lost, rc::gen::element(false, false, false, true)));
}

}  // namespace failsim::testing
