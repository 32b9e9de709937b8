// The scenario reader: a visitor over the field lists of scenario_fields.hpp
// that fills each field from JSON, checking its type and its entry in the
// field table (bounds, item counts, required) or, for an enumeration, its
// word table.
#include "sim/scenario/scenario_read.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <type_traits>

#include "sim/scenario/field_info.hpp"
#include "sim/scenario/scenario_fields.hpp"

namespace failsim::sim::detail {

using nlohmann::json;

namespace {

// Where the reader is: the JSON path for messages ("$.faults[2]") and the
// field-table path for lookups ("faults[]").
struct Place {
  std::string json_path;
  std::string field_path;
  Place key(const std::string& k) const {
    return {key_path(json_path, k), field_path.empty() ? k : field_path + "." + k};
  }
  Place item(std::size_t i) const { return {json_path + "[" + std::to_string(i) + "]", field_path + "[]"}; }
};

class Reader {
 public:
  Reader(const json& j, Place at, Problems& p) : j_(j), at_(std::move(at)), p_(p) {}

  template <class T>
  void operator()(const char* key, T& out) {
    known_.push_back(key);
    if (const json* v = present(key)) read(*v, at_.key(key), out);
  }
  template <class T, class F>
  void object(const char* key, T& out, F visit) {
    known_.push_back(key);
    const json* v = present(key);
    if (!v) return;
    const Place at = at_.key(key);
    if (!v->is_object()) return p_.add(at.json_path, "expected an object, " + found(*v));
    const FieldInfo* info = field_info(at.field_path);
    if (info && info->replaces_default) out = T{};
    Reader r(*v, at, p_);
    visit(r, out);
    r.finish();
  }
  // Items read in their flat form, then converted (faults).
  template <class T, class F>
  void wire_array(const char* key, std::vector<T>& out, F visit) {
    std::vector<decltype(to_wire(std::declval<const T&>()))> wires;
    array(key, wires, visit);
    if (!present(key)) return;
    out.clear();
    const Place at = at_.key(key);
    for (std::size_t i = 0; i < wires.size(); ++i) {
      // A parameter the kind does not take, given a value, would be dropped
      // silently: the file means something the run would not do.
      for (const std::string& k : ignored_parameters(wires[i]))
        p_.add(at.item(i).key(k).json_path, std::string(to_string(wires[i].kind)) + " takes no " + k +
                                                " (its parameters: " + join(fault_parameters(wires[i].kind)) + ")");
      out.push_back(from_wire(wires[i]));
    }
  }
  static std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
    return out.empty() ? "nothing but at_s" : out;
  }
  template <class T, class F>
  void array(const char* key, std::vector<T>& out, F visit) {
    known_.push_back(key);
    const json* v = present(key);
    if (!v) return;
    const Place at = at_.key(key);
    if (!v->is_array()) return p_.add(at.json_path, "expected an array, " + found(*v));
    if (!counts_ok(*v, at)) return;
    out.clear();
    for (std::size_t i = 0; i < v->size(); ++i) {
      const Place item = at.item(i);
      const json& x = (*v)[i];
      // A bad item is still kept (as the defaults) so that later items keep
      // their indices in messages.
      T value{};
      if (x.is_object()) {
        Reader r(x, item, p_);
        visit(r, value);
        r.finish();
      } else {
        p_.add(item.json_path, "expected an object, " + found(x));
      }
      out.push_back(std::move(value));
    }
  }

  // Unknown keys, with the nearest known one as a suggestion; then required
  // keys that are missing.
  void finish() {
    for (auto& [key, value] : j_.items()) {
      if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
      if (annotation(key, value)) continue;
      const std::string hint = suggestion(key, known_);
      p_.add(key_path(at_.json_path, key),
             hint.empty() ? "unknown key: expected one of " + key_list() : "unknown key" + hint);
    }
    const FieldInfo* self = field_info(at_.field_path);
    for (const auto& key : known_) {
      const FieldInfo* info = field_info(at_.key(key).field_path);
      if (info && info->required && !j_.contains(key))
        p_.add(at_.key(key).json_path,
               "required key is missing" +
                   std::string(self && self->replaces_default ? " (a \"" + at_.field_path +
                                                                    "\" section replaces the default as a whole)"
                                                              : ""));
    }
  }

