#include "common/random.h"

#include <gtest/gtest.h>

#include <array>
#include <regex>
#include <set>

namespace ecs_mcp {
namespace {

TEST(Random, BytesAreFilledAndDiffer) {
  std::array<unsigned char, 32> a{}, b{};
  ASSERT_TRUE(random_bytes(a).ok());
  ASSERT_TRUE(random_bytes(b).ok());
  EXPECT_NE(a, b);
  EXPECT_TRUE(random_bytes(std::span<unsigned char>()).ok());
  auto text = random_bytes(size_t{24});
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text->size(), 24u);
  EXPECT_NE(*text, std::string(24, '\0'));
}

TEST(Random, HexHasTwoCharactersPerByte) {
  auto hex = random_hex(16);
  ASSERT_TRUE(hex.ok());
  EXPECT_TRUE(std::regex_match(*hex, std::regex("[0-9a-f]{32}"))) << *hex;
  EXPECT_EQ(random_hex(0).value(), "");
}

TEST(Random, UuidIsVersion4) {
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    auto uuid = random_uuid();
    ASSERT_TRUE(uuid.ok());
    EXPECT_TRUE(std::regex_match(
        *uuid, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
        << *uuid;
    seen.insert(*uuid);
  }
  EXPECT_EQ(seen.size(), 50u);
}

TEST(Random, FractionIsInTheUnitInterval) {
  double low = 1, high = 0;
  for (int i = 0; i < 1000; ++i) {
    auto f = random_fraction();
    ASSERT_TRUE(f.ok());
    ASSERT_GE(*f, 0.0);
    ASSERT_LT(*f, 1.0);
    low = std::min(low, *f);
    high = std::max(high, *f);
  }
  EXPECT_LT(low, 0.1);
  EXPECT_GT(high, 0.9);
}

}  // namespace
}  // namespace ecs_mcp
