// Terminal output that text from a scenario cannot take over: control
// characters (ESC sequences, carriage returns, C1 controls), bidirectional
// overrides and bytes that are not UTF-8 are printed as visible escapes
// (\x1b, \u{202e}), whatever prints them - a scenario name, a JSON path, an
// unknown key, a path from a history.
#pragma once

#include <ostream>
#include <streambuf>

namespace failsim {

class TerminalSafeBuf : public std::streambuf {
 public:
  explicit TerminalSafeBuf(std::streambuf* sink) : sink_(sink) {}
  std::streambuf* sink() const { return sink_; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  void put(unsigned char byte);
  void end_sequence(bool valid);  // the pending UTF-8 sequence, passed or escaped
  void write(const char* s, std::size_t n);

  std::streambuf* sink_;
  unsigned char pending_[4] = {};
  int have_ = 0, need_ = 0;
};

// Wraps std::cout and std::cerr for the rest of the process.
void install_terminal_safe_output();

// The stream under `s`, for failsim's own control characters (the "\r" of a
// progress line); `s` itself when it is not wrapped.
std::ostream& unfiltered(std::ostream& s);

}  // namespace failsim
