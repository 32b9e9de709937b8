// The buffered line reader.
#include "line_reader.hpp"

#include <cstring>
#include <stdexcept>

namespace failsim::checker {

LineReader::LineReader(const std::string& path, std::size_t buffer_bytes)
    : file_(std::fopen(path.c_str(), "rb")), buf_(buffer_bytes > 0 ? buffer_bytes : 1) {
  if (!file_) throw std::runtime_error(path + ": cannot read");
}

LineReader::~LineReader() {
  if (file_) std::fclose(file_);
}

bool LineReader::fill() {
  if (eof_) return false;
  // Keep the unread bytes (a line cut by the buffer's end) at the front.
  if (begin_ > 0) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);  // a line longer than the buffer
  const std::size_t got = std::fread(buf_.data() + end_, 1, buf_.size() - end_, file_);
  if (got == 0) eof_ = true;
  end_ += got;
  return got > 0;
}

bool LineReader::next(std::string_view& line) {
  std::size_t scanned = begin_;  // bytes before it hold no '\n'
  while (true) {
    const char* start = buf_.data() + begin_;
    const void* nl = std::memchr(buf_.data() + scanned, '\n', end_ - scanned);
    if (nl) {
      const std::size_t len = static_cast<const char*>(nl) - start;
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

}  // namespace failsim::checker
