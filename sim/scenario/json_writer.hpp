// The visitor that writes a scenario (or any part of it) as JSON, walking the
// field lists of scenario_fields.hpp: to_json uses it, and the schema uses it
// for defaults. Internal to sim/scenario.
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/scenario/words.hpp"

namespace failsim::sim::detail {

class JsonWriter {
 public:
  explicit JsonWriter(nlohmann::json& j) : j_(j) {}

  template <class T>
  static nlohmann::json value(const T& v) {
    if constexpr (requires { v.has_value(); }) return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    else if constexpr (Worded<T>) return nlohmann::json(std::string(to_word(v)));
    else return nlohmann::json(v);
  }
  template <class T>
  void operator()(const char* key, const T& v) {
    j_[key] = value(v);
  }
  template <class T, class F>
  void object(const char* key, T& v, F visit) {
    j_[key] = write(v, visit);
  }
  template <class T, class F>
  void wire_array(const char* key, std::vector<T>& v, F visit) {
    std::vector<decltype(to_wire(std::declval<const T&>()))> wires;
    for (const T& x : v) wires.push_back(to_wire(x));
    array(key, wires, visit);
  }
  template <class T, class F>
  void array(const char* key, std::vector<T>& v, F visit) {
    nlohmann::json arr = nlohmann::json::array();
    for (T& item : v) arr.push_back(write(item, visit));
    j_[key] = std::move(arr);
  }

  // One object: the fields `visit` walks.
  template <class T, class F>
  static nlohmann::json write(T& v, F visit) {
    nlohmann::json j = nlohmann::json::object();
    JsonWriter w(j);
    visit(w, v);
    return j;
  }

 private:
  nlohmann::json& j_;
};

}  // namespace failsim::sim::detail
