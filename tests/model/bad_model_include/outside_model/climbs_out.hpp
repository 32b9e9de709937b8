// Fixture for ModelIncludeCheck: a quoted include that climbs out of model/
// to another folder's header must be rejected.
#pragma once
#include "../../../../common/write_file.hpp"
