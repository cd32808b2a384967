#include "aws/endpoints.h"

#include <gtest/gtest.h>

#include <map>

#include "aws/services.h"
#include "support/fake_os.h"

namespace ecs_mcp::aws {
namespace {

std::shared_ptr<testing::FakeOs> fake_env(const std::map<std::string, std::string>& values) {
  auto os = testing::FakeOs::make();
  for (const auto& [name, value] : values) os->set(name, value);
  return os;
}

std::string url_of(const ServiceDescriptor& service, const std::string& region,
                   std::map<std::string, std::string> env = {}) {
  auto resolved = resolve_endpoint(service.endpoint, region, *fake_env(env));
  return resolved.ok() ? resolved->url : "error: " + resolved.error().describe();
}

TEST(Endpoints, StandardRegionalEndpoints) {
  EXPECT_EQ(url_of(service_descriptor(Service::kEcs), "eu-west-1"),
            "https://ecs.eu-west-1.amazonaws.com");
  EXPECT_EQ(url_of(service_descriptor(Service::kLogs), "us-east-2"),
            "https://logs.us-east-2.amazonaws.com");
  EXPECT_EQ(url_of(service_descriptor(Service::kEcr), "us-east-1"),
            "https://api.ecr.us-east-1.amazonaws.com");
  EXPECT_EQ(url_of(service_descriptor(Service::kElbv2), "ap-south-1"),
            "https://elasticloadbalancing.ap-south-1.amazonaws.com");
  EXPECT_EQ(url_of(service_descriptor(Service::kCloudFormation), "us-west-2"),
            "https://cloudformation.us-west-2.amazonaws.com");
  EXPECT_EQ(url_of(service_descriptor(Service::kEc2), "sa-east-1"),
            "https://ec2.sa-east-1.amazonaws.com");
  EXPECT_EQ(url_of(service_descriptor(Service::kSts), "eu-central-1"),
            "https://sts.eu-central-1.amazonaws.com");
  EXPECT_EQ(url_of(service_descriptor(Service::kApplicationAutoScaling), "us-east-1"),
            "https://application-autoscaling.us-east-1.amazonaws.com");
  EXPECT_EQ(url_of(service_descriptor(Service::kEcs), "cn-north-1"),
            "https://ecs.cn-north-1.amazonaws.com.cn");
}

TEST(Endpoints, IamIsGlobalAndSignedForThePartitionHome) {
  auto resolved =
      resolve_endpoint(service_descriptor(Service::kIam).endpoint, "eu-west-3", *fake_env({}));
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->url, "https://iam.amazonaws.com");
  EXPECT_EQ(resolved->signing_region, "us-east-1");
  resolved =
      resolve_endpoint(service_descriptor(Service::kIam).endpoint, "us-gov-east-1", *fake_env({}));
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->url, "https://iam.us-gov.amazonaws.com");
  EXPECT_EQ(resolved->signing_region, "us-gov-west-1");
  resolved =
      resolve_endpoint(service_descriptor(Service::kIam).endpoint, "cn-northwest-1", *fake_env({}));
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->url, "https://iam.cn-north-1.amazonaws.com.cn");
}

TEST(Endpoints, RegionalSigningRegionIsTheRegion) {
  auto resolved =
      resolve_endpoint(service_descriptor(Service::kEcs).endpoint, "eu-west-1", *fake_env({}));
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->signing_region, "eu-west-1");
}

TEST(Endpoints, GlobalOverrideAppliesToEveryService) {
  std::map<std::string, std::string> env = {{"AWS_ENDPOINT_URL", "http://localhost:5000/"}};
  for (const ServiceDescriptor* service :
       {&service_descriptor(Service::kEcs), &service_descriptor(Service::kLogs),
        &service_descriptor(Service::kEcr), &service_descriptor(Service::kElbv2),
        &service_descriptor(Service::kCloudFormation), &service_descriptor(Service::kEc2),
        &service_descriptor(Service::kIam), &service_descriptor(Service::kSts),
        &service_descriptor(Service::kApplicationAutoScaling)}) {
    EXPECT_EQ(url_of(*service, "us-west-2", env), "http://localhost:5000") << service->name;
  }
}

TEST(Endpoints, PerServiceOverrideWinsOverGlobal) {
  const std::map<const ServiceDescriptor*, std::string> suffixes = {
      {&service_descriptor(Service::kEcs), "ECS"},
      {&service_descriptor(Service::kLogs), "CLOUDWATCH_LOGS"},
      {&service_descriptor(Service::kEcr), "ECR"},
      {&service_descriptor(Service::kElbv2), "ELASTIC_LOAD_BALANCING_V2"},
      {&service_descriptor(Service::kCloudFormation), "CLOUDFORMATION"},
      {&service_descriptor(Service::kEc2), "EC2"},
      {&service_descriptor(Service::kIam), "IAM"},
      {&service_descriptor(Service::kSts), "STS"},
      {&service_descriptor(Service::kApplicationAutoScaling), "APPLICATION_AUTO_SCALING"}};
  for (const auto& [service, suffix] : suffixes) {
    std::map<std::string, std::string> env = {
        {"AWS_ENDPOINT_URL", "http://global:1"},
        {"AWS_ENDPOINT_URL_" + suffix, "https://special.example:8443"}};
    EXPECT_EQ(url_of(*service, "us-east-1", env), "https://special.example:8443") << suffix;
  }
  // Another service's variable does not leak.
  EXPECT_EQ(url_of(service_descriptor(Service::kEcs), "us-east-1",
                   {{"AWS_ENDPOINT_URL_ECR", "http://ecr:1"}}),
            "https://ecs.us-east-1.amazonaws.com");
}

TEST(Endpoints, OverrideSignsForTheConfiguredRegion) {
  auto resolved = resolve_endpoint(service_descriptor(Service::kIam).endpoint, "eu-west-1",
                                   *fake_env({{"AWS_ENDPOINT_URL", "http://127.0.0.1:5000"}}));
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->signing_region, "eu-west-1");
}

TEST(Endpoints, Errors) {
  auto bad = resolve_endpoint(service_descriptor(Service::kEcs).endpoint, "us-east-1",
                              *fake_env({{"AWS_ENDPOINT_URL_ECS", "ftp://x"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidEndpoint);
  EXPECT_NE(bad.error().message.find("AWS_ENDPOINT_URL_ECS"), std::string::npos);
  auto no_region = resolve_endpoint(service_descriptor(Service::kEcs).endpoint, "", *fake_env({}));
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
  auto r = resolve_endpoint(EndpointSpec{"logs", "CLOUDWATCH_LOGS", false}, "x.evil.com/",
                            testing::FakeOs());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidRegion);
}

}  // namespace
}  // namespace ecs_mcp::aws
