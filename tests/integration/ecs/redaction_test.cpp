// Redaction through the real answer path: the product server, a real MCP session, the real
// AWS client (libcurl, SigV4) against a fake AWS on loopback answering with botocore-shaped
// CloudFormation and ECS responses. What reaches the client, structuredContent and text,
// carries no secret, whichever tool shows it.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>

#include "ecs/config.h"
#include "ecs/product.h"
#include "mcp/server.h"
#include "support/fake_os.h"

namespace ecs_mcp::ecs {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

// Assembled here, so no credential-shaped literal sits in the tree.
const std::string kKeyId = "AKIA" + std::string("Z7Q2M4X9B6N3P5R8");

const std::string kDescribeStacks =
    R"(<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
  <DescribeStacksResult>
    <Stacks>
      <member>
        <StackName>shop-ecs-infrastructure</StackName>
        <StackId>arn:aws:cloudformation:us-east-1:123456789012:stack/shop-ecs-infrastructure/4f1c</StackId>
        <StackStatus>CREATE_COMPLETE</StackStatus>
        <CreationTime>2026-01-01T00:00:00.000Z</CreationTime>
        <Outputs>
          <member><OutputKey>DbPassword</OutputKey><OutputValue>hunter2-output</OutputValue></member>
          <member><OutputKey>DatabaseUrl</OutputKey><OutputValue>postgres://shop:pw-in-url@db.internal:5432/shop</OutputValue></member>
          <member><OutputKey>DeployUserKey</OutputKey><OutputValue>)" +
    kKeyId + R"(</OutputValue></member>
          <member><OutputKey>LoadBalancerUrl</OutputKey><OutputValue>http://shop-alb-1.us-east-1.elb.amazonaws.com</OutputValue></member>
          <member><OutputKey>ClusterName</OutputKey><OutputValue>shop-cluster</OutputValue></member>
          <member><OutputKey>ServiceName</OutputKey><OutputValue>shop-service</OutputValue></member>
        </Outputs>
      </member>
    </Stacks>
  </DescribeStacksResult>
  <ResponseMetadata><RequestId>req-stacks</RequestId></ResponseMetadata>
</DescribeStacksResponse>)";

const json kDescribeServices = {
    {"services",
     {{{"serviceName", "shop-service"},
       {"status", "ACTIVE"},
       {"desiredCount", 1},
       {"runningCount", 1},
       {"pendingCount", 0},
       {"deployments",
        {{{"status", "PRIMARY"},
          {"rolloutState", "COMPLETED"},
          {"taskDefinition", "arn:aws:ecs:us-east-1:123456789012:task-definition/shop:1"},
          {"desiredCount", 1},
          {"runningCount", 1}}}},
       {"events", {{{"message", "(service shop-service) has reached a steady state."}}}}}}},
    {"failures", json::array()}};

const json kDescribeTaskDefinition = {
    {"taskDefinition",
     {{"family", "shop"},
      {"containerDefinitions",
       {{{"name", "app"},
         {"image", "123456789012.dkr.ecr.us-east-1.amazonaws.com/shop:1"},
         {"command", {"node", "server.js", "--session-secret", "sess-42"}},
         {"healthCheck",
          {{"command", {"CMD-SHELL", "curl -f http://localhost:3000/ --api-key hk-7 || exit 1"}}}},
         {"environment", {{{"name", "NODE_ENV"}, {"value", "production-env-value"}}}},
         {"dockerLabels", {{"team", "shop"}, {"datadog_api_key", "dl-9"}}},
         {"logConfiguration",
          {{"logDriver", "splunk"},
           {"options",
            {{"splunk-url", "https://splunk.example.com:8088"}, {"splunk-token", "spl-3"}}}}}}}}}},
    {"tags",
     {{{"key", "owner"}, {"value", "shop-team"}}, {{"key", "license_key"}, {"value", "lic-5"}}}}};

