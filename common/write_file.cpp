// Checked file writes, created new under a random name in a directory
// opened once. errno says why a write failed (ENOSPC, EFBIG, ...); a stream
// only says that it did.
#include "write_file.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "common/interrupts.hpp"

namespace failsim {

namespace {

std::string reason(int why) { return why ? std::string(": ") + std::strerror(why) : std::string(); }

// The directory part and the name part of a path ("a/b/c" -> "a/b", "c").
std::pair<std::string, std::string> split(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

}  // namespace

std::string random_suffix() {
  unsigned char bytes[8];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    const ssize_t n = ::getrandom(bytes + got, sizeof bytes - got, 0);
    if (n > 0) got += static_cast<std::size_t>(n);
    else if (errno != EINTR) throw WriteError(std::string("cannot draw a random name") + reason(errno));
  }
  static const char hex[] = "0123456789abcdef";
  std::string s;
  for (unsigned char b : bytes) s += hex[b >> 4], s += hex[b & 15];
  return s;
}

void finish_write(std::ostream& out, const std::string& path, int why) {
  if (out.flush()) return;
  if (why == 0) why = errno;
  throw WriteError(path + ": cannot write" + reason(why));
}

FileSet::FileSet(const std::string& dir) : dir_(dir) {
  dir_fd_ = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) throw WriteError(dir + ": cannot open the folder" + reason(errno));
}

FileSet::~FileSet() {
  discard();
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

void FileSet::discard() noexcept {
  for (const Pending& p : pending_) {
    ::unlinkat(dir_fd_, p.tmp.c_str(), 0);
    unwatch_temp_path(dir_ + "/" + p.tmp);
  }
  pending_.clear();
}

void FileSet::write(const std::string& name, std::string_view bytes) {
  const std::string path = dir_ + "/" + name;
  if (name.empty() || name.find('/') != std::string::npos) throw WriteError(path + ": not a plain file name");
  // O_EXCL | O_NOFOLLOW: a name that exists - a planted symlink included -
  // is never opened; then another random name is drawn.
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    tmp = name + ".tmp-" + random_suffix();
    watch_temp_path(dir_ + "/" + tmp);
    fd = ::openat(dir_fd_, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0) break;
    const int why = errno;
    unwatch_temp_path(dir_ + "/" + tmp);
    if (why != EEXIST || attempt >= 16) {
      discard();
      throw WriteError(path + ": cannot create" + reason(why));
    }
  }
  pending_.push_back({name, tmp});
  for (std::size_t at = 0; at < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + at, bytes.size() - at);
    if (n > 0) {
      at += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    const int why = n < 0 ? errno : ENOSPC;  // a write of 0 bytes: the disk took nothing more
    ::close(fd);
    discard();
    throw WriteError(path + ": cannot write" + reason(why));
  }
  if (::close(fd) != 0 && errno != EINTR) {  // NFS reports a full disk only here
    const int why = errno;
    discard();
    throw WriteError(path + ": cannot write" + reason(why));
  }
}

void FileSet::commit() {
  // Every file is complete before the first is renamed into place.
  for (std::size_t i = 0; i < pending_.size(); ++i) {
    const Pending& p = pending_[i];
    if (::renameat(dir_fd_, p.tmp.c_str(), dir_fd_, p.name.c_str()) != 0) {
      const int why = errno;
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(i));
      discard();
      throw WriteError(dir_ + "/" + p.name + ": cannot write" + reason(why));
    }
    unwatch_temp_path(dir_ + "/" + p.tmp);
  }
  pending_.clear();
}

void write_file(const std::string& path, std::string_view bytes) {
  const auto [dir, name] = split(path);
  FileSet set(dir);
  set.write(name, bytes);
  set.commit();
}

}  // namespace failsim
