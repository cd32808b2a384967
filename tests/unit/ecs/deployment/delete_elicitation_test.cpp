// delete_ecs_infrastructure with a client that supports elicitation, on recorded CloudFormation
// responses: the user is asked to confirm exactly the stacks the preview found, DeleteStack is
// sent only on an explicit yes, a refusal deletes nothing, and a client that fails to answer
// gets the preview and confirmation token instead. Clients without elicitation keep the
// preview-then-token flow, and a token passed explicitly deletes without asking. With
// ECS_MCP_REQUIRE_HUMAN_CONFIRMATION only the person's yes deletes: no token is issued or
// accepted, and a client that cannot ask is refused. The workflow function is also called
// directly, with a scripted person.
#include <gtest/gtest.h>

#include <algorithm>

#include "ecs/deployment/delete_infrastructure.h"
#include "ecs/deployment/delete_workflow.h"
#include "mcp/json_schema.h"
#include "support/fake_aws_context.h"
#include "support/fake_http_client.h"
#include "support/fixtures.h"
#include "support/null_tool_context.h"
#include "support/recording_progress.h"

namespace ecs_mcp::ecs {
namespace {

using mcp::json;

constexpr const char* kEcsTemplate = R"({"Resources":{"Cluster":{"Type":"AWS::ECS::Cluster"}}})";

std::string get_template_response() {
  return std::string(
             R"(<GetTemplateResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">)") +
         "<GetTemplateResult><TemplateBody>" + kEcsTemplate +
         "</TemplateBody><StagesAvailable><member>Original</member></StagesAvailable></"
         "GetTemplateResult>"
         "<ResponseMetadata><RequestId>1a2b3c4d-0000-4000-8000-000000000001</RequestId></"
         "ResponseMetadata>"
         "</GetTemplateResponse>";
}

std::string list_stack_resources_response() {
  auto member = [](const std::string& logical, const std::string& physical,
                   const std::string& type) {
    return "<member><LogicalResourceId>" + logical + "</LogicalResourceId><PhysicalResourceId>" +
           physical + "</PhysicalResourceId><ResourceType>" + type +
           "</ResourceType><LastUpdatedTimestamp>2025-01-15T11:20:00.000Z</LastUpdatedTimestamp>"
           "<ResourceStatus>CREATE_COMPLETE</ResourceStatus></member>";
  };
  return std::string(
             R"(<ListStackResourcesResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">)") +
         "<ListStackResourcesResult><StackResourceSummaries>" +
         member("Cluster", "shop-cluster", "AWS::ECS::Cluster") +
         member("Service", "arn:aws:ecs:us-east-1:123456789012:service/shop-cluster/shop-service",
                "AWS::ECS::Service") +
         "</StackResourceSummaries></ListStackResourcesResult>"
         "<ResponseMetadata><RequestId>1a2b3c4d-0000-4000-8000-000000000002</RequestId></"
         "ResponseMetadata>"
         "</ListStackResourcesResponse>";
}

// CloudFormation as the tests need it: the ECS stack exists and is ours until DeleteStack, the
// ECR stack is already gone (both from the recorded fixtures); GetTemplate and
// ListStackResources are built here, as the deployed template must equal the file the test
// writes.
Result<aws::HttpResponse> cloudformation(const testing::FakeHttpClient& http,
                                         const testing::FakeHttpClient::Sent& sent) {
  const std::string& op = sent.operation;
  const std::string stack = testing::form_value(sent.request.body, "StackName");
  const bool deleted = !http.calls("DeleteStack").empty();
  auto recorded = [](const std::string& file, int status = 200) {
    return testing::fake_response(testing::read_fixture("aws_responses/deployment/" + file),
                                  status);
  };
  if (op == "GetTemplate") return testing::fake_response(get_template_response());
  if (op == "ListStackResources") return testing::fake_response(list_stack_resources_response());
  if (op == "DeleteStack") return recorded("cloudformation/delete_stack.xml");
  if (op == "DescribeStacks" && !deleted &&
      (stack == "shop-ecs-infrastructure" ||
       stack.find("5f1c2a30-d2a1-11ef-8a3e-0e4c7d1b9a11") != std::string::npos)) {
    return recorded("cloudformation/describe_stacks_create_complete.xml");
  }
  if (op == "DescribeStacks") return recorded("cloudformation/describe_stacks_missing.xml", 400);
  return make_error(ErrorCode::kHttpConnectError, "no recorded response for " + op);
}

// A client that declared elicitation and answers elicitation/create with a scripted reply.
class ElicitingContext : public testing::NullToolContext {
 public:
  explicit ElicitingContext(Result<json> answer, bool supports_elicitation = true)
      : answer_(std::move(answer)), supports_(supports_elicitation) {}
  json client_capabilities() const override {
    return supports_ ? json{{"elicitation", json::object()}} : json::object();
  }
  Result<json> request_client(const std::string& method, json params,
                              std::chrono::milliseconds) override {
    requests.push_back({{"method", method}, {"params", params}});
    return answer_;
  }
  std::vector<json> requests;

