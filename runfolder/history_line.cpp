// The canonical-form scanner and the nlohmann::json reference path.
#include "history_line.hpp"

#include <charconv>
#include <cstring>
#include <limits>

#include <nlohmann/json.hpp>

#include "runfolder/format_error.hpp"
#include "runfolder/json_text.hpp"

namespace failsim::runfolder {

namespace {

// ---- the scanner: accepts a strict subset of JSON, fails on anything else ----

// Whether [p, end) is printable ASCII without a backslash: eight bytes at a
// time (a byte at a time was a tenth of the reading time).
bool plain_ascii(const char* p, const char* end) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  for (; end - p >= 8; p += 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const std::uint64_t below_space = (w - 0x20 * ones) & ~w & highs;  // a byte < 0x20 (or >= 0x80)
    const std::uint64_t slash = w ^ ('\\' * ones);
    const std::uint64_t backslash = (slash - ones) & ~slash & highs;  // a byte == '\\'
    if ((w & highs) | below_space | backslash) return false;
  }
  for (; p < end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c == '\\' || c < 0x20 || c >= 0x80) return false;
  }
  return true;
}

class Scanner {
 public:
  explicit Scanner(std::string_view s) : p_(s.data()), end_(s.data() + s.size()) {}

  void skip_ws() {
    // The canonical form has no spaces: one test for the usual case.
    while (p_ < end_ && static_cast<unsigned char>(*p_) <= ' ' &&
           (*p_ == ' ' || *p_ == '\t' || *p_ == '\r' || *p_ == '\n'))
      ++p_;
  }
  bool eat(char c) {
    skip_ws();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  bool at_end() {
    skip_ws();
    return p_ == end_;
  }
  bool peek(char c) {
    skip_ws();
    return p_ < end_ && *p_ == c;
  }
  // A string of printable ASCII without escapes: anything else takes the
  // reference path (escapes, UTF-8 validation).
  bool string(std::string_view& out) {
    if (!eat('"')) return false;
    const char* close = static_cast<const char*>(std::memchr(p_, '"', static_cast<std::size_t>(end_ - p_)));
    if (!close) return false;
    if (!plain_ascii(p_, close)) return false;
    out = std::string_view(p_, static_cast<std::size_t>(close - p_));
    p_ = close + 1;
    return true;
  }
  // A JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool number_token(std::string_view& out, bool& integer) {
    skip_ws();
    const char* start = p_;
    auto digits = [&] {
      const char* d = p_;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      return p_ - d;
    };
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ == end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (digits() == 0) {
      return false;
    }
    integer = true;
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      integer = false;
      if (digits() == 0) return false;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      integer = false;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (digits() == 0) return false;
    }
    out = std::string_view(start, static_cast<std::size_t>(p_ - start));
    return true;
  }
  // An unsigned integer literal up to `max` (nlohmann::json converts
  // anything else - floats, negatives, larger values - in its own ways).
  bool unsigned_int(std::uint64_t& out, std::uint64_t max) {
    std::string_view tok;
    bool integer = false;
    if (!number_token(tok, integer) || !integer || tok.front() == '-') return false;
    auto [ptr, ec] = std::from_chars(tok.data(), tok.data() + tok.size(), out);
    return ec == std::errc() && ptr == tok.data() + tok.size() && out <= max;
  }
  // Any number, as nlohmann::json gives it as a double: integers through
  // 64-bit integers (so "-0" is 0.0), the rest correctly rounded.
  bool number(double& out) {
    std::string_view tok;
    bool integer = false;
    if (!number_token(tok, integer)) return false;
    const char* first = tok.data();
    const char* last = tok.data() + tok.size();
    if (integer) {
      if (tok.front() == '-') {
        std::int64_t i = 0;
        auto [ptr, ec] = std::from_chars(first, last, i);
        if (ec == std::errc() && ptr == last) {
          out = static_cast<double>(i);
          return true;
        }
      } else {
        std::uint64_t u = 0;
        auto [ptr, ec] = std::from_chars(first, last, u);
        if (ec == std::errc() && ptr == last) {
          out = static_cast<double>(u);
          return true;
        }
      }
      // Out of the integer range: nlohmann::json reads it as a float.
    }
    auto [ptr, ec] = std::from_chars(first, last, out);
    return ec == std::errc() && ptr == last;
  }

 private:
  const char* p_;
  const char* end_;
};

// Reads the members of an object, calling member(key) for each, which must
// read the value; fails on a repeated key (the reference path keeps the
// last value, not worth copying here).
template <class Member>
bool object(Scanner& s, Member&& member) {
  if (!s.eat('{')) return false;
  if (s.eat('}')) return true;
  std::uint32_t seen = 0;
  do {
    std::string_view key;
    if (!s.string(key) || !s.eat(':')) return false;
    const int bit = member(key);
    if (bit < 0 || (seen & (1u << bit))) return false;
    seen |= 1u << bit;
  } while (s.eat(','));
  return s.eat('}');
}

