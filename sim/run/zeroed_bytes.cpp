// Zeroed bytes (zeroed_bytes.hpp).
#include "sim/run/zeroed_bytes.hpp"

#include <cstdlib>
#include <new>

namespace failsim::sim {

ZeroedBytes::ZeroedBytes(std::size_t size) : bytes_(static_cast<std::uint8_t*>(std::calloc(size, 1))) {
  if (!bytes_ && size > 0) throw std::bad_alloc();
}
void ZeroedBytes::Free::operator()(std::uint8_t* p) const { std::free(p); }

}  // namespace failsim::sim