 private:
  Result<json> answer_;
  bool supports_;
};

class DeleteElicitationTest : public ::testing::Test {
 protected:
  json args() {
    return {
        {"app_name", "shop"},
        {"ecr_template_path", tmp.write("shop-ecr-infrastructure.json", "{}").string()},
        {"ecs_template_path", tmp.write("shop-ecs-infrastructure.json", kEcsTemplate).string()}};
  }
  mcp::ToolResult run(mcp::ToolContext& ctx, json a, bool require_human_confirmation = false) {
    DeleteInfrastructureOptions o;
    o.tokens = tokens;
    o.poll_interval = std::chrono::milliseconds(1);
    o.require_human_confirmation = require_human_confirmation;
    auto tool = make_delete_infrastructure_tool(testing::fake_aws_context(http), o);
    auto r = tool.handler(a, ctx);
    if (r.structured) {
      if (auto problem = mcp::validate_against_schema(tool.output_schema, *r.structured)) {
        ADD_FAILURE() << "output does not match the declared schema: " << *problem;
      }
    }
    return r;
  }
  DeleteElicitationTest() {
    http->otherwise([http = http.get()](const testing::FakeHttpClient::Sent& sent) {
      return cloudformation(*http, sent);
    });
  }
  size_t delete_calls() const { return http->calls("DeleteStack").size(); }
  // StackName of the DeleteStack call, as sent (form-encoded).
  std::string deleted_stack() const {
    auto calls = http->calls("DeleteStack");
    return calls.empty() ? "" : testing::form_value(calls[0].request.body, "StackName");
  }
  static std::string text(const mcp::ToolResult& r) {
    return r.content.empty() ? "" : r.content[0].value("text", "");
  }
  static bool contains(const std::string& s, const std::string& part) {
    return s.find(part) != std::string::npos;
  }

