// "what [done/total], N failing".
#include "common/progress.hpp"

#include <ostream>

#include "common/terminal_text.hpp"

namespace failsim {

Progress::Progress(std::ostream& err, bool tty, std::uint64_t total, std::string what)
    : err_(err), tty_(tty), total_(total), what_(std::move(what)) {}

void Progress::update(std::uint64_t done, std::uint64_t failing) {
  const std::string line = what_ + " [" + std::to_string(done) + "/" + std::to_string(total_) + "], " +
                           std::to_string(failing) + " failing";
  if (tty_) {
    // \x1b[K: clear what a longer line left. Written under the filter that
    // escapes control characters in text (common/terminal_text.hpp).
    unfiltered(err_) << "\r" << line << "\x1b[K" << std::flush;
    drawn_ = true;
    return;
  }
  const std::uint64_t tenth = total_ == 0 ? 10 : done * 10 / total_;
  if (tenth > last_tenth_) {
    last_tenth_ = tenth;
    err_ << line << "\n" << std::flush;
  }
}

void Progress::finish() {
  if (drawn_) err_ << "\n" << std::flush;
  drawn_ = false;
}

std::ostream& Progress::interrupt() {
  if (drawn_) unfiltered(err_) << "\r\x1b[K" << std::flush;
  drawn_ = false;
  return err_;
}

}  // namespace failsim
