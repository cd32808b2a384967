// ecs_resource_management on recorded ECS responses fed through the HTTP seam: what is sent,
// how pages and budgets behave. The same tool runs against moto_server in tests/e2e.
#include "ecs/resource_management/resource_management.h"

#include <gtest/gtest.h>

#include <deque>
#include <mutex>

#include "ecs/response_shaping.h"

namespace ecs_mcp::ecs {
namespace {

using mcp::json;

class ScriptedHttp : public aws::HttpClient {
 public:
  Result<aws::HttpResponse> send(const aws::HttpRequest& request) override {
    std::lock_guard lock(mu_);
    requests.push_back(request);
    if (responses.empty()) return make_error("HttpConnectError", "no scripted response");
    auto r = responses.front();
    responses.pop_front();
    return r;
  }
  void reply(int status, json body) {
    aws::HttpResponse r;
    r.status = status;
    r.headers["x-amzn-requestid"] = "req-" + std::to_string(responses.size() + 1);
    r.headers["content-type"] = "application/x-amz-json-1.1";
    r.body = body.dump();
    responses.push_back(r);
  }
  std::mutex mu_;
  std::vector<aws::HttpRequest> requests;
  std::deque<aws::HttpResponse> responses;
};

class StaticCredentials : public aws::CredentialsProvider {
 public:
  Result<aws::Credentials> get() override {
    return aws::Credentials{"AKIDTEST", "secret", "", std::nullopt, "test"};
  }
};

class NullContext : public mcp::ToolContext {
 public:
  bool cancelled() const override { return false; }
  void progress(double, std::optional<double>, const std::string&) override {}
  void log(mcp::LogLevel, const std::string&, const json&) override {}
};

std::string header(const aws::HttpRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    std::string lower = k;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == name) return v;
  }
  return "";
}

class ResourceManagementTest : public ::testing::Test {
 protected:
  mcp::Tool make(AccessPolicy policy = {}, ResourceManagementOptions options = {}) {
    Config config;
    config.region = "eu-west-1";
    AwsContextOptions aws;
    aws.http = http;
    aws.credentials = std::make_shared<StaticCredentials>();
    aws.env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
    return make_resource_management_tool(std::make_shared<AwsContext>(config, aws), policy, options);
  }
  mcp::ToolResult run(const mcp::Tool& tool, json args) {
    NullContext ctx;
    return tool.handler(args, ctx);
  }
  std::shared_ptr<ScriptedHttp> http = std::make_shared<ScriptedHttp>();
};

TEST_F(ResourceManagementTest, SendsTheOperationWithItsParamsAndADefaultPageSize) {
  auto tool = make();
  http->reply(200, {{"serviceArns", {"arn:aws:ecs:eu-west-1:1:service/c/a"}}, {"nextToken", "page-2"}});
  auto r = run(tool, {{"api_operation", "ListServices"}, {"api_params", {{"cluster", "c"}}}});
  ASSERT_FALSE(r.is_error) << r.content.dump();
  ASSERT_EQ(http->requests.size(), 1u);
  const auto& req = http->requests[0];
  EXPECT_EQ(req.url.rfind("https://ecs.eu-west-1.amazonaws.com", 0), 0u) << req.url;
  EXPECT_EQ(header(req, "x-amz-target"), "AmazonEC2ContainerServiceV20141113.ListServices");
  EXPECT_NE(header(req, "authorization").find("Credential=AKIDTEST/"), std::string::npos);
  json body = json::parse(req.body);
  EXPECT_EQ(body["cluster"], "c");
  EXPECT_EQ(body["maxResults"], 50);
  EXPECT_EQ((*r.structured)["nextToken"], "page-2");
  EXPECT_EQ((*r.structured)["region"], "eu-west-1");
}

TEST_F(ResourceManagementTest, FollowingNextTokenFetchesTheNextPage) {
  auto tool = make();
  http->reply(200, {{"clusterArns", {"a", "b"}}, {"nextToken", "t2"}});
  http->reply(200, {{"clusterArns", {"c"}}});
  auto first = run(tool, {{"api_operation", "ListClusters"}, {"api_params", {{"maxResults", 2}}}});
  std::string token = (*first.structured)["nextToken"];
  auto second = run(tool, {{"api_operation", "ListClusters"},
                           {"api_params", {{"maxResults", 2}, {"nextToken", token}}}});
  EXPECT_EQ(json::parse(http->requests[0].body)["maxResults"], 2);
  EXPECT_EQ(json::parse(http->requests[1].body)["nextToken"], "t2");
  EXPECT_FALSE(second.structured->contains("nextToken"));
  EXPECT_EQ((*second.structured)["result"]["clusterArns"], json({"c"}));
}

TEST_F(ResourceManagementTest, EcrOperationsGoToEcrWithoutThePrefix) {
  auto tool = make();
  http->reply(200, {{"repositories", json::array()}});
  auto r = run(tool, {{"api_operation", "ecr:DescribeRepositories"}});
  ASSERT_FALSE(r.is_error);
  EXPECT_EQ(http->requests[0].url.rfind("https://api.ecr.eu-west-1.amazonaws.com", 0), 0u);
  EXPECT_EQ(header(http->requests[0], "x-amz-target"),
            "AmazonEC2ContainerRegistry_V20150921.DescribeRepositories");
}

TEST_F(ResourceManagementTest, AwsErrorsKeepCodeMessageAndRequestId) {
  auto tool = make();
  http->reply(400, {{"__type", "com.amazonaws.ecs#ClusterNotFoundException"}, {"message", "Cluster not found."}});
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
  for (int i = 0; i < 500; ++i) arns.push_back("arn:aws:ecs:eu-west-1:123456789012:task/c/" + std::to_string(i));
  http->reply(200, {{"taskArns", arns}});
  auto r = run(tool, {{"api_operation", "ListTasks"}, {"api_params", {{"maxResults", 100}}}});
  ASSERT_FALSE(r.is_error);
  EXPECT_EQ((*r.structured)["truncated"], true);
  EXPECT_LT((*r.structured)["result"]["taskArns"].size(), 500u);
  EXPECT_NE((*r.structured)["result"]["_truncated"]["message"].get<std::string>().find("nextToken"),
            std::string::npos);
}

TEST_F(ResourceManagementTest, RunTaskRetriesCarryOneIdempotencyToken) {
  auto tool = make({true, false});
  http->reply(500, {{"__type", "ServerException"}, {"message", "try again"}});
  http->reply(200, {{"tasks", json::array()}, {"failures", json::array()}});
  auto r = run(tool, {{"api_operation", "RunTask"}, {"api_params", {{"taskDefinition", "web"}}}});
  ASSERT_FALSE(r.is_error) << r.content.dump();
  ASSERT_EQ(http->requests.size(), 2u);
  json first = json::parse(http->requests[0].body);
  json second = json::parse(http->requests[1].body);
  ASSERT_TRUE(first["clientToken"].is_string());
  EXPECT_EQ(first["clientToken"], second["clientToken"]);
  // A caller's own token is kept.
  http->reply(200, {{"tasks", json::array()}});
  run(tool, {{"api_operation", "RunTask"}, {"api_params", {{"taskDefinition", "web"}, {"clientToken", "mine"}}}});
  EXPECT_EQ(json::parse(http->requests[2].body)["clientToken"], "mine");
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
  EXPECT_TRUE(http->requests.empty());
}

}  // namespace
}  // namespace ecs_mcp::ecs
