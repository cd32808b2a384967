#include "common/percent_encoding.h"

#include <gtest/gtest.h>

namespace ecs_mcp {
namespace {

TEST(PercentEncoding, EncodesAllButTheUnreservedSet) {
  EXPECT_EQ(uri_encode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(uri_encode("a b+c/d=e&f"), "a%20b%2Bc%2Fd%3De%26f");
  EXPECT_EQ(uri_encode("\xC3\xBC"), "%C3%BC");
  EXPECT_EQ(uri_encode(std::string_view("\0", 1)), "%00");
  EXPECT_EQ(uri_encode("/a b/c", /*keep_slash=*/true), "/a%20b/c");
}

TEST(PercentEncoding, DecodesWellFormedEscapesOnly) {
  EXPECT_EQ(uri_decode("a%20b%2fc%2F"), "a b/c/");
  EXPECT_EQ(uri_decode("%7B%22Version%22%3A1%7D"), "{\"Version\":1}");
  EXPECT_EQ(uri_decode("100%"), "100%");
  EXPECT_EQ(uri_decode("%zz%4"), "%zz%4");
  EXPECT_EQ(uri_decode("a+b"), "a+b");  // not form decoding: '+' stays
}

TEST(PercentEncoding, RoundTrips) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(uri_decode(uri_encode(all)), all);
}

}  // namespace
}  // namespace ecs_mcp
