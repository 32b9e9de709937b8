// Fixture for ModelIncludeCheck: an include through a macro cannot be
// checked, so it is rejected.
#pragma once
#define FAILSIM_FIXTURE_HEADER <vector>
#include FAILSIM_FIXTURE_HEADER
