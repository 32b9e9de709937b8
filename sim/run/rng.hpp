// Seeded random streams: one per component, derived from the run's seed and
// the component's name, so adding a client does not change another's draws.
#pragma once

#include <cstdint>
#include <random>
#include <string_view>

namespace failsim::sim {

inline std::uint64_t stream_seed(std::uint64_t seed, std::string_view component) {
  // FNV-1a of the name, mixed with the seed by splitmix64.
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (char c : component) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
  std::uint64_t z = seed + h + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

inline std::mt19937_64 make_stream(std::uint64_t seed, std::string_view component) {
  return std::mt19937_64(stream_seed(seed, component));
}

}  // namespace failsim::sim
