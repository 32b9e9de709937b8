// A fault as scenario files write it: one flat object with every parameter
// of every kind, each with its file default (k 1, probability 1, factor 1).
// The reader reads faults in this form and converts them to FaultSpec; the
// writer converts back, filling the keys a kind does not take with their
// defaults, so scenario.json keeps its one shape for every kind. The reader
// refuses a parameter the kind does not take given a value other than its
// default (ignored_parameters). The random generators draft faults in this
// form too, then convert them as the reader does.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario/fault_params.hpp"

namespace failsim::sim {

struct FaultWire {
  FaultKind kind = FaultKind::node_crash;
  double at_s = 0;
  std::string node;
  std::string target;
  std::uint64_t k = 1;
  double duration_s = 0;
  double period_s = 0;
  double probability = 1;
  double delay_s = 0;
  double factor = 1;
  std::vector<std::uint64_t> blocks;
  bool operator==(const FaultWire&) const = default;
};

FaultWire to_wire(const FaultSpec& f);
// Takes the parameters the kind has; the rest are ignored.
FaultSpec from_wire(const FaultWire& w);
// The keys of `w`'s parameters that its kind does not take and that hold a
// value other than the file default: what from_wire would drop.
std::vector<std::string> ignored_parameters(const FaultWire& w);
// The keys of the parameters `kind` takes, besides kind and at_s.
std::vector<std::string> fault_parameters(FaultKind kind);

}  // namespace failsim::sim