  std::shared_ptr<testing::FakeHttpClient> http =
      std::make_shared<testing::FakeHttpClient>("deployment");
  std::shared_ptr<ConfirmationTokens> tokens = std::make_shared<ConfirmationTokens>("-");
  testing::TempDir tmp;
};

TEST_F(DeleteElicitationTest, AcceptedWithConfirmDeletesTheStacksItNamed) {
  ElicitingContext ctx(json{{"action", "accept"}, {"content", {{"confirm", true}}}});
  auto r = run(ctx, args());
  ASSERT_FALSE(r.is_error) << text(r);
  EXPECT_EQ((*r.structured)["phase"], "deleted") << r.structured->dump(2);

  ASSERT_EQ(ctx.requests.size(), 1u);
  EXPECT_EQ(ctx.requests[0]["method"], "elicitation/create");
  const json& params = ctx.requests[0]["params"];
  const std::string message = params["message"];
  EXPECT_TRUE(contains(message, "shop-ecs-infrastructure (2 resources)")) << message;
  EXPECT_FALSE(contains(message, "shop-ecr-infrastructure"))
      << "an absent stack is not offered: " << message;
  EXPECT_EQ(params["requestedSchema"]["type"], "object");
  EXPECT_EQ(params["requestedSchema"]["properties"]["confirm"]["type"], "boolean");
  EXPECT_EQ(params["requestedSchema"]["required"], json({"confirm"}));

  ASSERT_EQ(delete_calls(), 1u);
  EXPECT_TRUE(contains(deleted_stack(), "5f1c2a30-d2a1-11ef-8a3e-0e4c7d1b9a11"))
      << "by stack ID: " << deleted_stack();
}

TEST_F(DeleteElicitationTest, DeclinedDeletesNothingAndHandsOutNoToken) {
  ElicitingContext ctx(json{{"action", "decline"}});
  auto r = run(ctx, args());
  ASSERT_FALSE(r.is_error) << text(r);
  EXPECT_EQ((*r.structured)["phase"], "declined");
  EXPECT_FALSE(r.structured->contains("confirmation_token"));
  EXPECT_TRUE(contains((*r.structured)["message"], "declined")) << (*r.structured)["message"];
  EXPECT_TRUE(contains((*r.structured)["message"], "nothing was deleted"))
      << (*r.structured)["message"];
  EXPECT_EQ(delete_calls(), 0u);
}

TEST_F(DeleteElicitationTest, CancelledDeletesNothing) {
  ElicitingContext ctx(json{{"action", "cancel"}});
  auto r = run(ctx, args());
  ASSERT_FALSE(r.is_error) << text(r);
  EXPECT_EQ((*r.structured)["phase"], "declined");
  EXPECT_TRUE(contains((*r.structured)["message"], "dismissed")) << (*r.structured)["message"];
  EXPECT_EQ(delete_calls(), 0u);
}

TEST_F(DeleteElicitationTest, AcceptWithoutConfirmIsNotAConfirmation) {
  for (const json& content : {json{{"confirm", false}}, json::object(), json{{"confirm", "yes"}}}) {
    ElicitingContext ctx(json{{"action", "accept"}, {"content", content}});
    auto r = run(ctx, args());
    ASSERT_FALSE(r.is_error) << text(r);
    EXPECT_EQ((*r.structured)["phase"], "declined") << content.dump();
  }
  EXPECT_EQ(delete_calls(), 0u);
}

TEST_F(DeleteElicitationTest, FailedElicitationFallsBackToThePreviewAndToken) {
  for (const Result<json>& answer :
       {Result<json>(make_error(ErrorCode::kTimeout,
                                "the client did not answer elicitation/create in time")),
        Result<json>(make_error(ErrorCode::kRpcError, "Method not found")),
        Result<json>(json{{"action", "maybe"}})}) {
    ElicitingContext ctx(answer);
    auto r = run(ctx, args());
    ASSERT_FALSE(r.is_error) << text(r);
    EXPECT_EQ((*r.structured)["phase"], "preview");
    EXPECT_TRUE(r.structured->contains("confirmation_token"));
    const std::string message = (*r.structured)["message"];
    EXPECT_TRUE(contains(message, "elicitation) failed")) << message;
    EXPECT_TRUE(contains(message, "nothing deleted yet")) << message;
  }
  EXPECT_EQ(delete_calls(), 0u);
}

TEST_F(DeleteElicitationTest, WithoutElicitationSupportThePreviewIsUnchanged) {
  ElicitingContext ctx(json{{"action", "accept"}, {"content", {{"confirm", true}}}},
                       /*supports_elicitation=*/false);
  auto r = run(ctx, args());
  ASSERT_FALSE(r.is_error) << text(r);
  EXPECT_EQ((*r.structured)["phase"], "preview");
  EXPECT_TRUE(r.structured->contains("confirmation_token"));
  EXPECT_TRUE(contains((*r.structured)["message"], "PREVIEW, nothing deleted yet"))
      << (*r.structured)["message"];
  EXPECT_TRUE(ctx.requests.empty())
      << "the client was asked although it did not declare elicitation";
  EXPECT_EQ(delete_calls(), 0u);
}

TEST_F(DeleteElicitationTest, AnExplicitTokenDeletesWithoutAsking) {
  testing::NullToolContext plain;
  auto preview = run(plain, args());
  ASSERT_FALSE(preview.is_error) << text(preview);
  const std::string token = (*preview.structured)["confirmation_token"];

  ElicitingContext ctx(json{{"action", "decline"}});
  json a = args();
  a["confirmation_token"] = token;
  auto r = run(ctx, a);
  ASSERT_FALSE(r.is_error) << text(r);
  EXPECT_EQ((*r.structured)["phase"], "deleted");
  EXPECT_TRUE(ctx.requests.empty());
  EXPECT_EQ(delete_calls(), 1u);
}

// --- ECS_MCP_REQUIRE_HUMAN_CONFIRMATION=true

constexpr const char* kVariable = "ECS_MCP_REQUIRE_HUMAN_CONFIRMATION=true";

TEST_F(DeleteElicitationTest, RequiredConfirmationRefusesAClientThatCannotAsk) {
  ElicitingContext ctx(json{{"action", "accept"}, {"content", {{"confirm", true}}}},
                       /*supports_elicitation=*/false);
  auto r = run(ctx, args(), /*require_human_confirmation=*/true);
  ASSERT_TRUE(r.is_error);
  const std::string message = text(r);
  EXPECT_TRUE(contains(message, kVariable)) << message;
  EXPECT_TRUE(contains(message, "did not declare the elicitation capability")) << message;
  EXPECT_TRUE(contains(message, "shop-ecs-infrastructure (2 resources)")) << message;
  EXPECT_FALSE(contains(message, "confirmation_token")) << message;
  EXPECT_TRUE(ctx.requests.empty());
  EXPECT_EQ(delete_calls(), 0u);
}

TEST_F(DeleteElicitationTest, RequiredConfirmationAcceptsNoTokenOnlyThePerson) {
  // A token the assistant got from an earlier preview (without the switch) ...
  testing::NullToolContext plain;
  auto preview = run(plain, args());
  ASSERT_FALSE(preview.is_error) << text(preview);
  json a = args();
  a["confirmation_token"] = (*preview.structured)["confirmation_token"];

  // ... deletes nothing by itself: a client that cannot ask is refused,
  auto refused = run(plain, a, true);
  ASSERT_TRUE(refused.is_error);
  EXPECT_TRUE(contains(text(refused), kVariable)) << text(refused);
  // and the person is asked anyway, whose no stands.
  ElicitingContext declining(json{{"action", "decline"}});
  auto declined = run(declining, a, true);
  ASSERT_FALSE(declined.is_error) << text(declined);
  EXPECT_EQ((*declined.structured)["phase"], "declined");
  EXPECT_TRUE(contains((*declined.structured)["message"], kVariable))
      << (*declined.structured)["message"];
  EXPECT_EQ(declining.requests.size(), 1u);
  EXPECT_EQ(delete_calls(), 0u);

  ElicitingContext accepting(json{{"action", "accept"}, {"content", {{"confirm", true}}}});
  auto deleted = run(accepting, a, true);
  ASSERT_FALSE(deleted.is_error) << text(deleted);
  EXPECT_EQ((*deleted.structured)["phase"], "deleted");
  EXPECT_EQ(delete_calls(), 1u);
}

TEST_F(DeleteElicitationTest, RequiredConfirmationNeverHandsOutATokenWhenAskingFails) {
  ElicitingContext ctx(
      Result<json>(make_error(ErrorCode::kTimeout, "the client did not answer in time")));
  auto r = run(ctx, args(), true);
  ASSERT_TRUE(r.is_error);
  EXPECT_FALSE(r.structured.has_value());
  EXPECT_TRUE(contains(text(r), "the client did not answer in time")) << text(r);
  EXPECT_TRUE(contains(text(r), kVariable)) << text(r);
  EXPECT_EQ(delete_calls(), 0u);
}

TEST_F(DeleteElicitationTest, TheWorkflowDeletesOnThePersonsYesWithProgress) {
  std::vector<mcp::ConfirmationRequest> asked;
  DeletePlan plan;
  plan.app_name = "shop";
  plan.ecr_template = json::object();
  plan.ecs_template = json::parse(kEcsTemplate);
  DeleteDeps deps;
  deps.aws = testing::fake_aws_context(http);
  deps.tokens = tokens;
  deps.poll_interval = std::chrono::milliseconds(1);
  deps.require_human_confirmation = true;
  deps.ask_person = [&](const mcp::ConfirmationRequest& q) -> Result<mcp::Confirmation> {
    asked.push_back(q);
    return mcp::Confirmation::kConfirmed;
  };
  testing::RecordingProgress progress;

  auto outcome = delete_app_stacks(plan, deps, progress);

  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->phase, DeleteOutcome::Phase::kDeleted);
  EXPECT_TRUE(outcome->confirmation_token.empty());
  ASSERT_EQ(outcome->stacks.size(), 1u);
  EXPECT_EQ(outcome->stacks[0].name, "shop-ecs-infrastructure");
  EXPECT_EQ(outcome->stacks[0].status, "DELETE_COMPLETE");
  EXPECT_EQ(outcome->stacks[0].resources,
            (std::vector<std::string>{"AWS::ECS::Cluster shop-cluster",
                                      "AWS::ECS::Service arn:aws:ecs:us-east-1:123456789012:"
                                      "service/shop-cluster/shop-service"}));
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_TRUE(contains(asked[0].message, "app \"shop\" in us-east-1")) << asked[0].message;
  EXPECT_EQ(asked[0].field, "confirm");
  EXPECT_EQ(delete_calls(), 1u);
  auto reports = progress.reports();
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports[0].message, "Deleting shop-ecs-infrastructure");
  EXPECT_EQ(reports[0].total, 11.0);
  EXPECT_TRUE(progress.increasing());
}

TEST_F(DeleteElicitationTest, TheWorkflowPreviewsWithoutAPersonToAsk) {
  DeletePlan plan;
  plan.app_name = "shop";
  plan.ecr_template = json::object();
  plan.ecs_template = json::parse(kEcsTemplate);
  DeleteDeps deps;
  deps.aws = testing::fake_aws_context(http);
  deps.tokens = tokens;
  testing::RecordingProgress progress;

  auto outcome = delete_app_stacks(plan, deps, progress);

  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->phase, DeleteOutcome::Phase::kPreview);
  EXPECT_EQ(to_string(outcome->phase), "preview");
  EXPECT_FALSE(outcome->confirmation_token.empty());
  EXPECT_EQ(outcome->expires_in_seconds, tokens->lifetime().count());
  EXPECT_TRUE(contains(outcome->message, "already absent: shop-ecr-infrastructure"))
      << outcome->message;
  EXPECT_EQ(delete_calls(), 0u);
  EXPECT_TRUE(progress.reports().empty());
}

}  // namespace
}  // namespace ecs_mcp::ecs
