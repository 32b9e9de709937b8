// The buffered line reader, on a descriptor checked to be a regular file.
#include "line_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace failsim::runfolder {

namespace {

std::string mib(std::uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

int open_regular_file(const std::string& path, std::uint64_t max_bytes) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused
  // below anyway. O_NOCTTY: a terminal device named as a file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    const int why = errno;
    throw LineReaderError(path + (why == ENOENT ? ": missing" : ": cannot read: " + std::string(std::strerror(why))));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    const int why = errno;
    ::close(fd);
    throw LineReaderError(path + ": cannot read: " + std::strerror(why));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    throw LineReaderError(path + ": not a regular file (" +
                          (S_ISDIR(st.st_mode)    ? "a directory"
                           : S_ISFIFO(st.st_mode) ? "a FIFO"
                           : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "a device"
                                                                         : "a socket") +
                          ")");
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    throw LineReaderError(path + ": " + std::to_string(st.st_size) + " bytes, more than the cap of " +
                          mib(max_bytes));
  }
  ::fcntl(fd, F_SETFL, 0);  // blocking reads from here on
  return fd;
}

std::string read_regular_file(const std::string& path, std::uint64_t max_bytes) {
  const int fd = open_regular_file(path, max_bytes);
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int why = errno;
      ::close(fd);
      throw LineReaderError(path + ": cannot read: " + std::strerror(why));
    }
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > max_bytes) {  // grew while being read
      ::close(fd);
      throw LineReaderError(path + ": more than the cap of " + mib(max_bytes));
    }
  }
  ::close(fd);
  return out;
}

LineReader::LineReader(const std::string& path, std::size_t buffer_bytes, std::size_t max_line)
    : path_(path), fd_(open_regular_file(path)), buf_(buffer_bytes > 0 ? buffer_bytes : 1), max_line_(max_line) {}

LineReader::~LineReader() {
  if (fd_ >= 0) ::close(fd_);
}

bool LineReader::fill() {
  if (eof_) return false;
  // Keep the unread bytes (a line cut by the buffer's end) at the front.
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ > max_line_)
    throw LineReaderError(path_ + ":" + std::to_string(line_no_ + 1) + ": a line longer than the cap of " +
                          mib(max_line_));
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);  // a line longer than the buffer
  ssize_t got;
  do {
    got = ::read(fd_, buf_.data() + end_, buf_.size() - end_);
  } while (got < 0 && errno == EINTR);
  if (got < 0) throw LineReaderError(path_ + ": cannot read: " + std::strerror(errno));
  if (got == 0) eof_ = true;
  end_ += static_cast<std::size_t>(got);
  return got > 0;
}

bool LineReader::next(std::string_view& line) {
  std::size_t scanned = begin_;  // bytes before it hold no '\n'
  while (true) {
    const char* start = buf_.data() + begin_;
    const void* nl = std::memchr(buf_.data() + scanned, '\n', end_ - scanned);
    if (nl) {
      const std::size_t len = static_cast<const char*>(nl) - start;
      if (len > max_line_)
        throw LineReaderError(path_ + ":" + std::to_string(line_no_ + 1) + ": a line longer than the cap of " +
                              mib(max_line_));
      line = std::string_view(start, len);
      begin_ += len + 1;
      ++line_no_;
      return true;
    }
    const std::size_t unread = end_ - begin_;
    if (!fill()) {
      if (unread == 0) return false;
      line = std::string_view(buf_.data() + begin_, end_ - begin_);  // the last line, without '\n'
      begin_ = end_;
      ++line_no_;
      return true;
    }
    scanned = begin_ + unread;  // fill() moved the unread bytes to the front
  }
}

}  // namespace failsim::runfolder
