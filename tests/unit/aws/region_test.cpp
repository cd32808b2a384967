#include "aws/region.h"

#include <gtest/gtest.h>

#include "credentials_test_support.h"

namespace ecs_mcp::aws {
namespace {

using testing::FakeOs;

SharedConfig sample_config() {
  auto config = SharedConfig::parse(
      "[default]\nregion = us-east-1\n"
      "[profile dev]\nregion = eu-west-1\n"
      "[profile noregion]\noutput = json\n",
      "[dev]\nregion = eu-central-1\n",  // the credentials file wins, even for region
      "/home/u/.aws/config", "/home/u/.aws/credentials");
  EXPECT_TRUE(config.ok());
  return std::move(config).value();
}

TEST(ResolveRegion, AwsRegionBeatsEverything) {
  const SharedConfig config = sample_config();
  FakeOs env;
  env.set("AWS_REGION", "ap-southeast-2").set("AWS_DEFAULT_REGION", "sa-east-1");
  env.set("AWS_PROFILE", "dev");
  EXPECT_EQ(*resolve_region(env, &config), "ap-southeast-2");
}

TEST(ResolveRegion, DefaultRegionBeatsProfile) {
  const SharedConfig config = sample_config();
  FakeOs env;
  env.set("AWS_DEFAULT_REGION", "sa-east-1").set("AWS_PROFILE", "dev");
  EXPECT_EQ(*resolve_region(env, &config), "sa-east-1");
  env.set("AWS_REGION", "");  // empty is unset
  EXPECT_EQ(*resolve_region(env, &config), "sa-east-1");
}

TEST(ResolveRegion, SelectedProfileThenOverride) {
  const SharedConfig config = sample_config();
  FakeOs env;
  EXPECT_EQ(*resolve_region(env, &config), "us-east-1");
  env.set("AWS_PROFILE", "dev");
  EXPECT_EQ(*resolve_region(env, &config), "eu-central-1");
  EXPECT_EQ(*resolve_region(env, &config, "default"), "us-east-1");
}

TEST(ResolveRegion, NoRegionSaysHowToSetOne) {
  const SharedConfig config = sample_config();
  FakeOs env;
  env.set("AWS_PROFILE", "noregion");
  auto region = resolve_region(env, &config);
  ASSERT_FALSE(region.ok());
  EXPECT_EQ(region.error().code, ErrorCode::kNoRegion);
  const std::string& m = region.error().message;
  EXPECT_NE(m.find("AWS_REGION"), std::string::npos) << m;
  EXPECT_NE(m.find("region = "), std::string::npos) << m;
  EXPECT_NE(m.find("[profile noregion]"), std::string::npos) << m;
  EXPECT_NE(m.find("/home/u/.aws/config"), std::string::npos) << m;
}

TEST(ResolveRegion, WithoutConfigOnlyEnvironmentAndMessageNamesDefaultPath) {
  FakeOs env("/home/someone");
  auto region = resolve_region(env, nullptr);
  ASSERT_FALSE(region.ok());
  EXPECT_NE(region.error().message.find("[default]"), std::string::npos);
  EXPECT_NE(region.error().message.find("/home/someone/.aws/config"), std::string::npos);
  env.set("AWS_DEFAULT_REGION", "us-west-1");
  EXPECT_EQ(*resolve_region(env, nullptr), "us-west-1");
}

}  // namespace
}  // namespace ecs_mcp::aws
