// From the bytes of a scenario file to a JSON value, refusing what the JSON
// parser would choke on or silently accept: empty input, text that is not
// UTF-8, nesting deep enough to exhaust the stack, numbers out of range, and
// keys given twice (the parser would keep the last one without a word).
// Internal to sim/scenario, and used by the sweep reader (sweep/).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/scenario/problems.hpp"

namespace failsim::sim::detail {

// Deeper than any scenario needs (it needs 6) and shallow enough for any stack.
inline constexpr int max_json_depth = 64;

// The JSON value, or nullopt with the reasons in `p`.
std::optional<nlohmann::json> parse_json_text(const std::string& text, Problems& p);

// "line 3, column 7" for a byte offset; columns count characters, not bytes.
std::string text_position(const std::string& text, std::size_t byte);

}  // namespace failsim::sim::detail
