// Writing output files so that a failed write (a full disk, a file size
// limit, a vanished folder) is an error naming the file, never a silently
// truncated run folder.
#pragma once

#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>

namespace failsim {

struct WriteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Writes `bytes` to `path`, replacing it whole or not at all; throws
// WriteError.
void write_file(const std::string& path, std::string_view bytes);

// After the last write to a stream opened on `path`: flushes it and throws
// WriteError if any write failed. `why`: the errno of the first failed
// write, when the caller kept it (0: take errno now).
void finish_write(std::ostream& out, const std::string& path, int why = 0);

}  // namespace failsim