// The keys the scanner knows, told apart by length and first letter before
// one comparison (a chain of comparisons was a tenth of the reading time).
enum class Key { none, client, xid, time_s, type, aggregate, result, op, f, path, from, to, data, mode, offset, size };
template <std::size_t N>
bool same(std::string_view k, const char (&name)[N]) {  // a comparison of known length, inlined
  return k.size() == N - 1 && std::memcmp(k.data(), name, N - 1) == 0;
}
Key key_of(std::string_view k) {
  auto is = [&](const auto& name, Key key) { return same(k, name) ? key : Key::none; };
  switch (k.size()) {
    case 1: return is("f", Key::f);
    case 2: return k[0] == 'o' ? is("op", Key::op) : is("to", Key::to);
    case 3: return is("xid", Key::xid);
    case 4:
      switch (k[0]) {
        case 't': return is("type", Key::type);
        case 'p': return is("path", Key::path);
        case 'f': return is("from", Key::from);
        case 'd': return is("data", Key::data);
        case 'm': return is("mode", Key::mode);
        case 's': return is("size", Key::size);
      }
      return Key::none;
    case 6:
      switch (k[0]) {
        case 'c': return is("client", Key::client);
        case 't': return is("time_s", Key::time_s);
        case 'r': return is("result", Key::result);
        case 'o': return is("offset", Key::offset);
      }
      return Key::none;
    case 9: return is("aggregate", Key::aggregate);
  }
  return Key::none;
}

bool scan_op(Scanner& s, HistoryLine& out, bool& has_f, bool& has_path, bool& has_from, bool& has_to,
             std::string_view& f, std::string_view& path, std::string_view& from) {
  return object(s, [&](std::string_view key) -> int {
    std::uint64_t n = 0;
    switch (key_of(key)) {
      case Key::f: return (has_f = s.string(f)) ? 0 : -1;
      case Key::path: return (has_path = s.string(path)) ? 1 : -1;
      case Key::from: return (has_from = s.string(from)) ? 2 : -1;
      case Key::to: return (has_to = s.string(out.to)) ? 3 : -1;
      case Key::data: return s.string(out.data) ? 4 : -1;
      case Key::mode:
        if (!s.unsigned_int(n, std::numeric_limits<std::uint32_t>::max())) return -1;
        out.mode = static_cast<std::uint32_t>(n);
        return 5;
      case Key::offset: return s.unsigned_int(out.offset, std::numeric_limits<std::uint64_t>::max()) ? 6 : -1;
      case Key::size: return s.unsigned_int(out.size, std::numeric_limits<std::uint64_t>::max()) ? 7 : -1;
      default: return -1;
    }
  });
}

// ---- the reference path: nlohmann::json, every field checked ----

// A field of the line: present and of its type, integers in range with no
// conversion (nlohmann::json's get<> would wrap 2^32+1 to 1 and turn 2^64,
// read as a float, into anything). Errors name the field.
const nlohmann::json& field(const nlohmann::json& j, const char* name, const char* where = "") {
  if (!j.is_object()) throw FormatError(std::string(where) + ": expected an object");
  auto it = j.find(name);
  if (it == j.end()) throw FormatError(std::string(where) + name + ": missing");
  return *it;
}
std::uint64_t unsigned_field(const nlohmann::json& v, const std::string& name, std::uint64_t max) {
  if (!v.is_number_unsigned() || v.get<std::uint64_t>() > max)
    throw FormatError(name + ": expected an integer from 0 to " + std::to_string(max) + ", found " + clip_json(v));
  return v.get<std::uint64_t>();
}
std::string string_field(const nlohmann::json& v, const std::string& name) {
  if (!v.is_string()) throw FormatError(name + ": expected a string, found " + clip_json(v));
  return v.get<std::string>();
}
double time_field(const nlohmann::json& e) {
  const nlohmann::json& v = field(e, "time_s");
  if (!v.is_number()) throw FormatError("time_s: expected a number, found " + clip_json(v));
  return v.get<double>();
}

model::Change change_from(const nlohmann::json& op, model::ClientId client, model::Xid xid) {
  if (!op.is_object()) throw FormatError("op: expected an object, found " + clip_json(op));
  model::Change c;
  c.client = client;
  c.xid = xid;
  const std::string f = string_field(field(op, "f", "op."), "op.f");
  auto type = model::op_type_from_string(f);
  if (!type) throw FormatError("op.f: unknown op " + clip(f));
  c.type = *type;
  if (c.type == model::OpType::rename) {
    c.path = string_field(field(op, "from", "op."), "op.from");
    c.to = string_field(field(op, "to", "op."), "op.to");
  } else {
    c.path = string_field(field(op, "path", "op."), "op.path");
  }
  if (op.contains("mode"))
    c.mode = static_cast<std::uint32_t>(unsigned_field(op["mode"], "op.mode", std::numeric_limits<std::uint32_t>::max()));
  if (op.contains("offset")) c.offset = unsigned_field(op["offset"], "op.offset", std::numeric_limits<std::uint64_t>::max());
  if (op.contains("size")) c.size = unsigned_field(op["size"], "op.size", std::numeric_limits<std::uint64_t>::max());
  if (op.contains("data")) c.data = string_field(op["data"], "op.data");
  return c;
}

}  // namespace

