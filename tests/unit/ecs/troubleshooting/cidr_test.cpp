// CIDR blocks of both address families: what parses, and which block contains which.
#include "ecs/troubleshooting/cidr.h"

#include <gtest/gtest.h>

namespace ecs_mcp::ecs::troubleshooting {
namespace {

Cidr cidr(const char* text) {
  auto c = Cidr::parse(text);
  EXPECT_TRUE(c.has_value()) << text;
  return c.value_or(Cidr{});
}

TEST(Cidr, ParsesBothFamiliesWithOrWithoutAPrefix) {
  EXPECT_EQ(cidr("10.0.0.0/16").family(), Cidr::Family::kIpv4);
  EXPECT_EQ(cidr("10.0.0.0/16").prefix(), 16);
  EXPECT_EQ(cidr("10.0.0.7").prefix(), 32);
  EXPECT_EQ(cidr("2600:1f18:abc::/56").family(), Cidr::Family::kIpv6);
  EXPECT_EQ(cidr("2600:1f18:abc::/56").prefix(), 56);
  EXPECT_EQ(cidr("::/0").prefix(), 0);
  EXPECT_EQ(cidr("fe80::1").prefix(), 128);
}

TEST(Cidr, RefusesWhatIsNotACidr) {
  for (const char* bad :
       {"", "10.0.0/16", "300.0.0.0/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/16x",
        " 10.0.0.0/8", "::/129", "2600::zz/64", "::/-1", "0.0.0.0/0000"}) {
    EXPECT_FALSE(Cidr::parse(bad).has_value()) << bad;
  }
}

TEST(Cidr, ContainmentFollowsThePrefix) {
  EXPECT_TRUE(cidr("0.0.0.0/0").contains(cidr("10.1.2.0/24")));
  EXPECT_TRUE(cidr("10.0.0.0/16").contains(cidr("10.0.5.0/24")));
  EXPECT_TRUE(cidr("10.0.0.0/16").contains(cidr("10.0.0.0/16")));
  EXPECT_FALSE(cidr("10.0.5.0/24").contains(cidr("10.0.0.0/16")));
  EXPECT_FALSE(cidr("10.0.0.0/16").contains(cidr("10.1.0.0/24")));
  // A prefix that is not a whole number of bytes.
  EXPECT_TRUE(cidr("10.0.0.0/12").contains(cidr("10.15.255.0/24")));
  EXPECT_FALSE(cidr("10.0.0.0/12").contains(cidr("10.16.0.0/24")));
  // Host bits below the prefix are ignored.
  EXPECT_TRUE(cidr("10.0.0.9/24").contains(cidr("10.0.0.200")));

  EXPECT_TRUE(cidr("::/0").contains(cidr("2600:1f18:abc:100::/64")));
  EXPECT_TRUE(cidr("2600:1f18:abc::/56").contains(cidr("2600:1f18:abc:ff::/64")));
  EXPECT_FALSE(cidr("2600:1f18:abc::/56").contains(cidr("2600:1f18:abc:100::/64")));
  EXPECT_TRUE(cidr("2600:1f18::/29").contains(cidr("2600:1f1f::1")));
  EXPECT_FALSE(cidr("2600:1f18::/29").contains(cidr("2600:1f20::1")));
}

TEST(Cidr, FamiliesNeverContainEachOther) {
  EXPECT_FALSE(cidr("0.0.0.0/0").contains(cidr("::/0")));
  EXPECT_FALSE(cidr("::/0").contains(cidr("0.0.0.0/0")));
  EXPECT_FALSE(cidr("::/0").contains(cidr("10.0.0.1")));
}

}  // namespace
}  // namespace ecs_mcp::ecs::troubleshooting
