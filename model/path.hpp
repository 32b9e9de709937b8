// Path syntax shared by the core and its users: absolute, normalised paths
// ("/a/b"), components of 1..255 bytes without '/' or NUL, no "." or "..".
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace failsim::model {

// The components of an absolute path ("/" has none); nothing when malformed.
std::optional<std::vector<std::string_view>> split_path(std::string_view path);

}  // namespace failsim::model