 private:
  // Keys for people and editors, which the simulator ignores: "comment" in
  // any object, "$schema" at the top. Each must be a string.
  bool annotation(const std::string& key, const json& value) {
    if (key != "comment" && !(key == "$schema" && at_.json_path == "$")) return false;
    if (!value.is_string()) p_.add(key_path(at_.json_path, key), "expected a string, " + found(value));
    return true;
  }

  const json* present(const char* key) const {
    auto it = j_.find(key);
    return it == j_.end() ? nullptr : &*it;
  }
  std::string key_list() const {
    std::string s;
    for (const auto& k : known_) s += (s.empty() ? "" : ", ") + k;
    return s;
  }

  bool counts_ok(const json& v, const Place& at) {
    const FieldInfo* info = field_info(at.field_path);
    if (!info) return true;
    const std::size_t n = v.size(), lo = info->min_items.value_or(0),
                      hi = info->max_items.value_or(std::numeric_limits<std::size_t>::max());
    if (n >= lo && n <= hi) return true;
    std::string want = lo == hi               ? "exactly " + std::to_string(lo)
                       : !info->max_items     ? "at least " + std::to_string(lo)
                       : !info->min_items     ? "at most " + std::to_string(hi)
                                              : std::to_string(lo) + " to " + std::to_string(hi);
    p_.add(at.json_path, "expected " + want + (hi == 1 || (lo == 1 && !info->max_items) ? " item" : " items") +
                             ", found " + std::to_string(n));
    return false;
  }

  // Bounds of the field table, for any number read; true when it reported.
  bool bounds(double x, const json& v, const Place& at, const std::string& kind) {
    const FieldInfo* info = field_info(at.field_path);
    if (!info) return false;
    const bool low = (info->minimum && x < *info->minimum) || (info->exclusive_minimum && !(x > *info->exclusive_minimum));
    const bool high = info->maximum && x > *info->maximum;
    if (!low && !high) return false;
    std::string want;
    if (info->maximum) want = kind + " from " + number_text(info->minimum ? *info->minimum : *info->exclusive_minimum) +
                              " to " + number_text(*info->maximum);
    else if (info->minimum) want = kind + " >= " + number_text(*info->minimum);
    else want = kind + " > " + number_text(*info->exclusive_minimum);
    p_.add(at.json_path, "expected " + want + ", " + found(v));
    return true;
  }