class FakeAws {
 public:
  FakeAws() {
    server_.Post("/", [](const httplib::Request& req, httplib::Response& res) {
      const std::string target = req.get_header_value("X-Amz-Target");
      if (target.empty() && req.body.find("Action=DescribeStacks") != std::string::npos) {
        res.set_header("x-amzn-RequestId", "req-stacks");
        res.set_content(kDescribeStacks, "text/xml");
      } else if (target.ends_with(".DescribeServices")) {
        res.set_header("x-amzn-RequestId", "req-services");
        res.set_content(kDescribeServices.dump(), "application/x-amz-json-1.1");
      } else if (target.ends_with(".DescribeTaskDefinition")) {
        res.set_header("x-amzn-RequestId", "req-td");
        res.set_content(kDescribeTaskDefinition.dump(), "application/x-amz-json-1.1");
      } else {
        res.status = 400;
        res.set_content(R"({"__type":"UnknownOperationException","message":"not faked"})",
                        "application/x-amz-json-1.1");
      }
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(milliseconds(5));
  }
  ~FakeAws() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
};

class Recorder : public mcp::Outbound {
 public:
  void send(const json& message) override {
    std::lock_guard lock(mu_);
    messages_.push_back(message);
    cv_.notify_all();
  }
  json response(const json& id) {
    std::unique_lock lock(mu_);
    json found;
    cv_.wait_for(lock, std::chrono::seconds(30), [&] {
      for (const auto& m : messages_) {
        if (m.contains("id") && m["id"] == id && !m.contains("method")) {
          found = m;
          return true;
        }
      }
      return false;
    });
    return found;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<json> messages_;
};

class RedactionThroughTheServer : public ::testing::Test {
 protected:
  // Calls `tool` on a product server whose AWS is the fake; returns the tools/call result.
  json call(bool allow_sensitive_data, const std::string& tool, const json& arguments) {
    Config config;
    config.region = "us-east-1";
    config.allow_sensitive_data = allow_sensitive_data;
    config.docs.enabled = false;
    AwsContextOptions aws;
    const std::string endpoint = fake_.url();
    auto os = testing::FakeOs::make();
    os->set("AWS_ENDPOINT_URL", endpoint)
        .set("AWS_ACCESS_KEY_ID", "AKIDFAKEFORTESTS")
        .set("AWS_SECRET_ACCESS_KEY", "fake-secret-for-tests");
    aws.os = os;
    auto server = make_product_server(config, aws);
    EXPECT_TRUE(server.ok());
    if (!server.ok()) return {};
    auto out = std::make_shared<Recorder>();
    auto session = mcp::Session::create(**server, out);
    session->handle_text(json{{"jsonrpc", "2.0"},
                              {"id", 0},
                              {"method", "initialize"},
                              {"params",
                               {{"protocolVersion", "2025-11-25"},
                                {"capabilities", json::object()},
                                {"clientInfo", {{"name", "test"}, {"version", "1"}}}}}}
                             .dump());
    session->handle_text(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
    session->handle_text(json{{"jsonrpc", "2.0"},
                              {"id", 1},
                              {"method", "tools/call"},
                              {"params", {{"name", tool}, {"arguments", arguments}}}}
                             .dump());
    json response = out->response(1);
    session->wait_until_idle(std::chrono::seconds(5));
    return response.value("result", json());
  }

  FakeAws fake_;
};

// The answer as the client reads it: both forms, in one string.
std::string answer_text(const json& result) {
  return result.value("structuredContent", json()).dump() + "\n" +
         result["content"][0].value("text", "");
}

void expect_gone(const std::string& answer, const std::string& secret) {
  EXPECT_EQ(answer.find(secret), std::string::npos) << secret << " reached the client: " << answer;
}
void expect_kept(const std::string& answer, const std::string& kept) {
  EXPECT_NE(answer.find(kept), std::string::npos) << kept << " is missing: " << answer;
}

TEST_F(RedactionThroughTheServer, DeploymentStatusMasksCredentialOutputs) {
  json result = call(false, "get_deployment_status", {{"app_name", "shop"}});
  ASSERT_FALSE(result.value("isError", false)) << result;
  EXPECT_EQ(result["structuredContent"]["verdict"], "COMPLETE") << result;
  const std::string answer = answer_text(result);
  for (const std::string& secret :
       {std::string("hunter2-output"), std::string("pw-in-url"), kKeyId}) {
    expect_gone(answer, secret);
  }
  for (const char* kept : {"DbPassword", "postgres://shop:", "@db.internal:5432/shop",
                           "http://shop-alb-1.us-east-1.elb.amazonaws.com",
                           "ALLOW_SENSITIVE_DATA=true", "[REDACTED: AWS access key id]"}) {
    expect_kept(answer, kept);
  }
  EXPECT_EQ(result["structuredContent"]["load_balancer_url"],
            "http://shop-alb-1.us-east-1.elb.amazonaws.com");
}

TEST_F(RedactionThroughTheServer, SensitiveModeShowsOutputsButNotKnownSecretFormats) {
  json result = call(true, "get_deployment_status", {{"app_name", "shop"}});
  ASSERT_FALSE(result.value("isError", false)) << result;
  const std::string answer = answer_text(result);
  expect_kept(answer, "hunter2-output");
  expect_gone(answer, "pw-in-url");
  expect_gone(answer, kKeyId);
}

TEST_F(RedactionThroughTheServer, TaskDefinitionLabelsOptionsCommandsAndTags) {
  json result = call(false, "ecs_resource_management",
                     {{"api_operation", "DescribeTaskDefinition"},
                      {"api_params", {{"taskDefinition", "shop"}, {"include", {"TAGS"}}}}});
  ASSERT_FALSE(result.value("isError", false)) << result;
  const std::string answer = answer_text(result);
  for (const char* secret : {"sess-42", "hk-7", "production-env-value", "dl-9", "spl-3", "lic-5"}) {
    expect_gone(answer, secret);
  }
  for (const char* kept : {"--session-secret", "--api-key", "NODE_ENV", "datadog_api_key",
                           "splunk-token", "https://splunk.example.com:8088", "shop-team"}) {
    expect_kept(answer, kept);
  }
  EXPECT_EQ(result["structuredContent"]["redactedValues"], 6) << result;
}

}  // namespace
}  // namespace ecs_mcp::ecs
