// Checked file writes. errno says why a stream failed (ENOSPC, EFBIG, ...);
// the stream itself only says that it did.
#include "write_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace failsim {

void finish_write(std::ostream& out, const std::string& path, int why) {
  if (out.flush()) return;
  if (why == 0) why = errno;
  throw WriteError(path + ": cannot write" + (why ? std::string(": ") + std::strerror(why) : std::string()));
}

void write_file(const std::string& path, std::string_view bytes) {
  // Into a temporary file renamed over `path`: a reader sees the old file or
  // the new one, never part of it.
  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  try {
    errno = 0;
    std::ofstream out(tmp, std::ios::binary);
    if (!out) throw WriteError(path + ": cannot create" + (errno ? std::string(": ") + std::strerror(errno) : ""));
    errno = 0;
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    finish_write(out, path);
  } catch (const WriteError&) {
    std::remove(tmp.c_str());
    throw;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int why = errno;
    std::remove(tmp.c_str());
    throw WriteError(path + ": cannot write: " + std::strerror(why));
  }
}

}  // namespace failsim
