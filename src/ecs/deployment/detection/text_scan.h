// Scanning the contents of manifests and sources for versions, ports and names.
//
// File contents are matched by hand, never with std::regex: libstdc++'s regex recurses once per
// repeated character, so a long run of spaces or letters in a (256 KB) file overflows the stack.
// Each matcher walks the text without recursion, in time linear in its length; a skip over
// "anything but" is capped at kSkipLimit characters so that it stays so.
//
// Thread-safety: pure functions; a Cursor belongs to one caller.
#pragma once

#include <algorithm>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/strings.h"

namespace ecs_mcp::ecs::detection {

inline constexpr size_t kSkipLimit = 256;
inline constexpr std::string_view kQuotes = "\"'";

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_word(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// A position in a text and the steps the matchers are made of; a step that matches consumes
// what it matched.
class Cursor {
 public:
  Cursor(std::string_view text, size_t at) : text_(text), at_(at) {}
  size_t at() const { return at_; }
  bool done() const { return at_ >= text_.size(); }

  bool literal(std::string_view word) {
    if (text_.substr(std::min(at_, text_.size()), word.size()) != word) return false;
    at_ += word.size();
    return true;
  }
  void optional(std::string_view word) { literal(word); }
  bool one_of(std::string_view chars) {
    if (done() || chars.find(text_[at_]) == std::string_view::npos) return false;
    ++at_;
    return true;
  }
  // The longest run of characters for which `want` holds (possibly empty).
  std::string_view take_while(bool (*want)(char)) {
    size_t from = std::min(at_, text_.size());
    while (!done() && want(text_[at_])) ++at_;
    return text_.substr(from, at_ - from);
  }
  // \s*, \w*: what was skipped.
  std::string_view spaces() { return take_while(is_space); }
  std::string_view word() { return take_while(is_word); }
  // \d{min,max}: the digits taken, none when fewer than `min`.
  std::string_view digits(size_t min = 1, size_t max = std::string_view::npos) {
    size_t from = at_;
    while (!done() && is_digit(text_[at_]) && at_ - from < max) ++at_;
    if (at_ - from < min) {
      at_ = from;
      return {};
    }
    return text_.substr(from, at_ - from);
  }
  // <digits>.<digits>, as in 3.12 or 8.0.
  std::string major_minor() {
    size_t from = at_;
    if (!digits().empty() && literal(".") && !digits().empty())
      return std::string(text_.substr(from, at_ - from));
    at_ = from;
    return "";
  }
  // [^...]*: skips characters for which `stop` is false, at most kSkipLimit of them.
  void skip_until(bool (*stop)(char)) {
    for (size_t n = 0; !done() && !stop(text_[at_]) && n < kSkipLimit; ++n) ++at_;
  }

 private:
  std::string_view text_;
  size_t at_;
};

using Matcher = std::function<std::string(Cursor&, size_t)>;

// Tries `match` with a cursor just after each occurrence of `needle` in `text` (and the
// occurrence's offset); the first non-empty answer, else "".
std::string first_match(std::string_view text, std::string_view needle, const Matcher& match);

// The first run of digits, e.g. 18 in ">=18.0".
std::string first_number(std::string_view text);

// The first <digits>.<digits>, e.g. 3.3 in "ruby-3.3.0".
std::string first_major_minor(std::string_view text);

// The first "3.<digits>", e.g. 3.12 in "3.12.4".
std::string first_python3(std::string_view text);

// The first port number a source file suggests, e.g. listen(3000), PORT || 8080, port=5000;
// the patterns are tried in order, each over the whole text.
std::optional<int> port_in_source(const std::string& text);

}  // namespace ecs_mcp::ecs::detection
