// ecs_resource_management on recorded ECS responses fed through the HTTP seam: what is sent,
// how pages and budgets behave. The same tool runs against moto_server in tests/e2e.
#include "ecs/resource_management/resource_management.h"

#include <gtest/gtest.h>

#include "ecs/response_shaping.h"
#include "support/fake_aws_context.h"
#include "support/fake_http_client.h"
#include "support/null_tool_context.h"

namespace ecs_mcp::ecs {
namespace {

using mcp::json;

class ResourceManagementTest : public ::testing::Test {
 protected:
  mcp::Tool make(AccessPolicy policy = {}, ResourceManagementOptions options = {}) {
    return make_resource_management_tool(testing::fake_aws_context(http, "eu-west-1"), policy,
                                         options);
  }
  mcp::ToolResult run(const mcp::Tool& tool, json args) {
    testing::NullToolContext ctx;
    return tool.handler(args, ctx);
  }
  // Queues the reply to the next request, with request id "req-<n>" for the n-th reply.
  void reply(int status, const json& body) {
    http->then(testing::fake_response(body.dump(), status, "req-" + std::to_string(++replies_)));
  }
  std::shared_ptr<testing::FakeHttpClient> http = std::make_shared<testing::FakeHttpClient>();
  int replies_ = 0;
};

TEST_F(ResourceManagementTest, SendsTheOperationWithItsParamsAndADefaultPageSize) {
  auto tool = make();
  reply(200, {{"serviceArns", {"arn:aws:ecs:eu-west-1:1:service/c/a"}}, {"nextToken", "page-2"}});
  auto r = run(tool, {{"api_operation", "ListServices"}, {"api_params", {{"cluster", "c"}}}});
  ASSERT_FALSE(r.is_error) << r.content.dump();
  ASSERT_EQ(http->requests().size(), 1u);
  const auto req = http->requests()[0];
  EXPECT_EQ(req.url.rfind("https://ecs.eu-west-1.amazonaws.com", 0), 0u) << req.url;
  EXPECT_EQ(testing::request_header(req, "x-amz-target"),
            "AmazonEC2ContainerServiceV20141113.ListServices");
  EXPECT_NE(testing::request_header(req, "authorization").find("Credential=AKIDTEST/"),
            std::string::npos);
  json body = json::parse(req.body);
  EXPECT_EQ(body["cluster"], "c");
  EXPECT_EQ(body["maxResults"], 50);
  EXPECT_EQ((*r.structured)["nextToken"], "page-2");
  EXPECT_EQ((*r.structured)["region"], "eu-west-1");
}

TEST_F(ResourceManagementTest, FollowingNextTokenFetchesTheNextPage) {
  auto tool = make();
  reply(200, {{"clusterArns", {"a", "b"}}, {"nextToken", "t2"}});
  reply(200, {{"clusterArns", {"c"}}});
  auto first = run(tool, {{"api_operation", "ListClusters"}, {"api_params", {{"maxResults", 2}}}});
  std::string token = (*first.structured)["nextToken"];
  auto second = run(tool, {{"api_operation", "ListClusters"},
                           {"api_params", {{"maxResults", 2}, {"nextToken", token}}}});
  EXPECT_EQ(json::parse(http->requests()[0].body)["maxResults"], 2);
  EXPECT_EQ(json::parse(http->requests()[1].body)["nextToken"], "t2");
  EXPECT_FALSE(second.structured->contains("nextToken"));
  EXPECT_EQ((*second.structured)["result"]["clusterArns"], json({"c"}));
}

TEST_F(ResourceManagementTest, EcrOperationsGoToEcrWithoutThePrefix) {
  auto tool = make();
  reply(200, {{"repositories", json::array()}});
  auto r = run(tool, {{"api_operation", "ecr:DescribeRepositories"}});
  ASSERT_FALSE(r.is_error);
  EXPECT_EQ(http->requests()[0].url.rfind("https://api.ecr.eu-west-1.amazonaws.com", 0), 0u);
  EXPECT_EQ(testing::request_header(http->requests()[0], "x-amz-target"),
            "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories");
}

TEST_F(ResourceManagementTest, AwsErrorsKeepCodeMessageAndRequestId) {
  auto tool = make();
  reply(400, {{"__type", "com.amazonaws.ecs#ClusterNotFoundException"},
              {"message", "Cluster not found."}});
  auto r = run(tool, {{"api_operation", "DescribeServices"},
                      {"api_params", {{"cluster", "x"}, {"services", {"s"}}}}});
  ASSERT_TRUE(r.is_error);
  std::string text = r.content[0]["text"];
  EXPECT_NE(text.find("ClusterNotFoundException: Cluster not found."), std::string::npos) << text;
  EXPECT_NE(text.find("request id req-1"), std::string::npos) << text;
  EXPECT_NE(text.find("ListClusters"), std::string::npos) << "a hint for the next step";
}

TEST_F(ResourceManagementTest, LargeAnswersAreCutToTheBudgetAndSaySo) {
  auto tool = make({}, ResourceManagementOptions{.response_budget_bytes = 4000});
  json arns = json::array();
  for (int i = 0; i < 500; ++i)
    arns.push_back("arn:aws:ecs:eu-west-1:123456789012:task/c/" + std::to_string(i));
  reply(200, {{"taskArns", arns}});
  auto r = run(tool, {{"api_operation", "ListTasks"}, {"api_params", {{"maxResults", 100}}}});
  ASSERT_FALSE(r.is_error);
  EXPECT_EQ((*r.structured)["truncated"], true);
  EXPECT_LT((*r.structured)["result"]["taskArns"].size(), 500u);
  EXPECT_NE((*r.structured)["result"]["_truncated"]["message"].get<std::string>().find("nextToken"),
            std::string::npos);
}

TEST_F(ResourceManagementTest, RunTaskRetriesCarryOneIdempotencyToken) {
  auto tool = make({true, false});
  reply(500, {{"__type", "ServerException"}, {"message", "try again"}});
  reply(200, {{"tasks", json::array()}, {"failures", json::array()}});
  auto r = run(tool, {{"api_operation", "RunTask"}, {"api_params", {{"taskDefinition", "web"}}}});
  ASSERT_FALSE(r.is_error) << r.content.dump();
  ASSERT_EQ(http->requests().size(), 2u);
  json first = json::parse(http->requests()[0].body);
  json second = json::parse(http->requests()[1].body);
  ASSERT_TRUE(first["clientToken"].is_string());
  EXPECT_EQ(first["clientToken"], second["clientToken"]);
  // A caller's own token is kept.
  reply(200, {{"tasks", json::array()}});
  run(tool, {{"api_operation", "RunTask"},
             {"api_params", {{"taskDefinition", "web"}, {"clientToken", "mine"}}}});
  EXPECT_EQ(json::parse(http->requests()[2].body)["clientToken"], "mine");
}

TEST_F(ResourceManagementTest, AccessClassesComeFromTheTable) {
  auto tool = make();
  auto access = [&](const char* op) { return tool.access_for({{"api_operation", op}}); };
  EXPECT_EQ(*access("ListClusters"), mcp::AccessClass::kRead);
  EXPECT_EQ(*access("CreateService"), mcp::AccessClass::kWrite);
  EXPECT_EQ(*access("DeleteService"), mcp::AccessClass::kDestructive);
  EXPECT_EQ(*access("ExecuteCommand"), mcp::AccessClass::kExec);
  auto internal = access("SubmitTaskStateChange");
  ASSERT_FALSE(internal.ok());
  EXPECT_NE(internal.error().message.find("ECS container agent"), std::string::npos);
  EXPECT_FALSE(access("Nope").ok());
  EXPECT_EQ(tool.operation_name({{"api_operation", "CreateService"}}), "CreateService");
}

TEST_F(ResourceManagementTest, AnnotationsFollowTheConfiguration) {
  auto ro = make({false, false});
  EXPECT_TRUE(ro.annotations.read_only);
  EXPECT_FALSE(ro.annotations.destructive);
  auto rw = make({true, false});
  EXPECT_FALSE(rw.annotations.read_only);
  EXPECT_TRUE(rw.annotations.destructive);
  EXPECT_FALSE(rw.annotations.idempotent);
  EXPECT_TRUE(rw.annotations.open_world);
}

TEST_F(ResourceManagementTest, NoRegionIsAClearErrorAndNothingIsSent) {
  Config config;
  config.region_error = "No AWS region is configured. Set AWS_REGION";
  AwsContextOptions aws;
  aws.http = http;
  auto tool = make_resource_management_tool(std::make_shared<AwsContext>(config, aws), {});
  auto r = run(tool, {{"api_operation", "ListClusters"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_NE(r.content[0]["text"].get<std::string>().find("Set AWS_REGION"), std::string::npos);
  EXPECT_TRUE(http->requests().empty());
}

// --- ECS_MCP_REQUIRE_HUMAN_CONFIRMATION=true: destructive operations ask the person first.

// A client that may declare elicitation and answers elicitation/create with `answer`.
class PersonAtTheClient : public testing::NullToolContext {
 public:
  PersonAtTheClient(bool can_elicit, Result<json> answer)
      : can_elicit_(can_elicit), answer_(std::move(answer)) {}
  json client_capabilities() const override {
    return can_elicit_ ? json{{"elicitation", json::object()}} : json::object();
  }
  Result<json> request_client(const std::string& method, json params,
                              std::chrono::milliseconds) override {
    asked.push_back({{"method", method}, {"params", params}});
    return answer_;
  }
  std::vector<json> asked;

 private:
  bool can_elicit_;
  Result<json> answer_;
};

const json kYes{{"action", "accept"}, {"content", {{"confirm", true}}}};
const json kDeleteCluster{{"api_operation", "DeleteCluster"},
                          {"api_params", {{"cluster", "prod"}}}};

TEST_F(ResourceManagementTest, RequiredConfirmationRunsADeletionOnlyOnThePersonsYes) {
  auto tool = make({.allow_write = true, .require_human_confirmation = true});
  reply(200, {{"cluster", {{"clusterName", "prod"}, {"status", "INACTIVE"}}}});
  PersonAtTheClient person(true, kYes);
  auto r = tool.handler(kDeleteCluster, person);
  ASSERT_FALSE(r.is_error) << r.content.dump();
  ASSERT_EQ(person.asked.size(), 1u);
  EXPECT_EQ(person.asked[0]["method"], "elicitation/create");
  const std::string message = person.asked[0]["params"]["message"];
  EXPECT_NE(message.find("Run DeleteCluster in eu-west-1 with {\"cluster\":\"prod\"}"),
            std::string::npos)
      << message;
  EXPECT_EQ(person.asked[0]["params"]["requestedSchema"]["required"], json({"confirm"}));
  ASSERT_EQ(http->requests().size(), 1u);
  EXPECT_EQ(testing::request_header(http->requests()[0], "x-amz-target"),
            "AmazonEC2ContainerServiceV20141113.DeleteCluster");
}

TEST_F(ResourceManagementTest, RequiredConfirmationRefusesUnlessThePersonSaidYes) {
  auto tool = make({.allow_write = true, .require_human_confirmation = true});
  struct Case {
    bool can_elicit;
    Result<json> answer;
    const char* says;
  };
  for (const auto& c : std::vector<Case>{
           {false, kYes, "did not declare the elicitation capability"},
           {true, json{{"action", "decline"}}, "The person declined operation DeleteCluster"},
           {true, json{{"action", "cancel"}}, "dismissed the confirmation"},
           {true, json{{"action", "accept"}, {"content", {{"confirm", false}}}}, "declined"},
           {true, Result<json>(make_error(ErrorCode::kTimeout, "no answer in time")),
            "no answer in time"}}) {
    PersonAtTheClient person(c.can_elicit, c.answer);
    auto r = tool.handler(kDeleteCluster, person);
    ASSERT_TRUE(r.is_error) << c.says;
    const std::string text = r.content[0]["text"];
    EXPECT_NE(text.find(c.says), std::string::npos) << text;
    EXPECT_NE(text.find("ECS_MCP_REQUIRE_HUMAN_CONFIRMATION"), std::string::npos) << text;
    EXPECT_NE(text.find("Nothing was done"), std::string::npos) << text;
    EXPECT_EQ(person.asked.size(), c.can_elicit ? 1u : 0u) << c.says;
  }
  EXPECT_TRUE(http->requests().empty()) << "nothing reached AWS";
}

TEST_F(ResourceManagementTest, OnlyDestructiveOperationsAskAndOnlyUnderTheSwitch) {
  reply(200, {{"clusterArns", json::array()}});
  reply(200, {{"service", {{"serviceName", "web"}}}});
  reply(200, {{"cluster", {{"clusterName", "prod"}}}});
  PersonAtTheClient person(true, json{{"action", "decline"}});
  auto required = make({.allow_write = true, .require_human_confirmation = true});
  EXPECT_FALSE(required.handler({{"api_operation", "ListClusters"}}, person).is_error);
  EXPECT_FALSE(required
                   .handler({{"api_operation", "UpdateService"},
                             {"api_params", {{"cluster", "prod"}, {"service", "web"}}}},
                            person)
                   .is_error);
  auto plain = make({.allow_write = true});
  EXPECT_FALSE(plain.handler(kDeleteCluster, person).is_error);
  EXPECT_TRUE(person.asked.empty());
  EXPECT_EQ(http->requests().size(), 3u);
  EXPECT_NE(required.description.find("ask the person to confirm"), std::string::npos);
  EXPECT_EQ(plain.description.find("ask the person"), std::string::npos)
      << "without the switch the description is as before";
}

}  // namespace
}  // namespace ecs_mcp::ecs
