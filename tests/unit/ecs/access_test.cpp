#include "ecs/access.h"

#include <gtest/gtest.h>

#include "ecs/product.h"

namespace ecs_mcp::ecs {
namespace {

using mcp::AccessClass;

mcp::Tool tool_with(std::vector<AccessClass> classes) {
  mcp::Tool t;
  t.name = "t";
  t.title = "T";
  t.description = "Does things.";
  t.access_classes = std::move(classes);
  return t;
}

TEST(AccessGate, ReadIsAlwaysAllowed) {
  for (bool w : {false, true}) {
    for (bool s : {false, true}) {
      AccessGate gate({w, s});
      EXPECT_TRUE(gate.allows(AccessClass::kRead));
      EXPECT_EQ(gate.allows(AccessClass::kWrite), w);
      EXPECT_EQ(gate.allows(AccessClass::kDestructive), w);
      EXPECT_EQ(gate.allows(AccessClass::kSensitiveRead), s);
      EXPECT_EQ(gate.allows(AccessClass::kExec), w && s);
    }
  }
}

TEST(AccessGate, RefusalsNameTheOperationAndTheVariable) {
  AccessGate gate({false, false});
  auto w = gate.refusal("CreateCluster", AccessClass::kWrite);
  ASSERT_TRUE(w);
  EXPECT_NE(w->find("Operation CreateCluster requires WRITE permission"), std::string::npos);
  EXPECT_NE(w->find("Set ALLOW_WRITE=true"), std::string::npos);
  auto d = gate.refusal("DeleteService", AccessClass::kDestructive);
  ASSERT_TRUE(d);
  EXPECT_NE(d->find("ALLOW_WRITE=true"), std::string::npos);
  auto s = gate.refusal("fetch_task_logs", AccessClass::kSensitiveRead);
  ASSERT_TRUE(s);
  EXPECT_NE(s->find("ALLOW_SENSITIVE_DATA=true"), std::string::npos);
  EXPECT_FALSE(gate.refusal("ListClusters", AccessClass::kRead));
}

TEST(AccessGate, ExecNeedsBothAndSaysWhichIsMissing) {
  auto only_write = AccessGate({true, false}).refusal("ExecuteCommand", AccessClass::kExec);
  ASSERT_TRUE(only_write);
  EXPECT_EQ(only_write->find("ALLOW_WRITE=true"), std::string::npos);
  EXPECT_NE(only_write->find("ALLOW_SENSITIVE_DATA=true"), std::string::npos);
  auto only_sensitive = AccessGate({false, true}).refusal("ExecuteCommand", AccessClass::kExec);
  ASSERT_TRUE(only_sensitive);
  EXPECT_NE(only_sensitive->find("ALLOW_WRITE=true"), std::string::npos);
  EXPECT_EQ(only_sensitive->find("ALLOW_SENSITIVE_DATA=true"), std::string::npos);
  EXPECT_FALSE(AccessGate({true, true}).refusal("ExecuteCommand", AccessClass::kExec));
}

TEST(AccessGate, GuardUsesTheOperationArgument) {
  AccessGate gate({false, false});
  mcp::Tool t = tool_with({AccessClass::kRead, AccessClass::kWrite});
  t.operation_argument = "api_operation";
  auto guard = gate.guard();
  auto r = guard(t, {{"api_operation", "CreateService"}}, AccessClass::kWrite);
  ASSERT_TRUE(r);
  EXPECT_NE(r->find("Operation CreateService"), std::string::npos);
  EXPECT_FALSE(guard(t, {{"api_operation", "ListServices"}}, AccessClass::kRead));
  mcp::Tool single = tool_with({AccessClass::kWrite});
  single.name = "create_ecs_infrastructure";
  auto r2 = guard(single, mcp::json::object(), AccessClass::kWrite);
  ASSERT_TRUE(r2);
  EXPECT_NE(r2->find("Operation create_ecs_infrastructure"), std::string::npos);
}

TEST(AccessGate, ListingNotesUnavailableTools) {
  AccessGate off({false, false});
  auto write_only = tool_with({AccessClass::kWrite, AccessClass::kDestructive});
  off.annotate_listing(write_only);
  EXPECT_NE(write_only.description.find("UNAVAILABLE"), std::string::npos);
  EXPECT_NE(write_only.description.find("ALLOW_WRITE=true"), std::string::npos);

  auto mixed = tool_with({AccessClass::kRead, AccessClass::kWrite});
  off.annotate_listing(mixed);
  EXPECT_EQ(mixed.description.find("UNAVAILABLE"), std::string::npos);
  EXPECT_NE(mixed.description.find("some operations are refused"), std::string::npos);

  auto read_only = tool_with({AccessClass::kRead});
  off.annotate_listing(read_only);
  EXPECT_EQ(read_only.description, "Does things.");

  AccessGate on({true, true});
  auto write_on = tool_with({AccessClass::kWrite});
  on.annotate_listing(write_on);
  EXPECT_EQ(write_on.description, "Does things.");
}

TEST(Instructions, ExplainTheSwitchesAndTheirState) {
  mcp::ToolRegistry registry;
  auto off = make_instructions(registry, {false, false});
  EXPECT_NE(off.find("ALLOW_WRITE=true; it is disabled"), std::string::npos);
  EXPECT_NE(off.find("ALLOW_SENSITIVE_DATA=true; it is disabled"), std::string::npos);
  auto on = make_instructions(registry, {true, false});
  EXPECT_NE(on.find("ALLOW_WRITE=true; it is ENABLED"), std::string::npos);
}

TEST(ProductServer, HumanConfirmationReachesTheDestructiveToolsAndTheInstructions) {
  Config config;
  config.allow_write = true;
  auto plain = make_product_server(config);
  config.require_human_confirmation = true;
  auto confirming = make_product_server(config);
  ASSERT_TRUE(plain.ok() && confirming.ok());
  for (const char* name : {"delete_ecs_infrastructure", "ecs_resource_management"}) {
    const mcp::Tool* before = (*plain)->tools().find(name);
    const mcp::Tool* after = (*confirming)->tools().find(name);
    ASSERT_TRUE(before && after) << name;
    EXPECT_EQ(before->description.find("elicitation);"), std::string::npos) << name;
    EXPECT_NE(after->description.find("(elicitation)"), std::string::npos) << after->description;
    EXPECT_EQ(before->input_schema, after->input_schema) << "the same arguments either way";
  }
  EXPECT_EQ((*plain)->info().instructions.find("ECS_MCP_REQUIRE_HUMAN_CONFIRMATION"),
            std::string::npos);
  EXPECT_NE((*confirming)->info().instructions.find("ECS_MCP_REQUIRE_HUMAN_CONFIRMATION=true"),
            std::string::npos);
}

TEST(ProductServer, StartsWithTheConfiguredGate) {
  Config config;
  auto server = make_product_server(config);
  ASSERT_TRUE(server.ok());
  EXPECT_EQ((*server)->info().name, "ecs-mcp-server");
  EXPECT_FALSE((*server)->info().version.empty());
  mcp::Tool t = tool_with({AccessClass::kWrite});
  EXPECT_TRUE((*server)->guard()(t, mcp::json::object(), AccessClass::kWrite));
}

}  // namespace
}  // namespace ecs_mcp::ecs
