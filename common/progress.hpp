// A progress counter on stderr for work done in many pieces: rewritten in
// place on a terminal, otherwise a plain line at every tenth of the work (a
// log file gets a few lines, not one per piece).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace failsim {

class Progress {
 public:
  // `tty`: whether `err` is a terminal (isatty(2) for std::cerr).
  Progress(std::ostream& err, bool tty, std::uint64_t total, std::string what);
  // `done` pieces finished so far, `failing` of them failed.
  void update(std::uint64_t done, std::uint64_t failing);
  // Ends the line written in place (no-op otherwise).
  void finish();
  // The stream, with the line written in place cleared: for a message
  // between two updates, so that it does not run on from the counter.
  std::ostream& interrupt();

 private:
  std::ostream& err_;
  bool tty_;
  std::uint64_t total_;
  std::string what_;
  std::uint64_t last_tenth_ = 0;
  bool drawn_ = false;
};

}  // namespace failsim
