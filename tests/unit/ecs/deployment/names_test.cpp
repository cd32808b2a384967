// Names and identifiers are checked against AWS's rules before any call.
#include "ecs/deployment/names.h"

#include <gtest/gtest.h>

namespace ecs_mcp::ecs {
namespace {

TEST(Names, AppNames) {
  for (const char* ok : {"web", "my-app", "a1", "shop-api-2"})
    EXPECT_FALSE(check_app_name(ok)) << ok;
  for (const char* bad :
       {"", "Web", "my_app", "-app", "app-", "my--app", "1app", "has space", "a.b"}) {
    EXPECT_TRUE(check_app_name(bad)) << bad;
  }
  EXPECT_TRUE(check_app_name(std::string(41, 'a')));
  auto hint = check_app_name("My_App");
  ASSERT_TRUE(hint);
  EXPECT_NE(hint->find("\"my-app\""), std::string::npos) << *hint;
}

TEST(Names, NetworkIdentifiers) {
  EXPECT_FALSE(check_vpc_id("vpc-0123abcd"));
  EXPECT_FALSE(check_vpc_id("vpc-0123456789abcdef0"));
  EXPECT_TRUE(check_vpc_id("vpc-xyz"));
  EXPECT_FALSE(check_subnet_ids({"subnet-0123abcd", "subnet-0123456789abcdef0"}));
  EXPECT_TRUE(check_subnet_ids({"subnet-0123abcd"})) << "the load balancer needs two";
  EXPECT_TRUE(check_subnet_ids({"subnet-0123abcd", "sg-0123abcd"}));
  EXPECT_FALSE(check_route_table_ids({"rtb-0123abcd"}));
  EXPECT_TRUE(check_route_table_ids({"rt-1"}));
}

TEST(Names, CertificatesImagesAndPaths) {
  EXPECT_FALSE(check_certificate_arn(
      "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012"));
  EXPECT_TRUE(check_certificate_arn("arn:aws:iam::123456789012:server-certificate/x"));
  EXPECT_FALSE(check_image_uri("public.ecr.aws/nginx/nginx:1.27"));
  EXPECT_FALSE(check_image_uri("123456789012.dkr.ecr.us-east-1.amazonaws.com/web:v1"));
  EXPECT_FALSE(check_image_uri("localhost:5000/web@sha256:" + std::string(64, 'a')));
  EXPECT_TRUE(check_image_uri("Bad Image"));
  EXPECT_FALSE(check_health_check_path("/"));
  EXPECT_FALSE(check_health_check_path("/actuator/health"));
  EXPECT_TRUE(check_health_check_path("health"));
  EXPECT_EQ(ecr_repository_of("123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:v1"),
            "team/web");
  EXPECT_EQ(ecr_repository_of("public.ecr.aws/nginx/nginx:1.27"), "");
}

TEST(Names, FargateSizes) {
  EXPECT_FALSE(check_fargate_size(256, 512));
  EXPECT_FALSE(check_fargate_size(256, 2048));
  EXPECT_TRUE(check_fargate_size(256, 1536));
  EXPECT_FALSE(check_fargate_size(1024, 3072));
  EXPECT_TRUE(check_fargate_size(1024, 1024));
  EXPECT_TRUE(check_fargate_size(300, 1024));
  EXPECT_FALSE(check_fargate_size(16384, 122880));
}

}  // namespace
}  // namespace ecs_mcp::ecs

namespace ecs_mcp::ecs {
namespace {

// A value long enough to exhaust std::regex's recursion is refused, not matched.
TEST(NameValidation, HugeValuesAreRefusedWithoutCrashing) {
  std::string huge = "arn:aws:acm:us-east-1:123456789012:certificate/" + std::string(100000, 'a');
  EXPECT_TRUE(check_certificate_arn(huge));
}

}  // namespace
}  // namespace ecs_mcp::ecs
