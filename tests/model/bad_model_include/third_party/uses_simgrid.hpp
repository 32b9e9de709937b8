// Fixture for ModelIncludeCheck: a third-party header (SimGrid) must be rejected.
#pragma once
#include <simgrid/s4u.hpp>
