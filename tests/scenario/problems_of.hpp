// Test helpers: the problems a scenario text gives, and an assertion that
// one of them is at a JSON path (or text position) and says what was expected.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "sim/scenario/scenario_json.hpp"

namespace failsim::test {

// The problem lines for `text` read as "test.json"; "" when it is valid.
inline std::string problems_of(const std::string& text) {
  try {
    sim::parse_scenario(text, "test.json");
  } catch (const sim::ScenarioError& e) {
    return e.what();
  }
  return "";
}

// A line "test.json: WHERE: ..." that contains WHAT.
inline ::testing::AssertionResult has_problem(const std::string& text, const std::string& where, const std::string& what) {
  const std::string all = problems_of(text);
  const std::string head = "test.json: " + where + ": ";
  std::size_t start = 0;
  while (start < all.size()) {
    std::size_t end = all.find('\n', start);
    if (end == std::string::npos) end = all.size();
    const std::string line = all.substr(start, end - start);
    if (line.starts_with(head) && line.find(what) != std::string::npos) return ::testing::AssertionSuccess();
    start = end + 1;
  }
  const std::string shown = text.size() > 300 ? text.substr(0, 300) + "..." : text;
  return ::testing::AssertionFailure() << "no problem \"" << head << "..." << what << "...\" for " << shown
                                       << "\ngot: " << (all.empty() ? "(valid)" : all);
}

}  // namespace failsim::test