  void read(const json& v, const Place& at, double& out) {
    if (!v.is_number()) return p_.add(at.json_path, "expected a number, " + found(v));
    out = v.get<double>();
    bounds(out, v, at, "a number");
  }
  // Integers: JSON integers, and numbers with no fractional part (1e6, 4.0),
  // as JSON Schema's "integer" has it.
  template <class I>
    requires std::is_integral_v<I>
  void read(const json& v, const Place& at, I& out) {
    const char* kind = std::is_signed_v<I> ? "an integer" : "a non-negative integer";
    if (!v.is_number()) return p_.add(at.json_path, std::string("expected ") + kind + ", " + found(v));
    constexpr auto lo = std::numeric_limits<I>::min();
    constexpr auto hi = std::numeric_limits<I>::max();
    bool fits;
    if (v.is_number_unsigned()) {
      fits = v.get<std::uint64_t>() <= static_cast<std::uint64_t>(hi);
    } else if (v.is_number_integer()) {
      const auto x = v.get<std::int64_t>();
      fits = x >= 0 ? static_cast<std::uint64_t>(x) <= static_cast<std::uint64_t>(hi)
                    : std::is_signed_v<I> && x >= static_cast<std::int64_t>(lo);
    } else {
      const double d = v.get<double>();
      if (d != std::floor(d)) return p_.add(at.json_path, std::string("expected ") + kind + ", " + found(v));
      // 2^64 is exactly representable, uint64 max is not: compare with <.
      fits = d >= static_cast<double>(lo) && d < std::ldexp(1.0, std::numeric_limits<I>::digits);
    }
    if (!fits && bounds(v.get<double>(), v, at, kind)) return;
    if (!fits)
      return p_.add(at.json_path, std::string("expected ") + kind + " from " + std::to_string(lo) + " to " +
                                      std::to_string(hi) + ", " + found(v));
    out = v.is_number_float() ? static_cast<I>(v.get<double>())
          : v.is_number_unsigned() ? static_cast<I>(v.get<std::uint64_t>())
                                   : static_cast<I>(v.get<std::int64_t>());
    bounds(static_cast<double>(out), v, at, kind);
  }
  void read(const json& v, const Place& at, bool& out) {
    if (!v.is_boolean()) return p_.add(at.json_path, "expected true or false, " + found(v));
    out = v.get<bool>();
  }
  void read(const json& v, const Place& at, std::string& out) {
    if (!v.is_string()) return p_.add(at.json_path, "expected a string, " + found(v));
    out = v.get<std::string>();
  }
  // A word of the enumeration's table (words.hpp).
  template <Worded E>
  void read(const json& v, const Place& at, E& out) {
    if (!v.is_string()) return p_.add(at.json_path, "expected a string, " + found(v));
    const std::string word = v.get<std::string>();
    if (const std::optional<E> e = from_word<E>(word)) {
      out = *e;
      return;
    }
    const std::vector<std::string> words = word_list<E>();
    p_.add(at.json_path, "expected one of " + quoted_list(words) + ", " + found(v) + suggestion(word, words));
  }
  template <class T>
  void read(const json& v, const Place& at, std::optional<T>& out) {
    if (v.is_null()) return out.reset();
    T value{};
    read(v, at, value);
    out = value;
  }
  template <class T>
  void read(const json& v, const Place& at, std::vector<T>& out) {
    if (!v.is_array()) return p_.add(at.json_path, "expected an array, " + found(v));
    if (!counts_ok(v, at)) return;
    out.clear();
    for (std::size_t i = 0; i < v.size(); ++i) {
      T value{};
      read(v[i], at.item(i), value);
      out.push_back(std::move(value));
    }
  }

  const json& j_;
  Place at_;
  Problems& p_;
  std::vector<std::string> known_;
};

// Walks the field lists collecting key paths, the way the reader walks them.
class KeyCollector {
 public:
  KeyCollector(std::string at, std::vector<std::string>& out) : at_(std::move(at)), out_(out) {}
  template <class T>
  void operator()(const char* key, T&) {
    out_.push_back(path(key));
  }
  template <class T, class F>
  void object(const char* key, T& v, F visit) {
    out_.push_back(path(key));
    KeyCollector c(path(key), out_);
    visit(c, v);
  }
  template <class T, class F>
  void wire_array(const char* key, std::vector<T>&, F visit) {
    std::vector<decltype(to_wire(std::declval<const T&>()))> wires;
    array(key, wires, visit);
  }
  template <class T, class F>
  void array(const char* key, std::vector<T>&, F visit) {
    out_.push_back(path(key));
    T item{};
    KeyCollector c(path(key) + "[]", out_);
    visit(c, item);
  }

 private:
  std::string path(const char* key) const { return at_.empty() ? key : at_ + "." + key; }
  std::string at_;
  std::vector<std::string>& out_;
};

}  // namespace

void read_scenario(const json& j, Scenario& s, Problems& p) {
  Reader r(j, Place{"$", ""}, p);
  fields::scenario(r, s);
  r.finish();
}

std::vector<std::string> accepted_key_paths() {
  std::vector<std::string> out;
  Scenario s;
  KeyCollector c("", out);
  fields::scenario(c, s);
  return out;
}

}  // namespace failsim::sim::detail
