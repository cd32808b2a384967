// The way platform agents run the server: no key variables, only HOME with ~/.aws/config and
// ~/.aws/credentials naming a profile, plus AWS_ENDPOINT_URL. With moto's signature checking
// on, every service client, configured by the real default chain and region resolution,
// must read what boto3 created; a wrong secret must fail with AWS's own error code; missing
// credentials or region must fail clearly and at once.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "aws/credentials.h"
#include "aws/curl_http_client.h"
#include "aws/region.h"
#include "aws/services.h"
#include "aws/shared_config.h"
#include "moto_harness.h"
#include "support/fake_os.h"
#include "support/fixtures.h"

namespace ecs_mcp::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

#define ASSERT_OK(result) ASSERT_TRUE((result).ok()) << (result).error().describe()

// Only what a platform agent passes: HOME, PATH, AWS_PROFILE, the endpoint.
std::shared_ptr<testing::FakeOs> agent_environment(const std::string& home,
                                                   const std::string& endpoint,
                                                   const std::string& profile) {
  auto os = testing::FakeOs::make(home);
  os->set("HOME", home).set("PATH", "/usr/bin:/bin").set("AWS_ENDPOINT_URL", endpoint);
  if (!profile.empty()) os->set("AWS_PROFILE", profile);
  // Never reach for a real metadata service from a test.
  os->set("AWS_EC2_METADATA_DISABLED", "true");
  return os;
}

class ProfileChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    moto_ = MotoServer::instance();
    ASSERT_NE(moto_, nullptr);
    ASSERT_TRUE(moto_->reset());
  }
  void TearDown() override {
    if (moto_ != nullptr) {
      EXPECT_EQ(moto_->post("/moto-api/reset-auth", "inf"), 200);
      EXPECT_TRUE(moto_->reset());
    }
  }

  json boto(const std::string& code) {
    CommandResult result = moto_->run_python(code);
    EXPECT_EQ(result.exit_code, 0) << result.output;
    std::string last = result.output;
    while (!last.empty() && last.back() == '\n') last.pop_back();
    if (size_t nl = last.rfind('\n'); nl != std::string::npos) last.erase(0, nl + 1);
    return json::parse(last, nullptr, false);
  }

  // A client for `service` configured exactly as the product configures it.
  aws::ClientConfig chain_config(const std::shared_ptr<testing::FakeOs>& env) {
    auto shared = aws::SharedConfig::load(*env);
    EXPECT_TRUE(shared.ok());
    auto region = aws::resolve_region(*env, shared.ok() ? &*shared : nullptr);
    EXPECT_TRUE(region.ok()) << (region.ok() ? "" : region.error().describe());
    aws::ClientConfig config;
    config.region = region.ok() ? *region : "";
    config.http = std::make_shared<aws::CurlHttpClient>();
    config.credentials = aws::make_default_credentials_chain(env, config.http);
    config.os = env;
    return config;
  }

  MotoServer* moto_ = nullptr;
};

