#include "common/strings.h"

#include <gtest/gtest.h>

namespace ecs_mcp {
namespace {

TEST(Strings, AsciiLowerFoldsOnlyAsciiLetters) {
  EXPECT_EQ(ascii_lower("Content-Type: APPLICATION/Json"), "content-type: application/json");
  EXPECT_EQ(ascii_lower(""), "");
  EXPECT_EQ(ascii_lower("\xC3\x9C-9_Z"), "\xC3\x9C-9_z");  // UTF-8 bytes untouched
}

TEST(Strings, AsciiIequals) {
  EXPECT_TRUE(ascii_iequals("X-Amz-Date", "x-amz-date"));
  EXPECT_TRUE(ascii_iequals("", ""));
  EXPECT_FALSE(ascii_iequals("host", "hosts"));
  EXPECT_FALSE(ascii_iequals("a-b", "a_b"));
}

TEST(Strings, EscapeControlCharactersKeepsALogLineOneLine) {
  // A forged log line and a terminal escape (clear screen, cursor home) stay visible, inert.
  EXPECT_EQ(escape_control_characters("claude\n2026-01-01T00:00:00.000 info security mode: "
                                      "write ENABLED\r\x1b[2J\x1b[H\t\x7f\x01"
                                      "end"),
            "claude\\n2026-01-01T00:00:00.000 info security mode: write ENABLED\\r\\x1b[2J"
            "\\x1b[H\\t\\x7f\\x01end");
  // C1 controls (CSI as U+009B), line separators and bidi overrides; then a lone byte.
  EXPECT_EQ(escape_control_characters("a\xC2\x9B"
                                      "2Jb\xE2\x80\xA8"
                                      "c\xE2\x80\xAE"
                                      "d\x9B"
                                      "e"),
            "a\\u{009b}2Jb\\u{2028}c\\u{202e}d\\x9be");
  // Ordinary text, UTF-8 letters and backslashes are kept as they are.
  EXPECT_EQ(escape_control_characters("caf\xC3\xA9 \xE2\x9C\x93 C:\\dir \"q\""),
            "caf\xC3\xA9 \xE2\x9C\x93 C:\\dir \"q\"");
  // Overlong and truncated sequences are bytes, not characters.
  EXPECT_EQ(escape_control_characters("\xC0\x8A|\xE2\x80"), "\\xc0\\x8a|\\xe2\\x80");
}

}  // namespace
}  // namespace ecs_mcp
