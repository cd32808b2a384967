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

}  // namespace
}  // namespace ecs_mcp
