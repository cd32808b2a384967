// Every service client against moto_server: resources are created with boto3 (the
// reference client) and read back through ours, so both the request encoding and the
// response shaping are checked against an independent implementation.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/curl_http_client.h"
#include "aws/services.h"
#include "moto_harness.h"
#include "support/fake_http_client.h"
#include "test_support.h"

namespace ecs_mcp::testing {
namespace {

using nlohmann::json;

class MotoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    moto_ = MotoServer::instance();
    ASSERT_NE(moto_, nullptr) << "moto_server is not running";
    ASSERT_TRUE(moto_->reset());
    http_ = std::make_shared<FakeHttpClient>();
    http_->forward_to(std::make_shared<aws::CurlHttpClient>());
  }

  aws::ClientConfig config() const { return test_config(moto_->endpoint(), http_); }

  // Runs boto3 code; its last line of output is parsed as JSON when it is JSON.
  json boto(const std::string& code) {
    CommandResult result = moto_->run_python(code);
    EXPECT_EQ(result.exit_code, 0) << result.output;
    std::string last = result.output;
    while (!last.empty() && last.back() == '\n') last.pop_back();
    if (size_t newline = last.rfind('\n'); newline != std::string::npos) {
      last.erase(0, newline + 1);
    }
    return json::parse(last, nullptr, false);
  }

  MotoServer* moto_ = nullptr;
  std::shared_ptr<FakeHttpClient> http_;  // records and counts the requests, sends them all
};

#define ASSERT_OK(result) ASSERT_TRUE((result).ok()) << (result).error().describe()

TEST_F(MotoTest, EcsClustersAndTaskDefinitions) {
  boto(R"(
ecs = boto3.client("ecs")
ecs.create_cluster(clusterName="alpha")
ecs.register_task_definition(family="web", containerDefinitions=[
    {"name": "app", "image": "nginx:1.25", "memory": 256, "essential": True}])
)");
  aws::EcsClient ecs(config());
  auto clusters = ecs.call("ListClusters", json::object());
  ASSERT_OK(clusters);
  ASSERT_EQ((*clusters)["clusterArns"].size(), 1u);
  EXPECT_NE((*clusters)["clusterArns"][0].get<std::string>().find("cluster/alpha"),
            std::string::npos);

  auto described = ecs.call("DescribeClusters", {{"clusters", {"alpha"}}});
  ASSERT_OK(described);
  EXPECT_EQ((*described)["clusters"][0]["clusterName"], "alpha");
  EXPECT_EQ((*described)["clusters"][0]["status"], "ACTIVE");

  auto definition = ecs.call("DescribeTaskDefinition", {{"taskDefinition", "web"}});
  ASSERT_OK(definition);
  const json& td = (*definition)["taskDefinition"];
  EXPECT_EQ(td["family"], "web");
  EXPECT_EQ(td["revision"], 1);
  EXPECT_EQ(td["containerDefinitions"][0]["image"], "nginx:1.25");

  auto listed = ecs.paginate("ListTaskDefinitions", json::object(),
                             *aws::service_paginator(aws::Service::kEcs, "ListTaskDefinitions"));
  ASSERT_OK(listed);
  EXPECT_EQ((*listed)["taskDefinitionArns"].size(), 1u);
}

TEST_F(MotoTest, EcsErrorKeepsCodeMessageAndStatus) {
  aws::EcsClient ecs(config());
  auto result = ecs.call("DescribeServices", {{"cluster", "missing"}, {"services", {"x"}}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().service_code, "ClusterNotFoundException");
  EXPECT_EQ(result.error().http_status, 400);
  EXPECT_FALSE(result.error().message.empty());
  EXPECT_EQ(http_->count(), 1) << "a 4xx is not retried";
}

TEST_F(MotoTest, EcsUnimplementedOperationIsAClearError) {
  aws::EcsClient ecs(config());
  auto result = ecs.call("ListServiceDeployments", {{"service", "x"}, {"cluster", "y"}});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().http_status, 500);
  EXPECT_EQ(result.error().code, ErrorCode::kUnexpectedResponse);
  EXPECT_NE(result.error().message.find("HTTP 500"), std::string::npos)
      << result.error().describe();
}

