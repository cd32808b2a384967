// Recorded AWS responses for the troubleshooting tests, served through the HttpClient seam by
// operation name (X-Amz-Target for JSON services, Action= for Query/EC2), so the whole AWS
// layer (signing, protocol parsing, paging) runs as it does against AWS.
//
// Responses live in tests/fixtures/aws_responses/troubleshooting/<service>/<file>, found
// relative to this header so no build configuration is needed.
#pragma once

#include <gtest/gtest.h>

#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "ecs/aws_context.h"
#include "ecs/troubleshooting/troubleshooting_tool.h"
#include "mcp/json_schema.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs::troubleshooting_test {

using mcp::json;

inline std::string fixture_dir() {
  std::string here = __FILE__;  // .../tests/unit/ecs/troubleshooting/fixture_http.h
  auto tests = here.rfind("/tests/unit/");
  return here.substr(0, tests) + "/tests/fixtures/aws_responses/troubleshooting/";
}

inline std::string read_fixture(const std::string& relative) {
  std::ifstream in(fixture_dir() + relative);
  EXPECT_TRUE(in.good()) << "missing fixture " << fixture_dir() + relative;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline json fixture_json(const std::string& relative) {
  return json::parse(read_fixture(relative));
}

class FixtureHttp : public aws::HttpClient {
 public:
  struct Sent {
    std::string operation;
    aws::HttpRequest request;
  };

  Result<aws::HttpResponse> send(const aws::HttpRequest& request) override {
    std::lock_guard lock(mu_);
    std::string op = operation_of(request);
    sent.push_back({op, request});
    auto it = replies_.find(op);
    if (it == replies_.end() || it->second.empty()) {
      return make_error("HttpConnectError", "no recorded response for " + op);
    }
    aws::HttpResponse r = it->second.front();
    if (it->second.size() > 1) it->second.pop_front();  // the last reply repeats
    return r;
  }

  // Queues a reply for `operation`: JSON services get JSON, Query/EC2 services XML.
  void on(const std::string& operation, const std::string& body, int status = 200) {
    aws::HttpResponse r;
    r.status = status;
    r.headers["x-amzn-requestid"] = "req-" + operation;
    bool xml = !body.empty() && body[0] == '<';
    r.headers["content-type"] = xml ? "text/xml" : "application/x-amz-json-1.1";
    r.body = body;
    std::lock_guard lock(mu_);
    replies_[operation].push_back(std::move(r));
  }
  void on_file(const std::string& operation, const std::string& relative, int status = 200) {
    on(operation, read_fixture(relative), status);
  }
  void on_json(const std::string& operation, const json& body, int status = 200) {
    on(operation, body.dump(), status);
  }

  std::vector<Sent> calls(const std::string& operation) const {
    std::vector<Sent> out;
    for (const auto& s : sent) {
      if (s.operation == operation) out.push_back(s);
    }
    return out;
  }

  std::vector<Sent> sent;

 private:
  static std::string operation_of(const aws::HttpRequest& request) {
    for (const auto& [k, v] : request.headers) {
      std::string lower = k;
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "x-amz-target") return v.substr(v.find('.') + 1);
    }
    auto a = request.body.find("Action=");
    if (a == std::string::npos) return "";
    auto end = request.body.find('&', a);
    return request.body.substr(a + 7, end == std::string::npos ? std::string::npos : end - a - 7);
  }

  std::mutex mu_;
  std::map<std::string, std::deque<aws::HttpResponse>> replies_;
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

// 2025-01-15T12:00:00Z: the recorded responses' timestamps fall in the hour before it.
inline constexpr double kFixtureNow = 1736942400.0;

class TroubleshootingToolTest : public ::testing::Test {
 protected:
  mcp::Tool make(AccessPolicy policy = {true, true}, size_t budget = 60000) {
    Config config;
    config.region = "us-east-1";
    AwsContextOptions aws;
    aws.http = http;
    aws.credentials = std::make_shared<StaticCredentials>();
    aws.env = [](std::string_view) -> std::optional<std::string> { return std::nullopt; };
    TroubleshootingOptions options;
    options.response_budget_bytes = budget;
    options.now = [] { return kFixtureNow; };
    return make_troubleshooting_tool(std::make_shared<AwsContext>(config, aws), policy, options);
  }
  mcp::ToolResult run(const mcp::Tool& tool, const std::string& action, json parameters) {
    NullContext ctx;
    json args{{"action", action}, {"parameters", std::move(parameters)}};
    if (auto problem = validate(tool, args)) ADD_FAILURE() << *problem;
    return tool.handler(args, ctx);
  }
  static std::optional<std::string> validate(const mcp::Tool& tool, const json& args) {
    return mcp::validate_against_schema(tool.input_schema, args);
  }

  // The findings of a structured result with a given category.
  static std::vector<json> findings(const mcp::ToolResult& r, const std::string& category) {
    std::vector<json> out;
    if (!r.structured) return out;
    for (const auto& f : (*r.structured)["findings"]) {
      if (f["category"] == category) out.push_back(f);
    }
    return out;
  }
  static std::string text(const mcp::ToolResult& r) {
    return r.content.empty() ? "" : r.content[0].value("text", "");
  }

  std::shared_ptr<FixtureHttp> http = std::make_shared<FixtureHttp>();
};

}  // namespace ecs_mcp::ecs::troubleshooting_test
