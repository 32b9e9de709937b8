// Path splitting and validation.
#include "path.hpp"

#include "disk_format.hpp"

namespace failsim::model {

std::optional<std::vector<std::string_view>> split_path(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::vector<std::string_view> comps;
  if (path.size() == 1) return comps;
  std::size_t pos = 1;
  while (true) {
    std::size_t end = path.find('/', pos);
    std::string_view name = path.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    if (name.empty() || name.size() > max_name_bytes || name == "." || name == ".." ||
        name.find('\0') != std::string_view::npos)
      return std::nullopt;
    comps.push_back(name);
    if (end == std::string_view::npos) return comps;
    pos = end + 1;
  }
}

}  // namespace failsim::model
