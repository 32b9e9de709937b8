// Clipped text for error messages.
#include "json_text.hpp"

#include <nlohmann/json.hpp>

namespace failsim::runfolder {

std::string clip(std::string_view s, std::size_t max) {
  if (s.size() <= max) return std::string(s);
  return std::string(s.substr(0, max)) + "... (" + std::to_string(s.size()) + " bytes)";
}

std::string clip_json(const nlohmann::json& v, std::size_t max) {
  // Dumped with invalid UTF-8 replaced: a message is text.
  return clip(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), max);
}

}  // namespace failsim::runfolder
