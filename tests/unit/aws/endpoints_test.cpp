#include "aws/endpoints.h"

#include <gtest/gtest.h>

#include <map>

#include "aws/application_autoscaling.h"
#include "aws/cloudformation.h"
#include "aws/ec2.h"
#include "aws/ecr.h"
#include "aws/ecs.h"
#include "aws/elbv2.h"
#include "aws/iam.h"
#include "aws/logs.h"
#include "aws/sts.h"

namespace ecs_mcp::aws {
namespace {

EnvLookup fake_env(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };
}

std::string url_of(const ServiceDescriptor& service, const std::string& region,
                   std::map<std::string, std::string> env = {}) {
  auto resolved = resolve_endpoint(service.endpoint, region, fake_env(std::move(env)));
  return resolved.ok() ? resolved->url : "error: " + resolved.error().describe();
}

TEST(Endpoints, StandardRegionalEndpoints) {
  EXPECT_EQ(url_of(ecs_service(), "eu-west-1"), "https://ecs.eu-west-1.amazonaws.com");
  EXPECT_EQ(url_of(logs_service(), "us-east-2"), "https://logs.us-east-2.amazonaws.com");
  EXPECT_EQ(url_of(ecr_service(), "us-east-1"), "https://api.ecr.us-east-1.amazonaws.com");
  EXPECT_EQ(url_of(elbv2_service(), "ap-south-1"),
            "https://elasticloadbalancing.ap-south-1.amazonaws.com");
  EXPECT_EQ(url_of(cloudformation_service(), "us-west-2"),
            "https://cloudformation.us-west-2.amazonaws.com");
  EXPECT_EQ(url_of(ec2_service(), "sa-east-1"), "https://ec2.sa-east-1.amazonaws.com");
  EXPECT_EQ(url_of(sts_service(), "eu-central-1"), "https://sts.eu-central-1.amazonaws.com");
  EXPECT_EQ(url_of(application_autoscaling_service(), "us-east-1"),
            "https://application-autoscaling.us-east-1.amazonaws.com");
  EXPECT_EQ(url_of(ecs_service(), "cn-north-1"), "https://ecs.cn-north-1.amazonaws.com.cn");
}

TEST(Endpoints, IamIsGlobalAndSignedForThePartitionHome) {
  auto resolved = resolve_endpoint(iam_service().endpoint, "eu-west-3", fake_env({}));
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->url, "https://iam.amazonaws.com");
  EXPECT_EQ(resolved->signing_region, "us-east-1");
  resolved = resolve_endpoint(iam_service().endpoint, "us-gov-east-1", fake_env({}));
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->url, "https://iam.us-gov.amazonaws.com");
  EXPECT_EQ(resolved->signing_region, "us-gov-west-1");
  resolved = resolve_endpoint(iam_service().endpoint, "cn-northwest-1", fake_env({}));
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->url, "https://iam.cn-north-1.amazonaws.com.cn");
}

TEST(Endpoints, RegionalSigningRegionIsTheRegion) {
  auto resolved = resolve_endpoint(ecs_service().endpoint, "eu-west-1", fake_env({}));
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->signing_region, "eu-west-1");
}

TEST(Endpoints, GlobalOverrideAppliesToEveryService) {
  std::map<std::string, std::string> env = {{"AWS_ENDPOINT_URL", "http://localhost:5000/"}};
  for (const ServiceDescriptor* service :
       {&ecs_service(), &logs_service(), &ecr_service(), &elbv2_service(),
        &cloudformation_service(), &ec2_service(), &iam_service(), &sts_service(),
        &application_autoscaling_service()}) {
    EXPECT_EQ(url_of(*service, "us-west-2", env), "http://localhost:5000") << service->name;
  }
}

