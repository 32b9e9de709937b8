// Enumerations that scenario files spell as words: each enumeration has one
// table of its words (words_of, found by argument-dependent lookup), which the
// reader, the writer and the schema use, so a word is converted only at the
// JSON boundary and a misspelt one is refused, never taken for another.
#pragma once

#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace failsim::sim {

template <class E>
struct Word {
  E value;
  std::string_view word;
};

// An enumeration with a word table: words_of(E{}) gives a span of Word<E>.
template <class E>
concept Worded = std::is_enum_v<E> && requires(E e) {
  { words_of(e) } -> std::convertible_to<std::span<const Word<E>>>;
};

template <Worded E>
constexpr std::string_view to_word(E v) {
  for (const Word<E>& w : words_of(E{}))
    if (w.value == v) return w.word;
  // A value outside the table is a broken invariant, never bad input.
  throw std::logic_error("an enumeration value without a word");
}

template <Worded E>
constexpr std::optional<E> from_word(std::string_view s) {
  for (const Word<E>& w : words_of(E{}))
    if (w.word == s) return w.value;
  return std::nullopt;
}

template <Worded E>
std::vector<std::string> word_list() {
  std::vector<std::string> out;
  for (const Word<E>& w : words_of(E{})) out.emplace_back(w.word);
  return out;
}

}  // namespace failsim::sim
