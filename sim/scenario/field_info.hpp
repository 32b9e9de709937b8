// What is known about each scenario field besides its C++ type: its
// description (with unit), bounds, item counts, and whether it must be given.
// (An enumeration's words come with its type: words.hpp.) One table feeds both the reader, which enforces it, and the
// JSON Schema, which publishes it, so the two cannot disagree.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace failsim::sim::detail {

struct FieldInfo {
  std::string description;
  std::optional<double> minimum;            // value >= minimum
  std::optional<double> exclusive_minimum;  // value > exclusive_minimum
  std::optional<double> maximum;            // value <= maximum
  std::optional<std::size_t> min_items, max_items;  // arrays
  bool required = false;                    // must be given when its parent object is
  bool replaces_default = false;            // objects: start from empty, not from the default
};

// Fields are named by their path with array indices left out:
// "workload.clients", "faults[].kind", "cluster.aggregates[].plexes".
// nullptr for a path without an entry.
const FieldInfo* field_info(std::string_view path);
// Every path with an entry (a test checks they are exactly the fields).
std::vector<std::string> field_info_paths();

}  // namespace failsim::sim::detail
