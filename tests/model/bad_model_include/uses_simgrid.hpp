// Fixture for ModelIncludeCheck: a model/ file that must be rejected.
#pragma once
#include <simgrid/s4u.hpp>
