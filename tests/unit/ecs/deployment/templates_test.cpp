// The embedded CloudFormation templates pass cfn-lint (preinstalled) with no errors or
// warnings, and carry what the issue asks of them.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ecs/deployment/embedded_templates.h"
#include "support/fixtures.h"
#include "support/python.h"

namespace ecs_mcp::ecs {
namespace {

using nlohmann::json;

void expect_cfn_lint_clean(const std::string& name) {
  auto text = find_template(name);
  ASSERT_TRUE(text) << name << " is not embedded";
  testing::TempDir dir;
  auto file = dir.write("template.json", std::string(*text));
  auto r = testing::run_command("cfn-lint --format parseable " + file.string());
  if (r.exit_code == 127) GTEST_SKIP() << "needs cfn-lint: " << r.output;
  ASSERT_NE(r.exit_code, -1) << r.output;
  EXPECT_EQ(r.exit_code, 0) << name << ":\n" << r.output;
  EXPECT_EQ(r.output, "") << name << ":\n" << r.output;
}

TEST(Templates, EcrTemplatePassesCfnLint) { expect_cfn_lint_clean("cloudformation/ecr.json"); }
TEST(Templates, EcsTemplatePassesCfnLint) { expect_cfn_lint_clean("cloudformation/ecs.json"); }

TEST(Templates, EcsTemplateHasTheRequiredPieces) {
  json t = json::parse(std::string(*find_template("cloudformation/ecs.json")));
  const json& r = t["Resources"];
  EXPECT_EQ(r["Service"]["Properties"]["DeploymentConfiguration"]["DeploymentCircuitBreaker"],
            json({{"Enable", true}, {"Rollback", true}}));
  EXPECT_EQ(r["Service"]["Properties"]["LaunchType"], "FARGATE");
  EXPECT_EQ(
      r["TaskDefinition"]["Properties"]["ContainerDefinitions"][0]["LogConfiguration"]["LogDriver"],
      "awslogs");
  EXPECT_EQ(r["HttpsListener"]["Condition"], "HasCertificate");
  EXPECT_EQ(r["ScalableTarget"]["Condition"], "AutoScaling");
  EXPECT_EQ(r["Vpc"]["Condition"], "CreateVpc");
  EXPECT_EQ(r["LogGroup"]["Type"], "AWS::Logs::LogGroup");
  // Least privilege: the tasks accept traffic only from the load balancer's security group.
  EXPECT_FALSE(r["ServiceSecurityGroup"]["Properties"].contains("SecurityGroupIngress"));
  EXPECT_TRUE(r["ServiceIngressFromLoadBalancer"]["Properties"].contains("SourceSecurityGroupId"));
  // No AWS-managed policies: the execution role is scoped to the repository and the log group.
  EXPECT_FALSE(r["TaskExecutionRole"]["Properties"].contains("ManagedPolicyArns"));
  EXPECT_TRUE(t["Outputs"].contains("LoadBalancerUrl"));
}

}  // namespace
}  // namespace ecs_mcp::ecs
