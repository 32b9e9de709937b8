// SHA-256 of a byte string, as lower-case hex: how final-state.json names a
// file's contents, written by the simulator and compared by the checker.
#pragma once

#include <string>
#include <string_view>

namespace failsim {

std::string sha256_hex(std::string_view bytes);

}  // namespace failsim
