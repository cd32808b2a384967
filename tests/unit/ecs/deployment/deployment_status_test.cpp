// What moto_server cannot produce, on recorded AWS responses (botocore-shaped, under
// tests/fixtures/aws_responses/deployment) fed through the HTTP seam:
//  - get_deployment_status's verdicts: a stack rolled back (with the root-cause event), a
//    rollout stopped by the deployment circuit breaker, targets failing health checks, and a
//    healthy deployment with its load balancer URL;
//  - create_ecs_infrastructure when CloudFormation fails the stack it creates, or finds one a
//    failed creation left behind.
#include "ecs/deployment/deployment_status.h"

#include <gtest/gtest.h>

#include "ecs/deployment/infrastructure.h"
#include "ecs/deployment/status_workflow.h"
#include "mcp/json_schema.h"
#include "support/fake_aws_context.h"
#include "support/fake_http_client.h"
#include "support/fixtures.h"
#include "support/null_tool_context.h"
#include "support/python.h"

namespace ecs_mcp::ecs {
namespace {

using mcp::json;

constexpr const char* kUrl = "http://shop-alb-1234567890.us-east-1.elb.amazonaws.com";
// The root cause in describe_stack_events_rollback.xml; the other failures there are the
// "Resource creation cancelled" that follow it.
constexpr const char* kRootCause =
    "HttpsListener (AWS::ElasticLoadBalancingV2::Listener): CREATE_FAILED: Resource handler "
    "returned message: \"Certificate 'arn:aws:acm:us-east-1:123456789012:certificate/"
    "0b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d' not found";

std::string text_of(const mcp::ToolResult& r) {
  return r.content.empty() ? "" : r.content[0].value("text", "");
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(DeploymentFixtures, MatchBotocoresModels) {
  ECS_MCP_REQUIRE_PYTHON("botocore");
  auto checked = testing::run_command(
      "python3 -B '" + (testing::aws_response_path("deployment") / "check_shapes.py").string() +
      "'");
  EXPECT_EQ(checked.exit_code, 0) << checked.output;
  EXPECT_TRUE(contains(checked.output, "ok: ")) << checked.output;
}

class DeploymentStatusTest : public ::testing::Test {
 protected:
  json status(json args = {{"app_name", "shop"}}) {
    auto tool = make_deployment_status_tool(testing::fake_aws_context(http));
    testing::NullToolContext ctx;
    auto r = tool.handler(args, ctx);
    EXPECT_FALSE(r.is_error) << text_of(r);
    if (!r.structured) {
      ADD_FAILURE() << "no structured result: " << text_of(r);
      return json::object();
    }
    if (auto problem = mcp::validate_against_schema(tool.output_schema, *r.structured)) {
      ADD_FAILURE() << "output does not match the declared schema: " << *problem;
    }
    return *r.structured;
  }
  // A stack that completed, with the load balancer and target group in its outputs.
  void serve_stack(const std::string& file = "cloudformation/describe_stacks_create_complete.xml") {
    http->on_file("DescribeStacks", file);
  }

  std::shared_ptr<testing::FakeHttpClient> http =
      std::make_shared<testing::FakeHttpClient>("deployment");
};

TEST_F(DeploymentStatusTest, RolledBackStackIsFailedWithTheRootCauseAndTheWayOut) {
  serve_stack("cloudformation/describe_stacks_rollback_complete.xml");
  http->on_file("DescribeStackEvents", "cloudformation/describe_stack_events_rollback.xml");

  json s = status();

  EXPECT_EQ(s["verdict"], "FAILED");
  const std::string reason = s["reason"];
  EXPECT_TRUE(contains(reason, "shop-ecs-infrastructure is ROLLBACK_COMPLETE")) << reason;
  EXPECT_TRUE(contains(reason, kRootCause)) << "the first failure, not a cancellation: " << reason;
  EXPECT_FALSE(contains(reason, "Resource creation cancelled")) << reason;
  EXPECT_TRUE(contains(s["next_step"], "delete_ecs_infrastructure")) << s["next_step"];
  ASSERT_EQ(s["stack"]["failures"].size(), 1u) << s["stack"].dump(2);
  EXPECT_TRUE(s["stack"]["managed_by_ecs_mcp"].get<bool>());
  EXPECT_TRUE(http->calls("DescribeServices").empty())
      << "a rolled-back stack has no service to ask about";
}

TEST_F(DeploymentStatusTest, StackStillCreatingIsInProgress) {
  serve_stack("cloudformation/describe_stacks_create_in_progress.xml");
  json s = status();
  EXPECT_EQ(s["verdict"], "IN_PROGRESS");
  EXPECT_TRUE(contains(s["reason"], "CREATE_IN_PROGRESS")) << s["reason"];
  EXPECT_TRUE(contains(s["next_step"], "get_deployment_status again")) << s["next_step"];
}

TEST_F(DeploymentStatusTest, RolloutStoppedByTheCircuitBreakerIsFailed) {
  serve_stack();
  http->on_file("DescribeServices", "ecs/describe_services_first_rollout_failed.json");
  http->on_file("DescribeTargetHealth", "elbv2/describe_target_health_none.xml");

  json s = status();

  EXPECT_EQ(s["verdict"], "FAILED");
  const std::string reason = s["reason"];
  EXPECT_TRUE(contains(reason, "ECS deployment circuit breaker: tasks failed to start.")) << reason;
  EXPECT_TRUE(contains(reason, "0/2 tasks running")) << reason;
  EXPECT_EQ(s["service"]["rollout_state"], "FAILED");
  EXPECT_EQ(s["service"]["deployments"][0]["failed_tasks"], 4);
  EXPECT_TRUE(
      contains(s["service"]["recent_events"][0], "deployment failed: tasks failed to start"));
  EXPECT_TRUE(contains(s["next_step"], "/ecs/shop")) << "points at the logs: " << s["next_step"];
  // The service was asked about by the names the stack reports.
  auto asked = json::parse(http->calls("DescribeServices").at(0).request.body);
  EXPECT_EQ(asked["cluster"], "shop-cluster");
  EXPECT_EQ(asked["services"], json({"shop-service"}));
}

TEST_F(DeploymentStatusTest, FailedUpdateBeingRolledBackIsFailedNotInProgress) {
  serve_stack("cloudformation/describe_stacks_update_complete.xml");
  http->on_file("DescribeServices", "ecs/describe_services_rolling_back.json");
  http->on_file("DescribeTargetHealth", "elbv2/describe_target_health_healthy.xml");

  json s = status();

  EXPECT_EQ(s["verdict"], "FAILED") << s.dump(2);
  const std::string reason = s["reason"];
  EXPECT_TRUE(contains(reason, "latest deployment (shop:2) failed")) << reason;
  EXPECT_TRUE(contains(reason, "circuit breaker: tasks failed to start")) << reason;
  EXPECT_TRUE(contains(reason, "rolling the service back to shop:1")) << reason;
  EXPECT_TRUE(contains(s["next_step"], "fix the app and deploy again")) << s["next_step"];
}

TEST_F(DeploymentStatusTest, UnhealthyTargetsDuringARolloutAreInProgressWithTheReason) {
  serve_stack();
  http->on_file("DescribeServices", "ecs/describe_services_rollout_unhealthy.json");
  http->on_file("DescribeTargetHealth", "elbv2/describe_target_health_mismatch.xml");

  json s = status();

  EXPECT_EQ(s["verdict"], "IN_PROGRESS");
  const std::string reason = s["reason"];
  EXPECT_TRUE(
      contains(reason, "Target.ResponseCodeMismatch: Health checks failed with these codes: [404]"))
      << reason;
  EXPECT_TRUE(contains(s["next_step"], "health check path")) << s["next_step"];
  EXPECT_EQ(s["targets"]["healthy"], 0);
  EXPECT_EQ(s["targets"]["states"]["unhealthy"], 2);
  EXPECT_EQ(s["load_balancer_url"], kUrl);
  auto asked = http->calls("DescribeTargetHealth");
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_TRUE(contains(asked[0].request.body, "targetgroup%2Fshop-tg%2F73e2d6bc24d8a067"))
      << asked[0].request.body;
}

TEST_F(DeploymentStatusTest, UnhealthyTargetsAfterTheRolloutAreNotReportedComplete) {
  serve_stack();
  http->on_file("DescribeServices", "ecs/describe_services_steady.json");
  http->on_file("DescribeTargetHealth", "elbv2/describe_target_health_mismatch.xml");

  json s = status();

  // ECS replaces tasks that fail the load balancer's checks, so this is not final; the
  // circuit breaker turns it into FAILED if it goes on.
  EXPECT_EQ(s["verdict"], "IN_PROGRESS");
  EXPECT_TRUE(contains(s["reason"], "unhealthy (Target.ResponseCodeMismatch")) << s["reason"];
  EXPECT_TRUE(contains(s["next_step"], "health check path")) << s["next_step"];
}

TEST_F(DeploymentStatusTest, EverythingHealthyIsCompleteWithTheLoadBalancerUrl) {
  serve_stack();
  http->on_file("DescribeServices", "ecs/describe_services_steady.json");
  http->on_file("DescribeTargetHealth", "elbv2/describe_target_health_healthy.xml");

  json s = status();

  EXPECT_EQ(s["verdict"], "COMPLETE") << s.dump(2);
  EXPECT_EQ(s["load_balancer_url"], kUrl);
  EXPECT_TRUE(contains(s["reason"], "2/2 tasks running")) << s["reason"];
  EXPECT_EQ(s["next_step"], std::string("Open ") + kUrl + " to reach the app.");
  EXPECT_EQ(s["targets"]["healthy"], 2);
  EXPECT_EQ(s["service"]["rollout_state"], "COMPLETED");
  EXPECT_EQ(s["stack"]["status"], "CREATE_COMPLETE");
}

// The workflow itself, without the tool: typed results and the verdict.
TEST_F(DeploymentStatusTest, TheWorkflowReportsTypedStateAndAMissingClusterAsFailed) {
  serve_stack();
  http->on_file("DescribeServices", "ecs/describe_services_steady.json");
  http->on_file("DescribeTargetHealth", "elbv2/describe_target_health_healthy.xml");
  StatusDeps deps{testing::fake_aws_context(http), {}};
  auto healthy = deployment_status({"shop", "shop-ecs-infrastructure", {}, {}}, deps);
  ASSERT_TRUE(healthy.ok()) << healthy.error().message;
  EXPECT_EQ(healthy->verdict, Verdict::kComplete);
  EXPECT_EQ(to_string(healthy->verdict), "COMPLETE");
  EXPECT_EQ(healthy->load_balancer_url, std::optional<std::string>(kUrl));
  ASSERT_TRUE(healthy->stack && healthy->service && healthy->targets);
  EXPECT_TRUE(healthy->stack->managed_by_ecs_mcp);
  EXPECT_FALSE(healthy->stack->failures.has_value()) << "events are read only for failures";
  EXPECT_EQ(healthy->service->running, 2);
  EXPECT_EQ(healthy->targets->states.at("healthy"), 2);
  EXPECT_TRUE(http->calls("DescribeStackEvents").empty());

  auto other = std::make_shared<testing::FakeHttpClient>("deployment");
  other->on_file("DescribeStacks", "cloudformation/describe_stacks_create_complete.xml");
  other->on("DescribeServices",
            testing::fake_response(
                R"({"__type":"ClusterNotFoundException","message":"Cluster not found."})", 400));
  auto missing = deployment_status({"shop", "shop-ecs-infrastructure", std::string("gone"), {}},
                                   StatusDeps{testing::fake_aws_context(other), {}});
  ASSERT_TRUE(missing.ok()) << missing.error().message;
  EXPECT_EQ(missing->verdict, Verdict::kFailed);
  EXPECT_EQ(missing->reason, "cluster gone does not exist");
  EXPECT_FALSE(missing->service.has_value());
}

// create_ecs_infrastructure with force_deploy and an existing image (no build).
class CreateFailureTest : public ::testing::Test {
 protected:
  mcp::ToolResult deploy() {
    InfrastructureOptions options;
    options.poll_interval = std::chrono::milliseconds(1);
    options.stack_timeout = std::chrono::seconds(5);
    auto tool = make_create_infrastructure_tool(testing::fake_aws_context(http),
                                                {.allow_write = true}, options);
    std::filesystem::copy(testing::sample_app("node-express"), dir.path() / "app",
                          std::filesystem::copy_options::recursive);
    testing::NullToolContext ctx;
    return tool.handler({{"app_name", "shop"},
                         {"app_path", (dir.path() / "app").string()},
                         {"force_deploy", true},
                         {"image_uri", "public.ecr.aws/nginx/nginx:1.27"},
                         {"container_port", 80}},
                        ctx);
  }
  // The ECR stack is created and completes.
  void serve_ecr_stack() {
    http->on_file("DescribeStacks", "cloudformation/describe_stacks_missing.xml", 400);
    http->on_file("DescribeStacks", "cloudformation/describe_stacks_ecr_create_complete.xml");
    http->on_file("CreateStack", "cloudformation/create_stack_ecr.xml");
  }

  std::shared_ptr<testing::FakeHttpClient> http =
      std::make_shared<testing::FakeHttpClient>("deployment");
  testing::TempDir dir;
};

TEST_F(CreateFailureTest, StackRolledBackDuringCreationReportsTheRootCauseAndToDeleteIt) {
  serve_ecr_stack();
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_missing.xml", 400);
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_rollback_complete.xml");
  http->on_file("CreateStack", "cloudformation/create_stack.xml");
  http->on_file("DescribeStackEvents", "cloudformation/describe_stack_events_rollback.xml");

  auto r = deploy();

  ASSERT_TRUE(r.is_error);
  const std::string text = text_of(r);
  EXPECT_TRUE(contains(text, "stack shop-ecs-infrastructure ended ROLLBACK_COMPLETE")) << text;
  EXPECT_TRUE(contains(text, std::string("Failed resources:\n  - ") + kRootCause)) << text;
  EXPECT_FALSE(contains(text, "Resource creation cancelled")) << text;
  EXPECT_TRUE(contains(text, "Already deployed: shop-ecr-infrastructure (created)")) << text;
  EXPECT_TRUE(
      contains(text, "delete it with delete_ecs_infrastructure, fix the cause, then deploy again"))
      << text;
  EXPECT_FALSE(contains(text, "it updates what exists"))
      << "a rolled-back stack cannot be updated: " << text;
  ASSERT_EQ(http->calls("CreateStack").size(), 2u);
  EXPECT_EQ(testing::form_value(http->calls("CreateStack")[1].request.body, "OnFailure"),
            "ROLLBACK");
}

TEST_F(CreateFailureTest, AStackLeftRolledBackIsNotTouchedAndTheCauseIsReported) {
  serve_ecr_stack();
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_rollback_complete.xml");
  http->on_file("DescribeStackEvents", "cloudformation/describe_stack_events_rollback.xml");

  auto r = deploy();

  ASSERT_TRUE(r.is_error);
  const std::string text = text_of(r);
  EXPECT_TRUE(
      contains(text, "shop-ecs-infrastructure is ROLLBACK_COMPLETE after a failed deployment"))
      << text;
  EXPECT_TRUE(contains(text, std::string("Why it failed:\n  - ") + kRootCause)) << text;
  EXPECT_TRUE(contains(text, "delete_ecs_infrastructure")) << text;
  EXPECT_FALSE(contains(text, "it updates what exists")) << text;
  EXPECT_EQ(http->calls("CreateStack").size(), 1u) << "only the ECR stack was created";
  EXPECT_TRUE(http->calls("UpdateStack").empty());
  EXPECT_TRUE(http->calls("DeleteStack").empty());
}

}  // namespace
}  // namespace ecs_mcp::ecs
