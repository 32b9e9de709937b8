// The escaping stream buffer: a small UTF-8 validator in front of stdout and
// stderr.
#include "common/terminal_text.hpp"

#include <cstdio>
#include <iostream>

namespace failsim {

namespace {

void hex(char* out, unsigned value, int digits) {
  static constexpr char digit[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i, value >>= 4) out[i] = digit[value & 15];
}

}  // namespace

void TerminalSafeBuf::write(const char* s, std::size_t n) { sink_->sputn(s, static_cast<std::streamsize>(n)); }

void TerminalSafeBuf::end_sequence(bool valid) {
  if (valid) {
    unsigned cp = 0;
    if (have_ == 2) cp = (pending_[0] & 0x1fu) << 6 | (pending_[1] & 0x3fu);
    if (have_ == 3) cp = (pending_[0] & 0x0fu) << 12 | (pending_[1] & 0x3fu) << 6 | (pending_[2] & 0x3fu);
    const bool c1 = cp >= 0x80 && cp <= 0x9f;
    const bool bidi = (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
    if (!c1 && !bidi) {
      write(reinterpret_cast<const char*>(pending_), static_cast<std::size_t>(have_));
    } else {
      char e[] = "\\u{0000}";
      hex(e + 3, cp, 4);
      write(e, 8);
    }
  } else {
    for (int i = 0; i < have_; ++i) {
      char e[] = "\\x00";
      hex(e + 2, pending_[i], 2);
      write(e, 4);
    }
  }
  have_ = need_ = 0;
}

void TerminalSafeBuf::put(unsigned char b) {
  if (need_ > 0) {
    // A continuation byte, within the ranges that rule out overlong forms,
    // surrogates and code points past U+10FFFF.
    unsigned lo = 0x80, hi = 0xbf;
    if (have_ == 1) {
      if (pending_[0] == 0xe0) lo = 0xa0;
      if (pending_[0] == 0xed) hi = 0x9f;
      if (pending_[0] == 0xf0) lo = 0x90;
      if (pending_[0] == 0xf4) hi = 0x8f;
    }
    if (b >= lo && b <= hi) {
      pending_[have_++] = b;
      if (have_ == need_) end_sequence(true);
      return;
    }
    end_sequence(false);  // then `b` starts afresh
  }
  if (b >= 0xc2 && b <= 0xf4) {
    pending_[0] = b;
    have_ = 1;
    need_ = b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
    return;
  }
  if ((b >= 0x20 && b < 0x7f) || b == '\n' || b == '\t') {
    sink_->sputc(static_cast<char>(b));
    return;
  }
  pending_[0] = b;  // a control character, or a byte no UTF-8 text has
  have_ = 1;
  end_sequence(false);
}

TerminalSafeBuf::int_type TerminalSafeBuf::overflow(int_type c) {
  if (!traits_type::eq_int_type(c, traits_type::eof())) put(static_cast<unsigned char>(traits_type::to_char_type(c)));
  return traits_type::not_eof(c);
}

std::streamsize TerminalSafeBuf::xsputn(const char* s, std::streamsize n) {
  for (std::streamsize i = 0; i < n; ++i) put(static_cast<unsigned char>(s[i]));
  return n;
}

int TerminalSafeBuf::sync() {
  if (have_ > 0) end_sequence(false);  // cut short: never left half-printed
  return sink_->pubsync();
}

void install_terminal_safe_output() {
  // Never destroyed: std::cout and std::cerr are flushed after every static
  // object is gone, and would then write through a dead buffer.
  static auto* out = new TerminalSafeBuf(std::cout.rdbuf());
  static auto* err = new TerminalSafeBuf(std::cerr.rdbuf());
  std::cout.rdbuf(out);
  std::cerr.rdbuf(err);
}

std::ostream& unfiltered(std::ostream& s) {
  static std::ostream raw_out(nullptr), raw_err(nullptr);
  auto* safe = dynamic_cast<TerminalSafeBuf*>(s.rdbuf());
  if (!safe) return s;
  std::ostream& raw = &s == &std::cerr ? raw_err : raw_out;
  raw.rdbuf(safe->sink());
  return raw;
}

}  // namespace failsim
