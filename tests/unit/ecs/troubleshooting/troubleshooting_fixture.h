// The troubleshooting tool on recorded AWS responses: a FakeHttpClient serving
// tests/fixtures/aws_responses/troubleshooting/<service>/<file> by operation name, so the whole
// AWS layer (signing, protocol parsing, paging) runs as it does against AWS.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ecs/troubleshooting/troubleshooting_tool.h"
#include "mcp/json_schema.h"
#include "mcp/tool.h"
#include "support/fake_aws_context.h"
#include "support/fake_http_client.h"
#include "support/fixtures.h"
#include "support/null_tool_context.h"

namespace ecs_mcp::ecs::troubleshooting_test {

using mcp::json;

// A recorded response, relative to tests/fixtures/aws_responses/troubleshooting.
inline json fixture_json(const std::string& relative) {
  return testing::fixture_json("aws_responses/troubleshooting/" + relative);
}

// 2025-01-15T12:00:00Z: the recorded responses' timestamps fall in the hour before it.
inline constexpr double kFixtureNow = 1736942400.0;

class TroubleshootingToolTest : public ::testing::Test {
 protected:
  mcp::Tool make(AccessPolicy policy = {true, true}, size_t budget = 60000) {
    TroubleshootingOptions options;
    options.response_budget_bytes = budget;
    options.now = [] { return kFixtureNow; };
    return make_troubleshooting_tool(testing::fake_aws_context(http), policy, options);
  }
  mcp::ToolResult run(const mcp::Tool& tool, const std::string& action, json parameters) {
    testing::NullToolContext ctx;
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

  std::shared_ptr<testing::FakeHttpClient> http =
      std::make_shared<testing::FakeHttpClient>("troubleshooting");
};

}  // namespace ecs_mcp::ecs::troubleshooting_test
