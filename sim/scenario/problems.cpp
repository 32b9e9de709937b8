// Collecting and wording scenario problems.
#include "sim/scenario/problems.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <nlohmann/json.hpp>

namespace failsim::sim::detail {

namespace {

// Control characters (from a file name, a key or a value) written as escapes,
// so that every problem stays on one line.
std::string one_line(const std::string& s) {
  std::string out;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (u < 0x20 || u == 0x7F) {
      static const char* hex = "0123456789ABCDEF";
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void Problems::add(const std::string& where, const std::string& what) {
  if (lines_.size() < max_problems) lines_.push_back(one_line(file_ + ": " + where + ": " + what));
  else ++dropped_;
}

std::vector<std::string> Problems::lines() const {
  std::vector<std::string> out = lines_;
  if (dropped_ > 0)
    out.push_back(file_ + ": $: " + std::to_string(dropped_) + " more problem" + (dropped_ == 1 ? "" : "s") +
                  " not shown");
  return out;
}

// Edits between a and b: insertions, deletions, substitutions, and swaps of
// two neighbouring letters ("nmae" -> "name" is one mistake, not two).
std::size_t edit_distance(std::string_view a, std::string_view b) {
  // Three rows of the optimal-string-alignment table: i-2, i-1, i.
  std::vector<std::size_t> before(b.size() + 1), prev(b.size() + 1), row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[j] = std::min(row[j], before[j - 2] + 1);
    }
    std::swap(before, prev);
    std::swap(prev, row);
  }
  return prev[b.size()];
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates) {
  // Up to a third of the word may be wrong (at least 1, at most 3 edits):
  // "clents" -> "clients", but "zzz" suggests nothing rather than noise.
  const std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 3);
  const std::string* best = nullptr;
  std::size_t best_d = limit + 1;
  for (const auto& c : candidates) {
    // A key without its unit ("at" for "at_s") is one mistake, however long
    // the unit.
    const bool unit_left_out = word.size() >= 2 && c.starts_with(word) && c[word.size()] == '_';
    const std::size_t d = unit_left_out ? 1 : edit_distance(word, c);
    if (d < best_d) best_d = d, best = &c;
  }
  return best ? " (did you mean '" + *best + "'?)" : "";
}

std::string number_text(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return nlohmann::json(v).dump();
}

std::string clip(const std::string& s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return s.substr(0, cut) + "...";
}

std::string key_path(const std::string& parent, const std::string& key) {
  const bool plain = !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0])) &&
                     std::all_of(key.begin(), key.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                     });
  if (plain) return parent + "." + key;
  std::string escaped;
  for (char c : key) escaped += c == '\'' || c == '\\' ? std::string("\\") + c : std::string(1, c);
  return parent + "['" + escaped + "']";
}

std::string found(const nlohmann::json& v) {
  if (v.is_string()) {
    const std::string s = v.dump();
    return "found " + (s.size() > 40 ? clip(s, 37) + "\"" : s);
  }
  if (v.is_number() || v.is_boolean() || v.is_null()) return "found " + v.dump();
  return std::string("found an ") + v.type_name();
}

std::string quoted_list(const std::vector<std::string>& words) {
  std::string s;
  for (std::size_t i = 0; i < words.size(); ++i)
    s += (i == 0 ? "" : i + 1 == words.size() ? " or " : ", ") + ("\"" + words[i] + "\"");
  return s;
}

}  // namespace failsim::sim::detail
