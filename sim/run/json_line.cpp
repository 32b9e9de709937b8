// JSON text as nlohmann::json dumps it.
#include "json_line.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

#include <nlohmann/json.hpp>

namespace failsim::sim::json_line {

namespace {
// Whether `s` is printable ASCII without '"' or '\\': written as it is.
// Eight bytes at a time; the payloads are most of a history's bytes.
bool plain(std::string_view s) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  auto has_byte = [&](std::uint64_t w, unsigned char b) {
    const std::uint64_t x = w ^ (b * ones);
    return ((x - ones) & ~x & highs) != 0;
  };
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    const std::uint64_t below_space = (w - 0x20 * ones) & ~w & highs;  // a byte < 0x20 (when none is >= 0x80)
    if ((w & highs) || below_space || has_byte(w, '"') || has_byte(w, '\\')) return false;
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return false;
  }
  return true;
}
}  // namespace

void append_string(std::string& out, std::string_view s) {
  if (!plain(s)) {
    // Escapes and UTF-8 (validated, or an exception): nlohmann::json's own.
    out += nlohmann::json(std::string(s)).dump();
    return;
  }
  out += '"';
  out.append(s);
  out += '"';
}

void append_double(std::string& out, double x) {
  if (!std::isfinite(x)) {
    out += "null";
    return;
  }
  char buf[64];
  // The routine nlohmann::json's serializer calls for a double (Grisu2).
  char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, x);
  out.append(buf, static_cast<std::size_t>(end - buf));
}

void append_uint(std::string& out, std::uint64_t x) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  out.append(buf, static_cast<std::size_t>(end - buf));
}

namespace {
void key(std::string& out, const char* k) {  // `k` needs no escaping
  out += '"';
  out += k;
  out += "\":";
}
}  // namespace

void append_op(std::string& out, const model::Change& c) {
  using model::OpType;
  const OpType t = c.type;
  bool first = true;
  auto member = [&](const char* k) {
    if (!first) out += ',';
    first = false;
    key(out, k);
  };
  auto text = [&](const char* k, std::string_view v) {
    member(k);
    append_string(out, v);
  };
  auto number = [&](const char* k, std::uint64_t v) {
    member(k);
    append_uint(out, v);
  };
  // The members each type has, in nlohmann::json's (sorted) order.
  out += '{';
  if (t == OpType::write || t == OpType::append) text("data", c.data);
  text("f", model::to_string(t));
  if (t == OpType::rename) text("from", c.path);
  if (t == OpType::create || t == OpType::mkdir || t == OpType::setattr) number("mode", c.mode);
  if (t == OpType::write) number("offset", c.offset);
  if (t != OpType::rename) text("path", c.path);
  if (t == OpType::truncate) number("size", c.size);
  if (t == OpType::rename) text("to", c.to);
  out += '}';
}

void append_sample(std::string& out, const Sample& s) {
  // Members in nlohmann::json's (sorted) order.
  auto text = [&](const char* k, std::string_view v) {
    key(out, k);
    append_string(out, v);
    out += ',';
  };
  auto uint = [&](const char* k, std::uint64_t v) {
    key(out, k);
    append_uint(out, v);
    out += ',';
  };
  auto real = [&](const char* k, double v) {
    key(out, k);
    append_double(out, v);
    out += ',';
  };
  auto object = [&](const char* k, const auto& m, auto&& value) {
    key(out, k);
    out += '{';
    bool first = true;
    for (const auto& [name, v] : m) {
      if (!first) out += ',';
      first = false;
      append_string(out, name);
      out += ':';
      value(v);
    }
    out += "},";
  };
  out += '{';
  text("at", s.at);
  object("disk_busy_s", *s.disk_busy_s, [&](double v) { append_double(out, v); });
  object("disk_writes", *s.disk_writes, [&](std::uint64_t v) { append_uint(out, v); });
  text("kind", "sample");
  uint("log_half_bytes", s.log_half_bytes);
  real("mirror_busy_s", s.mirror_busy_s);
  uint("mirror_write_bytes", s.mirror_write_bytes);
  text("node", s.node);
  real("nvram_busy_s", s.nvram_busy_s);
  uint("nvram_write_bytes", s.nvram_write_bytes);
  uint("own_log_bytes", s.own_log_bytes);
  uint("takeover_log_bytes", s.takeover_log_bytes);
  key(out, "time_s");
  append_double(out, s.time_s);
  out += '}';
}

void append_invoke(std::string& out, double time_s, model::ClientId client, model::Xid xid,
                   std::string_view aggregate, const model::Change& c) {
  out += "{\"aggregate\":";
  append_string(out, aggregate);
  out += ",\"client\":";
  append_uint(out, client);
  out += ",\"op\":";
  append_op(out, c);
  out += ",\"time_s\":";
  append_double(out, time_s);
  out += ",\"type\":\"invoke\",\"xid\":";
  append_uint(out, xid);
  out += '}';
}

void append_ok(std::string& out, double time_s, model::ClientId client, model::Xid xid, model::Result result) {
  out += "{\"client\":";
  append_uint(out, client);
  out += ",\"result\":";
  append_string(out, model::to_string(result));
  out += ",\"time_s\":";
  append_double(out, time_s);
  out += ",\"type\":\"ok\",\"xid\":";
  append_uint(out, xid);
  out += '}';
}

void append_info(std::string& out, double time_s, model::ClientId client, model::Xid xid) {
  out += "{\"client\":";
  append_uint(out, client);
  out += ",\"time_s\":";
  append_double(out, time_s);
  out += ",\"type\":\"info\",\"xid\":";
  append_uint(out, xid);
  out += '}';
}

}  // namespace failsim::sim::json_line
