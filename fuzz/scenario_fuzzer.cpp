// libFuzzer target: the scenario reader (sim/scenario) on arbitrary bytes.
// Bad input must become a ScenarioError - never another exception, a crash, a
// hang or a huge allocation - and a scenario it accepts must round-trip:
// its full JSON (every default filled in) reads back to the same scenario,
// as the run folder's scenario.json relies on.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sim/scenario/scenario_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace failsim::sim;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Scenario s;
  try {
    s = parse_scenario(text, "fuzz.json");
  } catch (const ScenarioError& e) {
    if (e.problems.empty()) {
      std::fprintf(stderr, "scenario_fuzzer: a ScenarioError without a problem\n");
      std::abort();
    }
    return 0;
  }
  const std::string again = to_json(s).dump();
  try {
    if (!(parse_scenario(again, "fuzz-roundtrip.json") == s)) {
      std::fprintf(stderr, "scenario_fuzzer: the round trip changed the scenario:\n%s\n", again.c_str());
      std::abort();
    }
  } catch (const ScenarioError& e) {
    std::fprintf(stderr, "scenario_fuzzer: the written scenario does not read back: %s\n%s\n", e.what(), again.c_str());
    std::abort();
  }
  return 0;
}
