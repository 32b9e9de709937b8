// The JSON Schema of scenario files, generated from the same field lists the
// reader walks (scenario_fields.hpp), the field table (field_info.cpp), the
// word tables of the enumerations (settings.hpp, fault_kind.hpp) and the
// structs' defaults, so the published schema says what the reader does.
#include <limits>
#include <type_traits>

#include "sim/scenario/field_info.hpp"
#include "sim/scenario/json_writer.hpp"
#include "sim/scenario/scenario_fields.hpp"
#include "sim/scenario/scenario_json.hpp"

namespace failsim::sim {

using nlohmann::json;

namespace {

using detail::FieldInfo;

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T>
struct is_vector<std::vector<T>> : std::true_type {};

// The type part of a field's schema, with what the table adds to it.
template <class T>
json type_schema(const std::string& path) {
  const FieldInfo* info = detail::field_info(path);
  json s;
  if constexpr (std::is_same_v<T, bool>) {
    s = {{"type", "boolean"}};
  } else if constexpr (std::is_same_v<T, std::string>) {
    s = {{"type", "string"}};
  } else if constexpr (Worded<T>) {
    s = {{"type", "string"}, {"enum", word_list<T>()}};
  } else if constexpr (std::is_floating_point_v<T>) {
    s = {{"type", "number"}};
    if (info && info->minimum) s["minimum"] = *info->minimum;
    if (info && info->exclusive_minimum) s["exclusiveMinimum"] = *info->exclusive_minimum;
    if (info && info->maximum) s["maximum"] = *info->maximum;
  } else if constexpr (std::is_integral_v<T>) {
    // The reader takes what the C++ type holds, within the table's bounds.
    json lo = std::numeric_limits<T>::min(), hi = std::numeric_limits<T>::max();
    if (info && info->minimum && *info->minimum > lo.get<double>()) lo = static_cast<std::int64_t>(*info->minimum);
    if (info && info->maximum && *info->maximum < hi.get<double>()) hi = static_cast<std::uint64_t>(*info->maximum);
    s = {{"type", "integer"}, {"minimum", lo}, {"maximum", hi}};
  } else if constexpr (is_optional<T>::value) {
    s = type_schema<typename T::value_type>(path);
    s["type"] = json::array({s["type"], "null"});
  } else {
    static_assert(is_vector<T>::value);
    s = {{"type", "array"}, {"items", type_schema<typename T::value_type>(path + "[]")}};
    if (info && info->min_items) s["minItems"] = *info->min_items;
    if (info && info->max_items) s["maxItems"] = *info->max_items;
  }
  return s;
}

// Description, with the default spelled out, and the default itself.
void describe(json& s, const std::string& path, const json* default_value) {
  const FieldInfo* info = detail::field_info(path);
  std::string d = info ? info->description : "";
  if (info && info->required) d += (d.empty() ? "" : " ") + std::string("Required.");
  else if (default_value && !default_value->is_object()) d += (d.empty() ? "" : " ") + ("Default: " + default_value->dump() + ".");
  if (!d.empty()) s["description"] = d;
  if (default_value && !(info && info->required)) s["default"] = *default_value;
}

class SchemaWriter {
 public:
  SchemaWriter(std::string at, json& properties, json& required) : at_(std::move(at)), props_(properties), required_(required) {}

  template <class T>
  void operator()(const char* key, const T& v) {
    json s = type_schema<T>(path(key));
    const json d = detail::JsonWriter::value(v);
    describe(s, path(key), &d);
    add(key, std::move(s));
  }
  template <class T, class F>
  void object(const char* key, T& v, F visit) {
    json s = object_schema(path(key), v, visit);
    const FieldInfo* info = detail::field_info(path(key));
    if (info && info->replaces_default) {
      // The default it replaces, written as the reader would take it.
      const json d = detail::JsonWriter::write(v, visit);
      describe(s, path(key), &d);
    } else {
      describe(s, path(key), nullptr);
    }
    add(key, std::move(s));
  }
  template <class T, class F>
  void wire_array(const char* key, std::vector<T>& v, F visit) {
    std::vector<decltype(to_wire(std::declval<const T&>()))> wires;
    for (const T& x : v) wires.push_back(to_wire(x));
    array(key, wires, visit);
  }
  template <class T, class F>
  void array(const char* key, std::vector<T>& v, F visit) {
    T item{};
    json s = type_schema<std::vector<int>>(path(key));  // for the item counts
    s["items"] = object_schema(path(key) + "[]", item, visit);
    json d = json::array();
    for (T& x : v) d.push_back(detail::JsonWriter::write(x, visit));
    describe(s, path(key), &d);
    add(key, std::move(s));
  }

  template <class T, class F>
  static json object_schema(const std::string& at, T& v, F visit) {
    json props = json::object(), required = json::array();
    SchemaWriter w(at, props, required);
    visit(w, v);
    props["comment"] = {{"type", "string"}, {"description", "A note for people; the simulator ignores it."}};
    json s = {{"type", "object"}, {"additionalProperties", false}, {"properties", props}};
    if (!required.empty()) s["required"] = required;
    return s;
  }

 private:
  std::string path(const char* key) const { return at_.empty() ? key : at_ + "." + key; }
  void add(const char* key, json s) {
    const FieldInfo* info = detail::field_info(path(key));
    if (info && info->required) required_.push_back(key);
    props_[key] = std::move(s);
  }
  std::string at_;
  json& props_;
  json& required_;
};

}  // namespace

json scenario_schema() {
  Scenario s;
  json schema = SchemaWriter::object_schema("", s, [](auto& v, auto& x) { fields::scenario(v, x); });
  schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  schema["properties"]["$schema"] = {
      {"type", "string"},
      {"description", "The schema this file follows, for editors (e.g. the installed scenario.schema.json); the "
                      "simulator ignores it."}};
  schema["title"] = "failsim scenario";
  schema["description"] =
      "A failsim scenario: the cluster, its timings, the server settings, the workload, the faults, the run's phases "
      "and what the run must show. Every field is optional except within a given \"cluster\" section and in fault "
      "and cluster items (marked Required); `{}` is the default pair under a mixed workload. Units are in the names: "
      "_s seconds, _Bps bytes per second, _hz cycles per second, _bytes bytes. Run `failsim schema --defaults` for "
      "every default.";
  return schema;
}

}  // namespace failsim::sim
