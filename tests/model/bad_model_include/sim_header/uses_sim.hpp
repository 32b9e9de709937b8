// Fixture for ModelIncludeCheck: a model/ file including a simulator header
// by its project path must be rejected (the header exists, outside model/).
#pragma once
#include "sim/run/world.hpp"
