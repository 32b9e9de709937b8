// Folders and regular files, opened without following links: what
// symlink_status saw is checked again on the open descriptor (fstat), so a
// file swapped for a link in between is refused too.
#include "sweep/copy_tree.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <vector>

#include "sweep/sweep_read.hpp"

namespace failsim::sweep {

namespace fs = std::filesystem;

namespace {

[[noreturn]] void refuse(const fs::path& p, const std::string& what) {
  throw SweepError({p.string() + ": " + what + " (a shard folder may hold only folders and regular files)"});
}

[[noreturn]] void failed(const fs::path& p, const std::string& what, int why) {
  throw SweepError({p.string() + ": cannot " + what + ": " + std::strerror(why)});
}

const char* kind_of(fs::file_type t) {
  switch (t) {
    case fs::file_type::symlink: return "a symbolic link";
    case fs::file_type::fifo: return "a FIFO";
    case fs::file_type::socket: return "a socket";
    case fs::file_type::block:
    case fs::file_type::character: return "a device";
    case fs::file_type::not_found: return "missing";
    default: return "not a regular file";
  }
}

void copy_regular_file(const fs::path& from, const fs::path& to) {
  const int in = ::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (in < 0) {
    if (errno == ELOOP) refuse(from, "a symbolic link");
    failed(from, "read", errno);
  }
  struct stat st {};
  if (::fstat(in, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(in);
    refuse(from, "not a regular file");
  }
  const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (out < 0) {
    const int why = errno;
    ::close(in);
    failed(to, "create", why);
  }
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(in, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      const int why = errno;
      ::close(in), ::close(out);
      failed(from, "read", why);
    }
    for (ssize_t at = 0; at < n;) {
      const ssize_t w = ::write(out, buf + at, static_cast<std::size_t>(n - at));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) {
        const int why = w < 0 ? errno : ENOSPC;
        ::close(in), ::close(out);
        failed(to, "write", why);
      }
      at += w;
    }
  }
  ::close(in);
  if (::close(out) != 0) failed(to, "write", errno);
}

}  // namespace

void copy_regular_tree(const std::string& from, const std::string& to) {
  std::error_code ec;
  const fs::file_status top = fs::symlink_status(from, ec);
  if (top.type() != fs::file_type::directory) refuse(from, top.type() == fs::file_type::symlink ? "a symbolic link" : "not a folder");
  if (!fs::create_directory(to, ec)) failed(to, "create", ec ? ec.value() : EEXIST);
  // Sorted, so that a refusal names the same file on every machine.
  std::vector<fs::directory_entry> entries;
  for (fs::directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
  if (ec) failed(from, "read the folder", ec.value());
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path() < b.path(); });
  for (const fs::directory_entry& e : entries) {
    const fs::file_type t = e.symlink_status(ec).type();
    const fs::path dest = fs::path(to) / e.path().filename();
    if (t == fs::file_type::directory)
      copy_regular_tree(e.path().string(), dest.string());
    else if (t == fs::file_type::regular)
      copy_regular_file(e.path(), dest);
    else
      refuse(e.path(), kind_of(t));
  }
}

}  // namespace failsim::sweep