TEST_F(ProfileChainTest, EveryServiceClientReadsWithProfileCredentialsUnderSignatureChecking) {
  json ids = boto(R"(
ecs = boto3.client("ecs"); ecs.create_cluster(clusterName="agent-cluster")
ecs.register_task_definition(family="web", containerDefinitions=[{"name": "a", "image": "x", "memory": 64}])
ecs.create_service(cluster="agent-cluster", serviceName="web", taskDefinition="web", desiredCount=1)
boto3.client("logs").create_log_group(logGroupName="/ecs/agent")
boto3.client("ecr").create_repository(repositoryName="agent-repo")
boto3.client("cloudformation").create_stack(StackName="agent-stack", TemplateBody=json.dumps(
    {"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "agent-q"}}}}))
ec2 = boto3.client("ec2")
vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
boto3.client("elbv2").create_target_group(Name="agent-tg", Protocol="HTTP", Port=80, VpcId=vpc,
                                          TargetType="ip")
iam = boto3.client("iam")
iam.create_role(RoleName="agent-role", AssumeRolePolicyDocument="{}")
boto3.client("application-autoscaling").register_scalable_target(
    ServiceNamespace="ecs", ResourceId="service/agent-cluster/web",
    ScalableDimension="ecs:service:DesiredCount", MinCapacity=1, MaxCapacity=4)
iam.create_user(UserName="agent")
policy = iam.create_policy(PolicyName="all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))["Policy"]["Arn"]
iam.attach_user_policy(UserName="agent", PolicyArn=policy)
key = iam.create_access_key(UserName="agent")["AccessKey"]
print(json.dumps({"id": key["AccessKeyId"], "secret": key["SecretAccessKey"], "vpc": vpc}))
)");
  ASSERT_TRUE(ids.is_object());
  TempDir home("ecs-mcp-home-");
  home.write(".aws/credentials",
             "[ops]\naws_access_key_id = " + ids["id"].get<std::string>() +
                 "\naws_secret_access_key = " + ids["secret"].get<std::string>() + "\n");
  home.write(".aws/config", "[profile ops]\nregion = us-east-1\noutput = json\n");
  ASSERT_EQ(moto_->post("/moto-api/reset-auth", "0"), 200);

  auto env = agent_environment(home.path().string(), moto_->endpoint(), "ops");
  auto config = chain_config(env);
  ASSERT_EQ(config.region, "us-east-1");

  auto clusters =
      aws::EcsClient(config).call("DescribeClusters", {{"clusters", {"agent-cluster"}}});
  ASSERT_OK(clusters);
  EXPECT_EQ((*clusters)["clusters"][0]["clusterName"], "agent-cluster");

  auto groups =
      aws::LogsClient(config).call("DescribeLogGroups", {{"logGroupNamePrefix", "/ecs/"}});
  ASSERT_OK(groups);
  EXPECT_EQ((*groups)["logGroups"][0]["logGroupName"], "/ecs/agent");

  auto repos = aws::EcrClient(config).call("DescribeRepositories", json::object());
  ASSERT_OK(repos);
  EXPECT_EQ((*repos)["repositories"][0]["repositoryName"], "agent-repo");

  auto stacks =
      aws::CloudFormationClient(config).call("DescribeStacks", {{"StackName", "agent-stack"}});
  ASSERT_OK(stacks);
  EXPECT_EQ((*stacks)["Stacks"][0]["StackName"], "agent-stack");

  auto tgs = aws::Elbv2Client(config).call("DescribeTargetGroups", {{"Names", {"agent-tg"}}});
  ASSERT_OK(tgs);
  EXPECT_EQ((*tgs)["TargetGroups"][0]["VpcId"], ids["vpc"]);

  auto vpcs = aws::Ec2Client(config).call("DescribeVpcs", {{"VpcIds", {ids["vpc"]}}});
  ASSERT_OK(vpcs);
  EXPECT_EQ((*vpcs)["Vpcs"][0]["VpcId"], ids["vpc"]);

  auto role = aws::IamClient(config).call("GetRole", {{"RoleName", "agent-role"}});
  ASSERT_OK(role);
  EXPECT_EQ((*role)["Role"]["RoleName"], "agent-role");

  auto me = aws::StsClient(config).call("GetCallerIdentity", json::object());
  ASSERT_OK(me);
  EXPECT_NE((*me)["Arn"].get<std::string>().find("user/agent"), std::string::npos) << (*me).dump();

  auto targets = aws::ApplicationAutoScalingClient(config).call("DescribeScalableTargets",
                                                                {{"ServiceNamespace", "ecs"}});
  ASSERT_OK(targets);
  EXPECT_EQ((*targets)["ScalableTargets"][0]["ResourceId"], "service/agent-cluster/web");
}

TEST_F(ProfileChainTest, AWrongSecretInTheProfileFailsWithAwsOwnCode) {
  json ids = boto(R"(
iam = boto3.client("iam")
iam.create_user(UserName="agent")
policy = iam.create_policy(PolicyName="all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))["Policy"]["Arn"]
iam.attach_user_policy(UserName="agent", PolicyArn=policy)
key = iam.create_access_key(UserName="agent")["AccessKey"]
print(json.dumps({"id": key["AccessKeyId"]}))
)");
  TempDir home("ecs-mcp-home-");
  home.write(".aws/credentials", "[default]\naws_access_key_id = " + ids["id"].get<std::string>() +
                                     "\naws_secret_access_key = not-the-secret\n");
  home.write(".aws/config", "[default]\nregion = us-east-1\n");
  ASSERT_EQ(moto_->post("/moto-api/reset-auth", "0"), 200);
  auto config = chain_config(agent_environment(home.path().string(), moto_->endpoint(), ""));
  auto refused = aws::EcsClient(config).call("ListClusters", json::object());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().service_code, "SignatureDoesNotMatch") << refused.error().describe();
  EXPECT_EQ(refused.error().http_status, 403);
}

TEST_F(ProfileChainTest, MissingCredentialsAndRegionFailClearlyAndAtOnce) {
  TempDir home("ecs-mcp-home-");  // no files at all
  auto env = agent_environment(home.path().string(), moto_->endpoint(), "");
  auto shared = aws::SharedConfig::load(*env);
  ASSERT_OK(shared);
  auto region = aws::resolve_region(*env, &*shared);
  ASSERT_FALSE(region.ok());
  EXPECT_EQ(region.error().code, ErrorCode::kNoRegion);
  EXPECT_NE(region.error().message.find("AWS_REGION"), std::string::npos);

  aws::ClientConfig config;
  config.region = "us-east-1";
  config.http = std::make_shared<aws::CurlHttpClient>();
  config.credentials = aws::make_default_credentials_chain(env, config.http);
  config.os = env;
  auto t0 = std::chrono::steady_clock::now();
  auto result = aws::EcsClient(config).call("ListClusters", json::object());
  auto elapsed = std::chrono::steady_clock::now() - t0;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kNoCredentials) << result.error().describe();
  EXPECT_NE(result.error().message.find("AWS_ACCESS_KEY_ID"), std::string::npos)
      << result.error().message;
  EXPECT_NE(result.error().message.find(".aws/credentials"), std::string::npos)
      << result.error().message;
  // "At once" here means no network wait: nothing was configured, so nothing is tried remotely.
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

}  // namespace
}  // namespace ecs_mcp::testing
