// Reading a text file line by line through one fixed buffer, without a
// std::string per line: history.jsonl files of 10^7 lines are read at the
// speed of the disk cache, in constant memory (the buffer grows only to the
// longest line).
//
// A run folder may come from elsewhere, so the file must be a regular file
// (a directory, a FIFO or /dev/zero is refused before anything is read, and
// never hangs), at most max_file_bytes long, with no line longer than
// max_line_bytes; a read error is an error, never the end of the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace failsim::runfolder {

// The caps, documented in the README (the run folder).
inline constexpr std::uint64_t max_file_bytes = std::uint64_t{16} << 30;  // 16 GiB: 10^8 events
inline constexpr std::size_t max_line_bytes = std::size_t{16} << 20;     // 16 MiB: a 1 MiB payload, escaped

// The file cannot be read, is not a regular file, or breaks a cap. The
// message names the file (and the line, for a line too long) and why.
struct LineReaderError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Opens `path` for reading when it is a regular file no longer than
// `max_bytes`; returns the descriptor. Throws LineReaderError.
int open_regular_file(const std::string& path, std::uint64_t max_bytes = max_file_bytes);

// The whole of a small file (a JSON document), opened as above.
std::string read_regular_file(const std::string& path, std::uint64_t max_bytes);

class LineReader {
 public:
  // Throws LineReaderError.
  explicit LineReader(const std::string& path, std::size_t buffer_bytes = 1u << 20,
                      std::size_t max_line = max_line_bytes);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its '\n', as std::getline gives it (a last line
  // without '\n' counts; an empty file has no line). The view stays valid
  // until the next call. False at the end of the file. Throws
  // LineReaderError on a read error or a line longer than the cap.
  bool next(std::string_view& line);
  std::size_t line_number() const { return line_no_; }  // of the line last returned, from 1

 private:
  bool fill();  // reads more bytes after the unread ones; false at the end of the file
  std::string path_;
  int fd_ = -1;
  std::vector<char> buf_;
  std::size_t max_line_;
  std::size_t begin_ = 0, end_ = 0;  // the unread bytes
  bool eof_ = false;
  std::size_t line_no_ = 0;
};

}  // namespace failsim::runfolder
