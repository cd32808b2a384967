// The XML shape hints compiled into the Query/EC2 service clients must equal what
// xml_hints_oracle.py derives from botocore's models today.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "aws/cloudformation.h"
#include "aws/ec2.h"
#include "aws/elbv2.h"
#include "aws/iam.h"
#include "aws/sts.h"
#include "python_oracle.h"

namespace ecs_mcp::aws {
namespace {

using nlohmann::json;

json as_json(const std::set<std::string>& names) { return json(names); }

TEST(XmlHints, MatchBotocoreModels) {
  ECS_MCP_REQUIRE_PYTHON("botocore");
  std::string output = testing::run_oracle("xml_hints_oracle.py");
  json expected = json::parse(output, nullptr, false);
  ASSERT_TRUE(expected.is_object()) << "oracle failed: " << output;
  const std::map<std::string, const ServiceDescriptor*> services = {
      {"cloudformation", &cloudformation_service()},
      {"elbv2", &elbv2_service()},
      {"iam", &iam_service()},
      {"sts", &sts_service()},
      {"ec2", &ec2_service()}};
  for (const auto& [name, service] : services) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(expected.contains(name));
    const auto& hints = service->response_hints;
    EXPECT_EQ(as_json(hints.lists), expected[name]["lists"]);
    EXPECT_EQ(as_json(hints.maps), expected[name]["maps"]);
    EXPECT_EQ(as_json(hints.integers), expected[name]["integers"]);
    EXPECT_EQ(as_json(hints.booleans), expected[name]["booleans"]);
    EXPECT_EQ(as_json(hints.doubles), expected[name]["doubles"]);
    if (expected[name].contains("renames")) {
      EXPECT_EQ(json(hints.renames), expected[name]["renames"]);
    }
  }
}

}  // namespace
}  // namespace ecs_mcp::aws
