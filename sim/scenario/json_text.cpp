// Text-level checks of scenario files, and the JSON parse itself.
#include "sim/scenario/json_text.hpp"

#include <cstdio>
#include <set>
#include <vector>

namespace failsim::sim::detail {

using nlohmann::json;

namespace {

// Offset of the first byte that is not part of well-formed UTF-8 (no overlong
// forms, no surrogates, nothing above U+10FFFF), or npos.
std::size_t first_bad_utf8(const std::string& s) {
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned c = b[i];
    std::size_t len;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (c < 0x80) len = 1;
    else if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c >= 0xE0 && c <= 0xEF) len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4) len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else return i;
    for (std::size_t k = 1; k < len; ++k) {
      if (i + k >= n) return i;
      const unsigned d = b[i + k];
      if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF)) return i;
    }
    i += len;
  }
  return std::string::npos;
}

// Offset of the bracket that opens level max_json_depth + 1, or npos. A
// quick scan of brackets outside strings, done before parsing because the
// parser and the value it builds recurse once per level.
std::size_t too_deep_at(const std::string& text) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_json_depth) return i;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return std::string::npos;
}

// nlohmann's message without its "[json.exception...] parse error at line L,
// column C: " prefix: the position is given once, by us.
// The token nlohmann quotes ("last read: '...'") may be a whole 60 MiB
// string: it is cut to its first 40 bytes, with its length.
std::string bare_message(const std::string& what) {
  const std::size_t at = what.find("parse error");
  std::string m = what;
  if (at != std::string::npos) {
    const std::size_t colon = what.find(": ", at);
    if (colon != std::string::npos) m = what.substr(colon + 2);
  }
  const std::string marker = "last read: '";
  const std::size_t token = m.find(marker);
  if (token != std::string::npos && m.size() - token - marker.size() > 41) {
    const std::size_t from = token + marker.size(), length = m.size() - from - 1;  // without the closing quote
    m = m.substr(0, from + 40) + "...' (" + std::to_string(length) + " bytes)";
  }
  if (m.size() > 400) m = m.substr(0, 400) + "...";
  return m;
}

// Keys given twice in one object, found as the parser goes (it keeps only
// the last value). Tracks the JSON path of every container it is inside.
// A SAX handler around nlohmann's own DOM builder: the parser's callback
// form rescans a whole array at the end of every object in it (nlohmann
// 3.11.2), so 400,000 faults took 84 s before the max-items check could
// refuse them; this is linear.
class DuplicateKeys : public nlohmann::json_sax<json> {
 public:
  DuplicateKeys(Problems& p, json& out) : p_(p), dom_(out, true) {}

  bool null() override { return value(), dom_.null(); }
  bool boolean(bool v) override { return value(), dom_.boolean(v); }
  bool number_integer(number_integer_t v) override { return value(), dom_.number_integer(v); }
  bool number_unsigned(number_unsigned_t v) override { return value(), dom_.number_unsigned(v); }
  bool number_float(number_float_t v, const string_t& s) override { return value(), dom_.number_float(v, s); }
  bool string(string_t& v) override { return value(), dom_.string(v); }
  bool binary(binary_t& v) override { return value(), dom_.binary(v); }
  bool start_object(std::size_t n) override {
    frames_.push_back({false, 0, child_path(), {}, {}});
    return dom_.start_object(n);
  }
  bool key(string_t& k) override {
    Frame& f = frames_.back();
    f.key = k;
    if (!f.keys.insert(f.key).second) p_.add(key_path(f.path, f.key), "key given twice (only one value is allowed)");
    return dom_.key(k);
  }
  bool end_object() override {
    frames_.pop_back();
    return dom_.end_object();
  }
  bool start_array(std::size_t n) override {
    frames_.push_back({true, 0, child_path(), {}, {}});
    return dom_.start_array(n);
  }
  bool end_array() override {
    frames_.pop_back();
    return dom_.end_array();
  }
  bool parse_error(std::size_t at, const std::string& token, const nlohmann::detail::exception& e) override {
    // Thrown with its own type, as json::parse throws it (the base class
    // reference would slice it to nlohmann::detail::exception).
    if (const auto* pe = dynamic_cast<const json::parse_error*>(&e)) throw *pe;
    if (const auto* range = dynamic_cast<const json::out_of_range*>(&e)) throw *range;
    return dom_.parse_error(at, token, e);
  }

 private:
  struct Frame {
    bool array;
    std::size_t next_index;
    std::string path;
    std::set<std::string> keys;
    std::string key;
  };
  void value() { child_path(); }  // counts the item in an array
  // The path of the value starting now, inside the innermost container.
  std::string child_path() {
    if (frames_.empty()) return "$";
    Frame& f = frames_.back();
    if (f.array) return f.path + "[" + std::to_string(f.next_index++) + "]";
    return key_path(f.path, f.key);
  }
  Problems& p_;
  nlohmann::detail::json_sax_dom_parser<json> dom_;
  std::vector<Frame> frames_;
};

}  // namespace

std::string text_position(const std::string& text, std::size_t byte) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') line += 1, col = 1;
    else if ((c & 0xC0) != 0x80) ++col;  // UTF-8 continuation bytes are part of the previous character
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

std::optional<json> parse_json_text(const std::string& text, Problems& p) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    p.add("$", text.empty() ? "empty file: expected a JSON object" : "only white space: expected a JSON object");
    return std::nullopt;
  }
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
    p.add("line 1, column 1", "UTF-16 text: expected UTF-8 (save the file as UTF-8)");
    return std::nullopt;
  }
  if (const std::size_t bad = first_bad_utf8(text); bad != std::string::npos) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
    p.add(text_position(text, bad), std::string("not valid UTF-8 (byte ") + hex + "): expected UTF-8 text");
    return std::nullopt;
  }
  if (const std::size_t deep = too_deep_at(text); deep != std::string::npos) {
    p.add(text_position(text, deep),
          "nested deeper than " + std::to_string(max_json_depth) + " levels: expected a scenario (6 levels at most)");
    return std::nullopt;
  }
  try {
    json j;
    DuplicateKeys duplicates(p, j);
    json::sax_parse(text, &duplicates);
    if (!j.is_object()) {
      p.add("$", "expected an object, found " + (j.is_array() ? std::string("an array") : clip(j.dump(), 40)));
      return std::nullopt;
    }
    return j;
  } catch (const json::parse_error& e) {
    // e.byte counts from 1 and points just past the offending character.
    p.add(text_position(text, e.byte > 0 ? e.byte - 1 : 0), "malformed JSON: " + bare_message(e.what()));
  } catch (const json::out_of_range& e) {
    // Numbers beyond a double (1e400): the parser gives no position, but
    // quotes the number.
    const std::string what = e.what();
    const std::size_t q1 = what.find('\''), q2 = what.rfind('\'');
    const std::string number = q1 != std::string::npos && q2 > q1 ? what.substr(q1 + 1, q2 - q1 - 1) : "";
    const std::size_t at = number.empty() ? std::string::npos : text.find(number);
    p.add(at == std::string::npos ? "$" : text_position(text, at),
          "number " + (number.size() > 40 ? number.substr(0, 40) + "... (" + std::to_string(number.size()) + " digits)" : number) +
              " is out of range: expected a number a double can hold");
  } catch (const json::exception& e) {
    p.add("$", "malformed JSON: " + bare_message(e.what()));
  }
  return std::nullopt;
}

}  // namespace failsim::sim::detail
