// POSIX spellings of Result values.
#include "result.hpp"

#include <array>

namespace failsim::model {

namespace {
constexpr std::array<std::string_view, 10> result_names = {
    "OK", "ENOENT", "EEXIST", "ENOTDIR", "EISDIR", "ENOTEMPTY", "EINVAL", "EBUSY", "EFBIG", "ENOSPC"};
}

std::string_view to_string(Result r) { return result_names.at(static_cast<std::size_t>(r)); }

std::optional<Result> result_from_string(std::string_view s) {
  for (std::size_t i = 0; i < result_names.size(); ++i)
    if (result_names[i] == s) return static_cast<Result>(i);
  return std::nullopt;
}

}  // namespace failsim::model
