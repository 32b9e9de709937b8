// Fixed-point numbers, HTML escaping, CSV quoting.
#include "format.hpp"

#include <array>
#include <cassert>
#include <charconv>
#include <cmath>

namespace failsim::reports {

std::string fixed(double value, int decimals) {
  assert(decimals >= 0 && decimals <= 12);
  if (!std::isfinite(value)) return "nan";
  std::array<char, 64> buf{};
  auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value, std::chars_format::fixed, decimals);
  if (ec != std::errc{}) return "nan";  // beyond 1e50: no figure of a run is
  std::string s(buf.data(), end);
  if (s.starts_with('-') && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace failsim::reports
