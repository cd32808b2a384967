// The deployment workflow called directly, without the MCP tool: write_templates() into an app
// and deploy() against recorded CloudFormation responses (tests/fixtures/aws_responses/
// deployment) fed through the fake HTTP client, with the progress it reports.
#include "ecs/deployment/deploy_workflow.h"

#include <gtest/gtest.h>

#include "support/fake_aws_context.h"
#include "support/fake_http_client.h"
#include "support/fixtures.h"
#include "support/recording_progress.h"

namespace ecs_mcp::ecs {
namespace {

using nlohmann::json;

constexpr const char* kImage = "public.ecr.aws/nginx/nginx:1.30";
constexpr const char* kUrl = "http://shop-alb-1234567890.us-east-1.elb.amazonaws.com";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class DeployWorkflowTest : public ::testing::Test {
 protected:
  DeployPlan plan(int step = 0, std::string image = kImage) {
    DeployPlan p;
    p.app_name = "shop";
    p.app_dir = dir.path();
    p.image_uri = std::move(image);
    p.step = step;
    p.parameters = json{{"AppName", "shop"},
                        {"ImageUri", p.image_uri},
                        {"EcrRepositoryName", "shop"},
                        {"ContainerPort", "80"}};
    return p;
  }
  DeployDeps deps() {
    DeployDeps d;
    d.aws = testing::fake_aws_context(http);
    d.poll_interval = std::chrono::milliseconds(1);
    d.stack_timeout = std::chrono::seconds(5);
    d.container_tools = {"ecs-mcp-no-such-container-tool"};
    return d;
  }
  // Neither stack exists; each is created and completes.
  void serve_both_stacks() {
    http->on_file("DescribeStacks", "cloudformation/describe_stacks_missing.xml", 400);
    http->on_file("DescribeStacks", "cloudformation/describe_stacks_ecr_create_complete.xml");
    http->on_file("DescribeStacks", "cloudformation/describe_stacks_missing.xml", 400);
    http->on_file("DescribeStacks", "cloudformation/describe_stacks_create_complete.xml");
    http->on_file("CreateStack", "cloudformation/create_stack_ecr.xml");
    http->on_file("CreateStack", "cloudformation/create_stack.xml");
  }

  std::shared_ptr<testing::FakeHttpClient> http =
      std::make_shared<testing::FakeHttpClient>("deployment");
  testing::TempDir dir;
  testing::RecordingProgress progress;
};

TEST_F(DeployWorkflowTest, AllStepsWithAGivenImageCreateBothStacksInOrder) {
  serve_both_stacks();

  auto outcome = deploy(plan(), deps(), progress);

  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  ASSERT_EQ(outcome->stacks.size(), 2u);
  EXPECT_EQ(outcome->stacks[0].stack_name, "shop-ecr-infrastructure");
  EXPECT_EQ(outcome->stacks[0].action, "created");
  EXPECT_EQ(outcome->stacks[1].stack_name, "shop-ecs-infrastructure");
  EXPECT_EQ(outcome->stacks[1].status, "CREATE_COMPLETE");
  EXPECT_TRUE(outcome->service_deployed);
  EXPECT_EQ(outcome->image_uri, kImage);
  EXPECT_EQ(outcome->repository_uri, "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop");
  EXPECT_EQ(outcome->service_outputs.value("LoadBalancerUrl", ""), kUrl);
  EXPECT_TRUE(outcome->warnings.empty());
  // The ECS stack runs the given image; nothing was built or asked of ECR.
  auto created = http->calls("CreateStack");
  ASSERT_EQ(created.size(), 2u);
  EXPECT_EQ(testing::form_value(created[0].request.body, "StackName"), "shop-ecr-infrastructure");
  EXPECT_TRUE(contains(created[1].request.body, "public.ecr.aws%2Fnginx%2Fnginx%3A1.30"))
      << created[1].request.body;
  EXPECT_TRUE(http->calls("GetAuthorizationToken").empty());
  // Progress grows to 100 and names each stack.
  auto reports = progress.reports();
  ASSERT_FALSE(reports.empty());
  EXPECT_TRUE(progress.increasing());
  EXPECT_EQ(reports.back().progress, 100.0);
  EXPECT_EQ(reports.back().total, 100.0);
  EXPECT_TRUE(contains(reports.front().message, "shop-ecr-infrastructure")) << reports[0].message;
  EXPECT_EQ(reports.back().message, "Deployed shop");
}

TEST_F(DeployWorkflowTest, StepOneDeploysOnlyTheRepositoryStack) {
  serve_both_stacks();

  auto outcome = deploy(plan(1, ""), deps(), progress);

  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  ASSERT_EQ(outcome->stacks.size(), 1u);
  EXPECT_EQ(outcome->stacks[0].stack_name, "shop-ecr-infrastructure");
  EXPECT_EQ(outcome->repository_uri, "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop");
  EXPECT_FALSE(outcome->service_deployed);
  EXPECT_TRUE(outcome->image_uri.empty());
  EXPECT_EQ(http->calls("CreateStack").size(), 1u);
}

TEST_F(DeployWorkflowTest, StepThreeWithoutTheRepositoryStackSaysToRunStepOne) {
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_missing.xml", 400);

  auto outcome = deploy(plan(3, ""), deps(), progress);

  ASSERT_FALSE(outcome.ok());
  EXPECT_TRUE(
      contains(outcome.error().message,
               "stack shop-ecr-infrastructure is not deployed: run deployment_step=1 first"))
      << outcome.error().message;
  EXPECT_FALSE(contains(outcome.error().message, "it updates what exists"));
  EXPECT_TRUE(http->calls("CreateStack").empty());
  EXPECT_TRUE(progress.reports().empty());
}

TEST_F(DeployWorkflowTest, BuildingWithoutADockerfileIsRefusedBeforeAnyAwsCall) {
  auto outcome = deploy(plan(0, ""), deps(), progress);

  ASSERT_FALSE(outcome.ok());
  EXPECT_TRUE(contains(outcome.error().message, "there is no Dockerfile in"))
      << outcome.error().message;
  EXPECT_EQ(http->count(), 0);
}

TEST_F(DeployWorkflowTest, AFailedServiceStackNamesWhatIsAlreadyDeployed) {
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_missing.xml", 400);
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_ecr_create_complete.xml");
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_missing.xml", 400);
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_rollback_complete.xml");
  http->on_file("CreateStack", "cloudformation/create_stack_ecr.xml");
  http->on_file("CreateStack", "cloudformation/create_stack.xml");
  http->on_file("DescribeStackEvents", "cloudformation/describe_stack_events_rollback.xml");

  auto outcome = deploy(plan(), deps(), progress);

  ASSERT_FALSE(outcome.ok());
  const std::string& m = outcome.error().message;
  EXPECT_TRUE(contains(m, "shop-ecs-infrastructure ended ROLLBACK_COMPLETE")) << m;
  EXPECT_TRUE(contains(m, "Already deployed: shop-ecr-infrastructure (created)")) << m;
}

TEST_F(DeployWorkflowTest, TemplatesAreWrittenAndAnEditedOneIsKeptUnlessOverwritten) {
  DeployPlan p = plan(0, "");
  auto first = write_templates(p, false);
  ASSERT_TRUE(first.ok()) << first.error().message;
  ASSERT_EQ(first->files.size(), 3u);
  EXPECT_EQ(first->files[0].key, "ecr");
  EXPECT_EQ(first->files[0].path,
            dir.path() / "cloudformation-templates" / "shop-ecr-infrastructure.json");
  EXPECT_EQ(first->files[2].path,
            dir.path() / "cloudformation-templates" / "shop-ecs-infrastructure-parameters.json");
  EXPECT_EQ(first->parameters["ImageUri"], "<repository-uri>:<tag>")
      << "no image yet: a placeholder";
  EXPECT_TRUE(first->kept.empty());
  for (const auto& f : first->files) {
    EXPECT_FALSE(f.kept);
    EXPECT_TRUE(std::filesystem::exists(f.path)) << f.path;
  }

  const auto ecs_file = first->files[1].path;
  dir.write("cloudformation-templates/shop-ecs-infrastructure.json", "{\"edited\": true}");
  auto second = write_templates(p, false);
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(second->kept,
            std::vector<std::string>{"cloudformation-templates/shop-ecs-infrastructure.json"});
  EXPECT_TRUE(second->files[1].kept);
  EXPECT_FALSE(second->files[0].kept) << "an unchanged file is not reported as kept";
  EXPECT_EQ(std::filesystem::file_size(ecs_file), std::string("{\"edited\": true}").size())
      << "the edited file is left as it was";

  auto third = write_templates(p, true);
  ASSERT_TRUE(third.ok()) << third.error().message;
  EXPECT_TRUE(third->kept.empty());
  EXPECT_GT(std::filesystem::file_size(ecs_file), 1000u) << "the built-in template is back";
}

}  // namespace
}  // namespace ecs_mcp::ecs