bool scan_history_line(std::string_view line, HistoryLine& out) {
  Scanner s(line);
  bool has_client = false, has_xid = false, has_time = false, has_type = false, has_aggregate = false,
       has_op = false, has_result = false;
  bool has_f = false, has_path = false, has_from = false, has_to = false;
  std::string_view type, result, f, path, from;
  out.to = out.data = {};
  out.mode = 0;
  out.offset = out.size = 0;
  const bool parsed = object(s, [&](std::string_view key) -> int {
    std::uint64_t n = 0;
    switch (key_of(key)) {
      case Key::client:
        if (!s.unsigned_int(n, std::numeric_limits<model::ClientId>::max())) return -1;
        out.client = static_cast<model::ClientId>(n);
        has_client = true;
        return 0;
      case Key::xid: return (has_xid = s.unsigned_int(out.xid, std::numeric_limits<model::Xid>::max())) ? 1 : -1;
      case Key::time_s: return (has_time = s.number(out.time_s)) ? 2 : -1;
      case Key::type: return (has_type = s.string(type)) ? 3 : -1;
      case Key::aggregate: return (has_aggregate = s.string(out.aggregate)) ? 4 : -1;
      case Key::result: return (has_result = s.string(result)) ? 5 : -1;
      case Key::op:
        return (has_op = s.peek('{') && scan_op(s, out, has_f, has_path, has_from, has_to, f, path, from)) ? 6 : -1;
      default: return -1;
    }
  });
  if (!parsed || !s.at_end() || !has_client || !has_xid || !has_time || !has_type) return false;
  if (type == "invoke") {
    if (!has_aggregate || !has_op || !has_f) return false;
    auto t = model::op_type_from_string(f);
    if (!t) return false;
    out.kind = HistoryLine::Kind::invoke;
    out.type = *t;
    if (*t == model::OpType::rename) {
      if (!has_from || !has_to) return false;
      out.path = from;
    } else {
      if (!has_path) return false;
      out.path = path;
      out.to = {};
    }
    return true;
  }
  if (type == "ok") {
    if (!has_result) return false;
    auto r = model::result_from_string(result);
    if (!r) return false;
    out.kind = HistoryLine::Kind::ok;
    out.result = *r;
    return true;
  }
  if (type != "info") return false;  // an unknown type: the reference path names it
  out.kind = HistoryLine::Kind::other;
  return true;
}

void parse_history_line(std::string_view line, const std::function<bool(model::ClientId, model::Xid)>& invoked,
                        HistoryLine& out) {
  using nlohmann::json;
  out.offset = out.size = 0;
  out.mode = 0;
  out.aggregate = out.path = out.to = out.data = {};
  json e = json::parse(line);
  if (!e.is_object()) throw FormatError("expected a JSON object, found " + clip_json(e));
  out.client = static_cast<model::ClientId>(
      unsigned_field(field(e, "client"), "client", std::numeric_limits<model::ClientId>::max()));
  out.xid = unsigned_field(field(e, "xid"), "xid", std::numeric_limits<model::Xid>::max());
  const std::string type = string_field(field(e, "type"), "type");
  if (type == "invoke") {
    model::Change c = change_from(field(e, "op"), out.client, out.xid);
    out.owned[0] = string_field(field(e, "aggregate"), "aggregate");
    out.time_s = time_field(e);
    out.kind = HistoryLine::Kind::invoke;
    out.type = c.type;
    out.owned[1] = std::move(c.path);
    out.owned[2] = std::move(c.to);
    out.owned[3] = std::move(c.data);
    out.aggregate = out.owned[0];
    out.path = out.owned[1];
    out.to = out.owned[2];
    out.data = out.owned[3];
    out.offset = c.offset;
    out.size = c.size;
    out.mode = c.mode;
    return;
  }
  if (type != "ok" && type != "info")
    throw FormatError("type: unknown value " + clip_json(e["type"]) + " (expected invoke, ok or info)");
  if (!invoked(out.client, out.xid)) throw FormatError("completion of an op never invoked");
  out.time_s = time_field(e);
  out.kind = HistoryLine::Kind::other;
  if (type == "ok") {
    const std::string result = string_field(field(e, "result"), "result");
    auto r = model::result_from_string(result);
    if (!r) throw FormatError("result: unknown value " + clip(result));
    out.kind = HistoryLine::Kind::ok;
    out.result = *r;
  }
}

std::string op_name(model::OpType type) { return std::string(model::to_string(type)); }
std::string result_name(model::Result result) { return std::string(model::to_string(result)); }

}  // namespace failsim::runfolder
