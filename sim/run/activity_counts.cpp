// The process's activity counts.
#include "activity_counts.hpp"

namespace failsim::sim {

ActivityCounts& activity_counts() {
  static ActivityCounts counts;
  return counts;
}

}  // namespace failsim::sim
