// The problems found in one scenario file, each "FILE: WHERE: what was
// expected", plus the small helpers that word them (nearest-name suggestions,
// numbers without spurious ".0"). Internal to sim/scenario, and used by the
// sweep reader (sweep/) so that sweep files are worded the same way.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace failsim::sim::detail {

// A file with hundreds of problems usually has one cause; a screenful is
// enough, and the count of the rest says how bad it is.
inline constexpr std::size_t max_problems = 20;

class Problems {
 public:
  explicit Problems(std::string file) : file_(std::move(file)) {}
  // `where` is a JSON path ("$.faults[2].node") or a text position
  // ("line 3, column 7").
  void add(const std::string& where, const std::string& what);
  bool empty() const { return lines_.empty(); }
  const std::string& file() const { return file_; }
  // The lines to report, with a last line counting the ones left out.
  std::vector<std::string> lines() const;

 private:
  std::string file_;
  std::vector<std::string> lines_;
  std::size_t dropped_ = 0;
};

std::size_t edit_distance(std::string_view a, std::string_view b);
// " (did you mean 'x'?)" for the candidate nearest to `word`, when it is near
// enough to be a plausible typo; "" otherwise.
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates);
// 4096 as "4096", 0.5 as "0.5", 1e-06 as "1e-06": integral values without ".0".
std::string number_text(double v);
// "found 3", "found \"abc\"", "found an object": what a value was, for "expected X, found Y".
std::string found(const nlohmann::json& v);
// "\"a\", \"b\" or \"c\"".
std::string quoted_list(const std::vector<std::string>& words);
// At most `max_bytes` of `s`, cut at a character boundary, with "..." when cut.
std::string clip(const std::string& s, std::size_t max_bytes);
// The JSON path of `key` inside the object at `parent`: "$.a.b", or
// "$.a['odd key']" when the key is not a plain name.
std::string key_path(const std::string& parent, const std::string& key);

}  // namespace failsim::sim::detail
