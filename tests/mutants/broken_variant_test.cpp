// Proves the checks can fail: this test is built once per broken variant of
// the core (model/mutants.hpp) and once for the correct core. It runs the
// crash property's cases (the same seeded sequence for every build) and
// expects the variant to be caught within a stated number of cases - and the
// correct core never to be. A caught case is shrunk, and its size reported.
#include <gtest/gtest.h>

#include <iostream>

#include "support/crash_scenario.hpp"

namespace failsim {
namespace {

constexpr int max_cases = 400;
constexpr std::uint64_t seed = 20261125;

TEST(BrokenVariant, FAILSIM_TEST_NAME) {
  const auto gen = testing::crash_cases();
  for (int i = 0; i < max_cases; ++i) {
    auto shrinkable = gen(rc::Random(seed + i), 1 + i % 100);
    const auto first = testing::run_crash_case(shrinkable.value());
    if (first.failure.empty()) continue;
    // Shrink: keep the first smaller case that still fails, until none does.
    int runs = 0;
    std::string why = first.failure;
    for (bool smaller = true; smaller && runs < 500;) {
      smaller = false;
      auto candidates = shrinkable.shrinks();
      while (runs < 500) {
        auto next = candidates.next();
        if (!next) break;
        ++runs;
        auto out = testing::run_crash_case(next->value());
        if (!out.failure.empty()) {
          shrinkable = std::move(*next);
          why = out.failure;
          smaller = true;
          break;
        }
      }
    }
    const testing::CrashCase c = shrinkable.value();
    std::cout << FAILSIM_VARIANT << ": caught at case " << i + 1 << " of " << max_cases << "; shrunk in " << runs
              << " runs to " << c.clients << " client(s) x " << c.ops_per_client << " changes, crash at action "
              << c.crash_at_action << (c.takeover ? ", takeover" : ", restart") << ", " << c.plexes
              << " plex(es), " << to_string(c.mode) << " logging\n  " << why << "\n";
    EXPECT_TRUE(FAILSIM_EXPECT_CAUGHT) << "the correct core failed: " << c << "\n" << why;
    return;
  }
  std::cout << FAILSIM_VARIANT << ": not caught in " << max_cases << " cases\n";
  EXPECT_FALSE(FAILSIM_EXPECT_CAUGHT) << FAILSIM_VARIANT << " was not caught within " << max_cases << " cases";
}

}  // namespace
}  // namespace failsim
