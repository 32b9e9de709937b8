// The JSON Schema of sweep files, for editors: what `failsim schema --sweep`
// prints and scenarios/sweeps/sweep.schema.json holds. The reader
// (sweep_read.cpp) checks more than a schema can say: pointers that reach
// a field of the base scenario, grid points the scenario reader accepts,
// column names used once.
#pragma once

#include <nlohmann/json.hpp>

namespace failsim::sweep {

nlohmann::json sweep_schema();

}  // namespace failsim::sweep