TEST_F(MotoTest, LogsFilterAndPaginateLogGroups) {
  boto(R"(
logs = boto3.client("logs")
for i in range(5):
    logs.create_log_group(logGroupName=f"/ecs/group-{i}")
logs.create_log_stream(logGroupName="/ecs/group-0", logStreamName="app/web/1")
import time
now = int(time.time() * 1000)
logs.put_log_events(logGroupName="/ecs/group-0", logStreamName="app/web/1", logEvents=[
    {"timestamp": now, "message": "started"},
    {"timestamp": now + 1, "message": "ERROR boom"}])
)");
  aws::LogsClient logs(config());
  auto events =
      logs.call("FilterLogEvents", {{"logGroupName", "/ecs/group-0"}, {"filterPattern", "ERROR"}});
  ASSERT_OK(events);
  ASSERT_EQ((*events)["events"].size(), 1u);
  EXPECT_EQ((*events)["events"][0]["message"], "ERROR boom");
  EXPECT_EQ((*events)["events"][0]["logStreamName"], "app/web/1");
  EXPECT_TRUE((*events)["events"][0]["timestamp"].is_number()) << "JSON bodies pass through";

  http_->clear();
  auto groups = logs.paginate("DescribeLogGroups", {{"limit", 2}},
                              *aws::service_paginator(aws::Service::kLogs, "DescribeLogGroups"));
  ASSERT_OK(groups);
  EXPECT_EQ((*groups)["logGroups"].size(), 5u);
  EXPECT_EQ(http_->count(), 3) << "5 groups at 2 per page";
  EXPECT_FALSE(groups->contains("nextToken"));

  aws::PageSpec capped = *aws::service_paginator(aws::Service::kLogs, "DescribeLogGroups");
  capped.max_items = 3;
  auto first = logs.paginate("DescribeLogGroups", {{"limit", 2}}, capped);
  ASSERT_OK(first);
  EXPECT_EQ((*first)["logGroups"].size(), 4u) << "whole pages up to the cap";
  ASSERT_TRUE((*first)["nextToken"].is_string()) << "the caller can continue";
  auto rest = logs.call("DescribeLogGroups", {{"limit", 2}, {"nextToken", (*first)["nextToken"]}});
  ASSERT_OK(rest);
  EXPECT_EQ((*rest)["logGroups"].size(), 1u);
}