TEST(Endpoints, PerServiceOverrideWinsOverGlobal) {
  const std::map<const ServiceDescriptor*, std::string> suffixes = {
      {&ecs_service(), "ECS"},
      {&logs_service(), "CLOUDWATCH_LOGS"},
      {&ecr_service(), "ECR"},
      {&elbv2_service(), "ELASTIC_LOAD_BALANCING_V2"},
      {&cloudformation_service(), "CLOUDFORMATION"},
      {&ec2_service(), "EC2"},
      {&iam_service(), "IAM"},
      {&sts_service(), "STS"},
      {&application_autoscaling_service(), "APPLICATION_AUTO_SCALING"}};
  for (const auto& [service, suffix] : suffixes) {
    std::map<std::string, std::string> env = {
        {"AWS_ENDPOINT_URL", "http://global:1"},
        {"AWS_ENDPOINT_URL_" + suffix, "https://special.example:8443"}};
    EXPECT_EQ(url_of(*service, "us-east-1", env), "https://special.example:8443") << suffix;
  }
  // Another service's variable does not leak.
  EXPECT_EQ(url_of(ecs_service(), "us-east-1", {{"AWS_ENDPOINT_URL_ECR", "http://ecr:1"}}),
            "https://ecs.us-east-1.amazonaws.com");
}

TEST(Endpoints, OverrideSignsForTheConfiguredRegion) {
  auto resolved = resolve_endpoint(iam_service().endpoint, "eu-west-1",
                                   fake_env({{"AWS_ENDPOINT_URL", "http://127.0.0.1:5000"}}));
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->signing_region, "eu-west-1");
}

TEST(Endpoints, Errors) {
  auto bad = resolve_endpoint(ecs_service().endpoint, "us-east-1",
                              fake_env({{"AWS_ENDPOINT_URL_ECS", "ftp://x"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidEndpoint);
  EXPECT_NE(bad.error().message.find("AWS_ENDPOINT_URL_ECS"), std::string::npos);
  auto no_region = resolve_endpoint(ecs_service().endpoint, "", fake_env({}));
  ASSERT_FALSE(no_region.ok());
  EXPECT_EQ(no_region.error().code, ErrorCode::kNoRegion);
}

TEST(Urls, ParseAndHostHeader) {
  auto url = parse_url("https://ecs.us-east-1.amazonaws.com:443/a/b?x=1&y=2#frag");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "ecs.us-east-1.amazonaws.com");
  EXPECT_EQ(url->port, "443");
  EXPECT_EQ(url->path, "/a/b");
  EXPECT_EQ(url->query, "x=1&y=2");
  EXPECT_EQ(url->host_header(), "ecs.us-east-1.amazonaws.com");
  url = parse_url("http://[::1]:5000");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host_header(), "[::1]:5000");
  EXPECT_EQ(url->path, "/");
  EXPECT_FALSE(parse_url("localhost:5000").ok());
}

}  // namespace
}  // namespace ecs_mcp::aws

namespace ecs_mcp::aws {
namespace {

// A region can come from account data (a task definition's awslogs-region); it becomes part
// of a host name, so only region-shaped names may pass.
TEST(Endpoints, RegionNamesAreValidatedBeforeTheyBecomeHostNames) {
  for (const char* good : {"us-east-1", "eu-central-2", "us-gov-west-1", "cn-north-1",
                           "ap-southeast-5", "us-isob-east-1"}) {
    EXPECT_TRUE(is_valid_region_name(good)) << good;
  }
  for (const char* bad : {"x.evil.com/", "us-east-1.evil.com", "US-EAST-1", "us-east", "-us-east-1",
                          "us--east-1", "us-east-1 ", "us-east-1/", "us_east_1", "a-b-"}) {
    EXPECT_FALSE(is_valid_region_name(bad)) << bad;
  }
  auto r = resolve_endpoint(
      EndpointSpec{"logs", "CLOUDWATCH_LOGS", false}, "x.evil.com/",
      [](const std::string&) -> std::optional<std::string> { return std::nullopt; });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidRegion);
}

}  // namespace
}  // namespace ecs_mcp::aws
