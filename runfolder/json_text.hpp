// Text of a run folder's values for error messages, clipped: a 100 MB
// malformed line must not become a 100 MB message.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace failsim::runfolder {

// At most `max` bytes of `s`, with the length of the rest.
std::string clip(std::string_view s, std::size_t max = 80);
// A JSON value, clipped the same way.
std::string clip_json(const nlohmann::json& v, std::size_t max = 80);

}  // namespace failsim::runfolder
