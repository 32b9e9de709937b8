// Faults between their flat file form and their per-kind parameters: each
// parameter is copied by its key, from or to the wire field of that key.
#include "sim/scenario/fault_wire.hpp"

#include <cassert>
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "sim/scenario/scenario_fields.hpp"

namespace failsim::sim {

namespace {

// Copies one parameter from or to the wire field of its key.
template <class T>
struct FieldMatch {
  const char* key;
  T* param;
  bool into_wire;
  int found = 0;
  template <class U>
  void operator()(const char* k, U& field) {
    if (std::strcmp(k, key) != 0) return;
    if constexpr (std::is_same_v<T, U>) {
      if (into_wire) field = *param;
      else *param = field;
      ++found;
    }
  }
};

struct Copier {
  FaultWire& wire;
  bool into_wire;
  template <class T>
  void operator()(const char* key, T& param) {
    FieldMatch<T> m{key, &param, into_wire};
    fields::fault(m, wire);
    // Every parameter has a wire field of its key and type: a broken
    // invariant of the field lists otherwise, never bad input.
    if (m.found != 1) throw std::logic_error(std::string("fault parameter without a wire field: ") + key);
  }
};

struct KeyNames {
  std::vector<std::string>& out;
  template <class T>
  void operator()(const char* key, T&) {
    out.emplace_back(key);
  }
};

template <std::size_t... I>
FaultParams make_params(std::size_t i, std::index_sequence<I...>) {
  static constexpr FaultParams (*make_one[])() = {+[]() { return FaultParams(std::in_place_index<I>); }...};
  return make_one[i]();
}

}  // namespace

FaultParams params_of(FaultKind kind) {
  return make_params(static_cast<std::size_t>(kind), std::make_index_sequence<fault_kind_count>{});
}

FaultSpec point_fault(FaultKind kind, const std::string& node, std::uint64_t k) {
  assert(kind_info(kind).timing == FaultTiming::point);
  FaultSpec f{.at_s = 0, .params = params_of(kind)};
  std::visit([&](auto& p) {
    if constexpr (requires { p.k; }) {
      p.node = node;
      p.k = k;
    }
  }, f.params);
  return f;
}

std::string_view node_of(const FaultSpec& f) {
  return std::visit([](const auto& p) -> std::string_view {
    if constexpr (requires { p.node; }) return p.node;
    else return {};
  }, f.params);
}

std::string_view target_of(const FaultSpec& f) {
  return std::visit([](const auto& p) -> std::string_view {
    if constexpr (requires { p.target; }) return p.target;
    else return {};
  }, f.params);
}

FaultWire to_wire(const FaultSpec& f) {
  FaultWire w;
  w.kind = f.kind();
  w.at_s = f.at_s;
  FaultParams params = f.params;
  std::visit([&](auto& p) {
    Copier c{w, true};
    fields::params(c, p);
  }, params);
  return w;
}

FaultSpec from_wire(const FaultWire& w) {
  FaultSpec f{.at_s = w.at_s, .params = params_of(w.kind)};
  FaultWire wire = w;
  std::visit([&](auto& p) {
    Copier c{wire, false};
    fields::params(c, p);
  }, f.params);
  return f;
}

std::vector<std::string> ignored_parameters(const FaultWire& w) {
  const FaultWire kept = to_wire(from_wire(w));
  std::vector<std::string> keys;
  auto differs = [&](const char* key, const auto& a, const auto& b) {
    if (!(a == b)) keys.push_back(key);
  };
  differs("node", w.node, kept.node);
  differs("target", w.target, kept.target);
  differs("k", w.k, kept.k);
  differs("duration_s", w.duration_s, kept.duration_s);
  differs("period_s", w.period_s, kept.period_s);
  differs("probability", w.probability, kept.probability);
  differs("delay_s", w.delay_s, kept.delay_s);
  differs("factor", w.factor, kept.factor);
  differs("blocks", w.blocks, kept.blocks);
  return keys;
}

std::vector<std::string> fault_parameters(FaultKind kind) {
  std::vector<std::string> keys;
  FaultParams params = params_of(kind);
  std::visit([&](auto& p) {
    KeyNames names{keys};
    fields::params(names, p);
  }, params);
  return keys;
}

}  // namespace failsim::sim
