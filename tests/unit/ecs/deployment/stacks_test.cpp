// Idempotent stack changes: CreateStack, UpdateStack and DeleteStack carry a ClientRequestToken
// that stays the same on every retry of one logical operation (so CloudFormation takes a retry
// after a lost answer as the same request, not a second one failing with
// AlreadyExistsException) and is fresh for the next operation. Recorded CloudFormation
// responses go through the HttpClient seam and the client's real retry loop.
#include "ecs/deployment/stacks.h"

#include <gtest/gtest.h>

#include <regex>

#include "aws/services.h"
#include "support/fake_credentials.h"
#include "support/fake_http_client.h"
#include "support/fake_os.h"

namespace ecs_mcp::ecs {
namespace {

using nlohmann::json;
using testing::form_value;

constexpr const char* kStack = "shop-ecs-infrastructure";

class StackTokenTest : public ::testing::Test {
 protected:
  std::unique_ptr<aws::CloudFormationClient> client() {
    aws::ClientConfig config;
    config.region = "us-east-1";
    config.credentials = std::make_shared<testing::FakeCredentialsProvider>();
    config.http = http;
    config.os = testing::FakeOs::make();
    config.retry.sleep = [this](std::chrono::milliseconds, const std::function<bool()>&) {
      ++retry_waits;
      return true;
    };
    return std::make_unique<aws::CloudFormationClient>(config);
  }
  static StackWaitOptions quick_wait() {
    StackWaitOptions w;
    w.poll_interval = std::chrono::milliseconds(1);
    w.timeout = std::chrono::seconds(5);
    return w;
  }
  std::vector<std::string> tokens(const std::string& operation) const {
    std::vector<std::string> out;
    for (const auto& s : http->calls(operation)) {
      out.push_back(form_value(s.request.body, "ClientRequestToken"));
    }
    return out;
  }
  // botocore's model for the token: [a-zA-Z0-9][-a-zA-Z0-9]*, 1 to 128 characters.
  static void expect_valid_token(const std::string& token) {
    EXPECT_TRUE(std::regex_match(token, std::regex("[a-zA-Z0-9][-a-zA-Z0-9]{0,127}"))) << token;
  }

  std::shared_ptr<testing::FakeHttpClient> http =
      std::make_shared<testing::FakeHttpClient>("deployment");
  int retry_waits = 0;
};

TEST_F(StackTokenTest, CreateStackRetriedAfterA500SendsTheSameToken) {
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_missing.xml", 400);
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_create_complete.xml");
  http->on_file("CreateStack", "cloudformation/internal_failure.xml", 500);
  http->on_file("CreateStack", "cloudformation/create_stack.xml");
  auto cfn = client();

  auto deployed =
      deploy_stack(*cfn, kStack, "shop", "ecs", "{}", json{{"AppName", "shop"}}, quick_wait());

  ASSERT_TRUE(deployed.ok()) << deployed.error().describe();
  EXPECT_EQ(deployed->action, "created");
  EXPECT_EQ(deployed->stack.value("StackStatus", ""), "CREATE_COMPLETE");
  EXPECT_EQ(retry_waits, 1);
  auto sent = tokens("CreateStack");
  ASSERT_EQ(sent.size(), 2u) << "one failed attempt, one retry";
  expect_valid_token(sent[0]);
  EXPECT_EQ(sent[0], sent[1]) << "a retry is the same request to CloudFormation";
  // The rest of the request is the same too: a retry repeats the operation, it does not redo it.
  const auto creates = http->calls("CreateStack");
  EXPECT_EQ(creates[0].request.body, creates[1].request.body);
}

TEST_F(StackTokenTest, UpdateStackRetriedAfterA503SendsTheSameTokenAndTheNextUpdateAFreshOne) {
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_create_complete.xml");
  http->on_file("UpdateStack", "cloudformation/internal_failure.xml", 503);
  http->on_file("UpdateStack", "cloudformation/update_stack.xml");
  auto cfn = client();

  auto first =
      deploy_stack(*cfn, kStack, "shop", "ecs", "{}", json{{"AppName", "shop"}}, quick_wait());
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_EQ(first->action, "updated");
  auto second = deploy_stack(*cfn, kStack, "shop", "ecs", "{\"x\":1}", json{{"AppName", "shop"}},
                             quick_wait());
  ASSERT_TRUE(second.ok()) << second.error().describe();

  auto sent = tokens("UpdateStack");
  ASSERT_EQ(sent.size(), 3u);
  expect_valid_token(sent[0]);
  EXPECT_EQ(sent[0], sent[1]);
  EXPECT_NE(sent[1], sent[2]) << "each logical update has its own token";
  expect_valid_token(sent[2]);
}

TEST_F(StackTokenTest, DeleteStackRetriedAfterA500SendsTheSameToken) {
  http->on_file("DeleteStack", "cloudformation/internal_failure.xml", 500);
  http->on_file("DeleteStack", "cloudformation/delete_stack.xml");
  auto cfn = client();
  const std::string id =
      "arn:aws:cloudformation:us-east-1:123456789012:stack/shop-ecs-infrastructure/"
      "5f1c2a30-d2a1-11ef-8a3e-0e4c7d1b9a11";

  auto first = start_stack_deletion(*cfn, id, {});
  ASSERT_TRUE(first.ok()) << first.error().describe();
  auto second = start_stack_deletion(*cfn, id, {});
  ASSERT_TRUE(second.ok()) << second.error().describe();

  auto sent = tokens("DeleteStack");
  ASSERT_EQ(sent.size(), 3u);
  expect_valid_token(sent[0]);
  EXPECT_EQ(sent[0], sent[1]);
  EXPECT_NE(sent[1], sent[2]);
  EXPECT_NE(form_value(http->calls("DeleteStack")[0].request.body, "StackName").find("stack%2F"),
            std::string::npos)
      << "deleted by stack ID";
}

TEST_F(StackTokenTest, AnErrorThatIsNotRetriedIsReportedAfterOneAttempt) {
  http->on_file("DescribeStacks", "cloudformation/describe_stacks_missing.xml", 400);
  http->on_file("CreateStack", "cloudformation/describe_stacks_missing.xml", 400);
  auto cfn = client();
  auto deployed = deploy_stack(*cfn, kStack, "shop", "ecs", "{}", json::object(), quick_wait());
  ASSERT_FALSE(deployed.ok());
  EXPECT_EQ(http->calls("CreateStack").size(), 1u);
  EXPECT_EQ(retry_waits, 0);
}

TEST(ClientRequestToken, IsAFreshUuidEachTime) {
  const std::string a = new_client_request_token(), b = new_client_request_token();
  EXPECT_NE(a, b);
  EXPECT_TRUE(std::regex_match(
      a, std::regex("ecs-mcp-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << a;
}

}  // namespace
}  // namespace ecs_mcp::ecs
