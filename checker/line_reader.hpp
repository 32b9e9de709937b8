// Reading a text file line by line through one fixed buffer, without a
// std::string per line: history.jsonl files of 10^7 lines are read at the
// speed of the disk cache, in constant memory (the buffer grows only to the
// longest line).
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace failsim::checker {

class LineReader {
 public:
  // Throws std::runtime_error when the file cannot be opened.
  explicit LineReader(const std::string& path, std::size_t buffer_bytes = 1u << 20);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its '\n', as std::getline gives it (a last line
  // without '\n' counts; an empty file has no line). The view stays valid
  // until the next call. False at the end of the file.
  bool next(std::string_view& line);
  std::size_t line_number() const { return line_no_; }  // of the line last returned, from 1

 private:
  bool fill();  // reads more bytes after the unread ones; false at the end of the file
  std::FILE* file_ = nullptr;
  std::vector<char> buf_;
  std::size_t begin_ = 0, end_ = 0;  // the unread bytes
  bool eof_ = false;
  std::size_t line_no_ = 0;
};

}  // namespace failsim::checker