TEST_F(MotoTest, EcrRepositories) {
  boto(R"(boto3.client("ecr").create_repository(repositoryName="team/web"))");
  aws::EcrClient ecr(config());
  auto repos = ecr.call("DescribeRepositories", {{"repositoryNames", {"team/web"}}});
  ASSERT_OK(repos);
  ASSERT_EQ((*repos)["repositories"].size(), 1u);
  EXPECT_EQ((*repos)["repositories"][0]["repositoryName"], "team/web");
  EXPECT_NE((*repos)["repositories"][0]["repositoryUri"].get<std::string>().find("team/web"),
            std::string::npos);
  auto missing = ecr.call("DescribeRepositories", {{"repositoryNames", {"nope"}}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().service_code, "RepositoryNotFoundException");
}

TEST_F(MotoTest, CloudFormationStackRoundTrip) {
  const std::string tmpl = R"({
    "Parameters": {"ClusterName": {"Type": "String"}},
    "Resources": {"Cluster": {"Type": "AWS::ECS::Cluster",
                              "Properties": {"ClusterName": {"Ref": "ClusterName"}}}},
    "Outputs": {"ClusterOut": {"Value": {"Ref": "Cluster"}}}})";
  aws::CloudFormationClient cfn(config());
  // Created through our client: Parameters.member.N and Tags.member.N must reach moto.
  auto created =
      cfn.call("CreateStack",
               {{"StackName", "svc"},
                {"TemplateBody", tmpl},
                {"Parameters", {{{"ParameterKey", "ClusterName"}, {"ParameterValue", "from-cfn"}}}},
                {"Capabilities", {"CAPABILITY_IAM"}},
                {"Tags", {{{"Key", "team"}, {"Value", "web"}}}}});
  ASSERT_OK(created);
  EXPECT_NE((*created)["StackId"].get<std::string>().find("stack/svc/"), std::string::npos);
  EXPECT_FALSE((*created)["ResponseMetadata"]["RequestId"].get<std::string>().empty());

  json seen_by_boto = boto(R"(
s = boto3.client("cloudformation").describe_stacks(StackName="svc")["Stacks"][0]
print(json.dumps({"params": s["Parameters"], "tags": s["Tags"]}))
)");
  EXPECT_EQ(seen_by_boto["params"][0]["ParameterValue"], "from-cfn");
  EXPECT_EQ(seen_by_boto["tags"][0]["Key"], "team");

  auto stacks = cfn.call("DescribeStacks", {{"StackName", "svc"}});
  ASSERT_OK(stacks);
  ASSERT_TRUE((*stacks)["Stacks"].is_array());
  ASSERT_EQ((*stacks)["Stacks"].size(), 1u) << "a one-element list is still a list";
  const json& stack = (*stacks)["Stacks"][0];
  EXPECT_EQ(stack["StackStatus"], "CREATE_COMPLETE");
  ASSERT_TRUE(stack["Parameters"].is_array());
  EXPECT_EQ(stack["Parameters"][0]["ParameterValue"], "from-cfn");
  ASSERT_TRUE(stack["Outputs"].is_array());
  EXPECT_EQ(stack["Outputs"][0]["OutputKey"], "ClusterOut");
  ASSERT_TRUE(stack["Tags"].is_array());
  EXPECT_TRUE(stack["CreationTime"].is_string()) << "XML timestamps stay ISO strings";
  if (stack.contains("DisableRollback")) {
    EXPECT_TRUE(stack["DisableRollback"].is_boolean());
  }

  auto events = cfn.call("DescribeStackEvents", {{"StackName", "svc"}});
  ASSERT_OK(events);
  ASSERT_TRUE((*events)["StackEvents"].is_array());
  EXPECT_FALSE((*events)["StackEvents"].empty());

  auto resources = cfn.call("ListStackResources", {{"StackName", "svc"}});
  ASSERT_OK(resources);
  ASSERT_EQ((*resources)["StackResourceSummaries"].size(), 1u);
  EXPECT_EQ((*resources)["StackResourceSummaries"][0]["ResourceType"], "AWS::ECS::Cluster");

  auto described = cfn.call("DescribeStackResources", {{"StackName", "svc"}});
  ASSERT_OK(described);
  EXPECT_EQ((*described)["StackResources"][0]["LogicalResourceId"], "Cluster");

  auto body = cfn.call("GetTemplate", {{"StackName", "svc"}});
  ASSERT_OK(body);
  EXPECT_NE((*body)["TemplateBody"].get<std::string>().find("AWS::ECS::Cluster"),
            std::string::npos);

  auto missing = cfn.call("DescribeStacks", {{"StackName", "nope"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().service_code, "ValidationError");
  EXPECT_EQ(missing.error().http_status, 400);
  EXPECT_NE(missing.error().message.find("nope"), std::string::npos);

  auto deleted = cfn.call("DeleteStack", {{"StackName", "svc"}});
  ASSERT_OK(deleted);
}

TEST_F(MotoTest, CloudFormationChangeSet) {
  boto(R"(
boto3.client("cloudformation").create_stack(StackName="cs", TemplateBody=json.dumps(
    {"Resources": {"Cluster": {"Type": "AWS::ECS::Cluster"}}}))
)");
  aws::CloudFormationClient cfn(config());
  auto change_set =
      cfn.call("CreateChangeSet", {{"StackName", "cs"},
                                   {"ChangeSetName", "add-group"},
                                   {"ChangeSetType", "UPDATE"},
                                   {"TemplateBody",
                                    R"({"Resources": {"Cluster": {"Type": "AWS::ECS::Cluster"},
                          "Logs": {"Type": "AWS::Logs::LogGroup"}}})"}});
  ASSERT_OK(change_set);
  auto described =
      cfn.call("DescribeChangeSet", {{"StackName", "cs"}, {"ChangeSetName", "add-group"}});
  ASSERT_OK(described);
  EXPECT_EQ((*described)["ChangeSetName"], "add-group");
  ASSERT_TRUE((*described)["Changes"].is_array());
  auto executed =
      cfn.call("ExecuteChangeSet", {{"StackName", "cs"}, {"ChangeSetName", "add-group"}});
  ASSERT_OK(executed);
  auto validated =
      cfn.call("ValidateTemplate",
               {{"TemplateBody", R"({"Resources": {"C": {"Type": "AWS::ECS::Cluster"}}})"}});
  ASSERT_OK(validated);
  EXPECT_TRUE((*validated)["Parameters"].is_array());
}

TEST_F(MotoTest, Elbv2LoadBalancersAndTargetGroups) {
  json ids = boto(R"(
ec2 = boto3.client("ec2")
vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
subnets = [s["SubnetId"] for s in ec2.describe_subnets(
    Filters=[{"Name": "vpc-id", "Values": [vpc]}])["Subnets"]][:2]
elb = boto3.client("elbv2")
lb = elb.create_load_balancer(Name="web-lb", Subnets=subnets)["LoadBalancers"][0]
tg = elb.create_target_group(Name="web-tg", Protocol="HTTP", Port=8080, VpcId=vpc,
                             TargetType="ip")["TargetGroups"][0]
print(json.dumps({"lb": lb["LoadBalancerArn"], "tg": tg["TargetGroupArn"]}))
)");
  ASSERT_TRUE(ids.is_object());
  aws::Elbv2Client elb(config());
  auto lbs = elb.call("DescribeLoadBalancers", {{"Names", {"web-lb"}}});
  ASSERT_OK(lbs);
  ASSERT_EQ((*lbs)["LoadBalancers"].size(), 1u);
  const json& lb = (*lbs)["LoadBalancers"][0];
  EXPECT_EQ(lb["LoadBalancerArn"], ids["lb"]);
  EXPECT_EQ(lb["AvailabilityZones"].size(), 2u);
  EXPECT_FALSE(lb["DNSName"].get<std::string>().empty());

  auto by_arn = elb.call("DescribeTargetGroups", {{"TargetGroupArns", {ids["tg"]}}});
  ASSERT_OK(by_arn);
  ASSERT_EQ((*by_arn)["TargetGroups"].size(), 1u);
  EXPECT_EQ((*by_arn)["TargetGroups"][0]["Port"], 8080) << "integers come back as numbers";
  EXPECT_EQ((*by_arn)["TargetGroups"][0]["TargetGroupName"], "web-tg");

  auto health = elb.call("DescribeTargetHealth", {{"TargetGroupArn", ids["tg"]}});
  ASSERT_OK(health);
  EXPECT_EQ((*health)["TargetHealthDescriptions"], json::array()) << "empty list is []";

  auto listeners = elb.call("DescribeListeners", {{"LoadBalancerArn", ids["lb"]}});
  ASSERT_OK(listeners);
  EXPECT_EQ((*listeners)["Listeners"], json::array());

  auto tags = elb.call("DescribeTags", {{"ResourceArns", {ids["lb"]}}});
  ASSERT_OK(tags);
  EXPECT_EQ((*tags)["TagDescriptions"][0]["ResourceArn"], ids["lb"]);

  auto missing = elb.call("DescribeLoadBalancers", {{"Names", {"nope"}}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().service_code, "LoadBalancerNotFound");
}

TEST_F(MotoTest, Ec2DefaultVpcNetworking) {
  aws::Ec2Client ec2(config());
  auto vpcs =
      ec2.call("DescribeVpcs", {{"Filters", {{{"Name", "isDefault"}, {"Values", {"true"}}}}}});
  ASSERT_OK(vpcs);
  ASSERT_EQ((*vpcs)["Vpcs"].size(), 1u);
  const json& vpc = (*vpcs)["Vpcs"][0];
  EXPECT_EQ(vpc["IsDefault"], true);
  EXPECT_FALSE(vpc["CidrBlock"].get<std::string>().empty());
  const std::string vpc_id = vpc["VpcId"];

  auto by_id = ec2.call("DescribeVpcs", {{"VpcIds", {vpc_id}}});
  ASSERT_OK(by_id);
  EXPECT_EQ((*by_id)["Vpcs"][0]["VpcId"], vpc_id);

  auto subnets =
      ec2.call("DescribeSubnets", {{"Filters", {{{"Name", "vpc-id"}, {"Values", {vpc_id}}}}}});
  ASSERT_OK(subnets);
  ASSERT_GE((*subnets)["Subnets"].size(), 2u);
  EXPECT_TRUE((*subnets)["Subnets"][0]["AvailableIpAddressCount"].is_number_integer());
  EXPECT_TRUE((*subnets)["Subnets"][0]["MapPublicIpOnLaunch"].is_boolean());

  auto groups = ec2.call("DescribeSecurityGroups",
                         {{"Filters", {{{"Name", "vpc-id"}, {"Values", {vpc_id}}}}}});
  ASSERT_OK(groups);
  ASSERT_FALSE((*groups)["SecurityGroups"].empty());
  const json& sg = (*groups)["SecurityGroups"][0];
  EXPECT_EQ(sg["GroupName"], "default");
  ASSERT_TRUE(sg["IpPermissionsEgress"].is_array());
  ASSERT_TRUE(sg["IpPermissions"].is_array());

  auto tables =
      ec2.call("DescribeRouteTables", {{"Filters", {{{"Name", "vpc-id"}, {"Values", {vpc_id}}}}}});
  ASSERT_OK(tables);
  ASSERT_FALSE((*tables)["RouteTables"].empty());
  ASSERT_TRUE((*tables)["RouteTables"][0]["Routes"].is_array());
  EXPECT_FALSE((*tables)["RouteTables"][0]["Routes"].empty());

  auto gateways = ec2.call("DescribeInternetGateways", json::object());
  ASSERT_OK(gateways);
  ASSERT_TRUE((*gateways)["InternetGateways"].is_array());

  for (const char* op :
       {"DescribeNatGateways", "DescribeVpcEndpoints", "DescribeNetworkInterfaces"}) {
    auto result = ec2.call(op, json::object());
    ASSERT_OK(result);
  }

  auto missing = ec2.call("DescribeVpcs", {{"VpcIds", {"vpc-00000000"}}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().service_code, "InvalidVpcID.NotFound");
  EXPECT_FALSE(missing.error().request_id.empty());
}

TEST_F(MotoTest, IamRolesAndPaging) {
  boto(R"(
iam = boto3.client("iam")
trust = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
for i in range(5):
    iam.create_role(RoleName=f"role-{i}", AssumeRolePolicyDocument=trust)
managed = iam.create_policy(PolicyName="ecs-exec", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ecr:*",
     "Resource": "*"}]}))["Policy"]["Arn"]
iam.attach_role_policy(RoleName="role-0", PolicyArn=managed)
iam.put_role_policy(RoleName="role-1", PolicyName="inline", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "logs:*",
     "Resource": "*"}]}))
)");
  aws::IamClient iam(config());
  auto role = iam.call("GetRole", {{"RoleName", "role-0"}});
  ASSERT_OK(role);
  EXPECT_EQ((*role)["Role"]["RoleName"], "role-0");
  EXPECT_TRUE((*role)["Role"]["MaxSessionDuration"].is_number_integer());
  EXPECT_NE((*role)["Role"]["AssumeRolePolicyDocument"].get<std::string>().find("ecs-tasks"),
            std::string::npos);

  auto attached = iam.call("ListAttachedRolePolicies", {{"RoleName", "role-0"}});
  ASSERT_OK(attached);
  ASSERT_EQ((*attached)["AttachedPolicies"].size(), 1u);
  EXPECT_EQ((*attached)["AttachedPolicies"][0]["PolicyName"], "ecs-exec");
  EXPECT_EQ((*attached)["IsTruncated"], false);

  auto none = iam.call("ListRolePolicies", {{"RoleName", "role-0"}});
  ASSERT_OK(none);
  EXPECT_EQ((*none)["PolicyNames"], json::array());
  auto inline_names = iam.call("ListRolePolicies", {{"RoleName", "role-1"}});
  ASSERT_OK(inline_names);
  EXPECT_EQ((*inline_names)["PolicyNames"], json::array({"inline"}));
  auto inline_policy =
      iam.call("GetRolePolicy", {{"RoleName", "role-1"}, {"PolicyName", "inline"}});
  ASSERT_OK(inline_policy);
  EXPECT_NE((*inline_policy)["PolicyDocument"].get<std::string>().find("logs"), std::string::npos);

  http_->clear();
  auto roles = iam.paginate("ListRoles", {{"MaxItems", 2}},
                            *aws::service_paginator(aws::Service::kIam, "ListRoles"));
  ASSERT_OK(roles);
  EXPECT_EQ((*roles)["Roles"].size(), 5u);
  EXPECT_EQ(http_->count(), 3);

  auto missing = iam.call("GetRole", {{"RoleName", "nope"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().service_code, "NoSuchEntity");
  EXPECT_EQ(missing.error().http_status, 404);
}

TEST_F(MotoTest, StsCallerIdentityAndAssumeRole) {
  aws::StsClient sts(config());
  auto identity = sts.call("GetCallerIdentity", json::object());
  ASSERT_OK(identity);
  EXPECT_EQ((*identity)["Account"], "123456789012");
  EXPECT_FALSE((*identity)["Arn"].get<std::string>().empty());

  auto assumed = sts.call("AssumeRole", {{"RoleArn", "arn:aws:iam::123456789012:role/deployer"},
                                         {"RoleSessionName", "ecs-mcp"}});
  ASSERT_OK(assumed);
  EXPECT_FALSE((*assumed)["Credentials"]["AccessKeyId"].get<std::string>().empty());
  EXPECT_TRUE((*assumed)["Credentials"]["Expiration"].is_string());
}

TEST_F(MotoTest, ApplicationAutoScalingTargets) {
  boto(R"(
ecs = boto3.client("ecs")
ecs.create_cluster(clusterName="default")
ecs.register_task_definition(family="web", containerDefinitions=[
    {"name": "app", "image": "nginx", "memory": 128}])
ecs.create_service(cluster="default", serviceName="web", taskDefinition="web", desiredCount=1)
boto3.client("application-autoscaling").register_scalable_target(
    ServiceNamespace="ecs", ResourceId="service/default/web",
    ScalableDimension="ecs:service:DesiredCount", MinCapacity=1, MaxCapacity=3)
)");
  aws::ApplicationAutoScalingClient aas(config());
  auto targets = aas.call("DescribeScalableTargets", {{"ServiceNamespace", "ecs"}});
  ASSERT_OK(targets);
  ASSERT_EQ((*targets)["ScalableTargets"].size(), 1u);
  EXPECT_EQ((*targets)["ScalableTargets"][0]["ResourceId"], "service/default/web");
  EXPECT_EQ((*targets)["ScalableTargets"][0]["MaxCapacity"], 3);
}

// With moto's auth mode on, the signature is verified against the IAM user's secret: a
// real external check of the signer for a JSON and a Query service.
class MotoAuthTest : public MotoTest {
 protected:
  void TearDown() override {
    if (moto_ != nullptr) {
      EXPECT_EQ(moto_->post("/moto-api/reset-auth", "inf"), 200);
      EXPECT_TRUE(moto_->reset());
    }
  }
};

TEST_F(MotoAuthTest, SignaturesAreVerified) {
  json keys = boto(R"(
iam = boto3.client("iam")
iam.create_user(UserName="signer")
policy = iam.create_policy(PolicyName="all", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*",
     "Resource": "*"}]}))["Policy"]["Arn"]
iam.attach_user_policy(UserName="signer", PolicyArn=policy)
key = iam.create_access_key(UserName="signer")["AccessKey"]
print(json.dumps({"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}))
)");
  ASSERT_TRUE(keys.is_object());
  ASSERT_EQ(moto_->post("/moto-api/reset-auth", "0"), 200);

  aws::EcsClient good(test_config(moto_->endpoint(), http_, keys["id"], keys["secret"]));
  auto listed = good.call("ListClusters", json::object());
  ASSERT_OK(listed);

  aws::CloudFormationClient good_query(
      test_config(moto_->endpoint(), http_, keys["id"], keys["secret"]));
  auto stacks = good_query.call("DescribeStacks", json::object());
  ASSERT_OK(stacks);
  EXPECT_EQ((*stacks)["Stacks"], json::array());

  aws::EcsClient bad(test_config(moto_->endpoint(), http_, keys["id"], "not-the-secret"));
  auto refused = bad.call("ListClusters", json::object());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().service_code, "SignatureDoesNotMatch") << refused.error().describe();
  EXPECT_EQ(refused.error().http_status, 403);
}

}  // namespace
}  // namespace ecs_mcp::testing
