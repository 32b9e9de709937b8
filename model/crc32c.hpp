// CRC32C (Castagnoli), the checksum of log entries and on-disk blocks.
#pragma once

#include <cstdint>
#include <span>

namespace failsim::model {

std::uint32_t crc32c(std::span<const std::uint8_t> data, std::uint32_t seed = 0);

}  // namespace failsim::model
