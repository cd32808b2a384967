// ecs-agent with the real ecs-mcp-server as its child, against moto_server: the ECS tools
// are offered only with ENABLE_ECS_MCP, the switches reach the server (a write is refused,
// then allowed), and the brief's first example prompt lists the clusters moto holds.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "integration/aws/moto_harness.h"
#include "support/fake_provider.h"

namespace {

using namespace ecs_mcp::testing;

std::map<std::string, std::string> moto_env(const FakeProvider& provider, bool ecs) {
  return {{"PATH", "/usr/bin:/bin"},
          {"HOME", "/tmp"},
          {"ECS_MCP_SERVER_PATH", ECS_MCP_SERVER_PATH},
          {"LLM_PROVIDER", "openai"},
          {"OPENAI_API_KEY", "sk-test"},
          {"OPENAI_MODEL_NAME", "gpt-test"},
          {"OPENAI_ENDPOINT", provider.base() + "/v1"},
          {"ENABLE_ECS_MCP", ecs ? "true" : "false"},
          {"AWS_REGION", "us-east-1"},
          {"AWS_ACCESS_KEY_ID", "testing"},
          {"AWS_SECRET_ACCESS_KEY", "testing"},
          {"AWS_ENDPOINT_URL", MotoServer::instance()->endpoint()},
          {"FASTMCP_LOG_LEVEL", "ERROR"}};
}

class AgentWithMoto : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(MotoServer::instance(), nullptr);
    ASSERT_TRUE(MotoServer::instance()->reset());
  }
};

TEST_F(AgentWithMoto, ListAllMyEcsClusters) {
  auto made = MotoServer::instance()->run_python(
      "import boto3\nboto3.client('ecs').create_cluster(clusterName='agent-cluster')\n");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  FakeProvider p;
  p.push(openai_stream_calls({{"ecs_resource_management", {{"api_operation", "ListClusters"}}}}));
  p.push(openai_stream_text("You have one cluster: agent-cluster."));
  auto r = run_agent(moto_env(p, true), {"ask", "List all my ECS clusters"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "You have one cluster: agent-cluster.\n");
  auto requests = p.requests();
  ASSERT_EQ(requests.size(), 2u);
  auto names = tool_names(requests[0].body_json());
  for (const char* t :
       {"ecs_resource_management", "containerize_app", "create_ecs_infrastructure",
        "get_deployment_status", "delete_ecs_infrastructure", "ecs_troubleshooting_tool"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), t), names.end()) << t;
  }
  auto results = tool_messages(requests[1].body_json());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_NE(results[0].find("agent-cluster"), std::string::npos) << results[0];
}

TEST_F(AgentWithMoto, DisabledMeansNoServerAndNoTools) {
  FakeProvider p;
  p.push(openai_stream_text("I have no ECS tools."));
  auto r = run_agent(moto_env(p, false), {"ask", "List all my ECS clusters"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(p.requests()[0].body_json().contains("tools"));
}

TEST_F(AgentWithMoto, WritesAreRefusedUntilTheSwitchIsOn) {
  FakeProvider refused;
  refused.push(openai_stream_calls(
      {{"ecs_resource_management",
        {{"api_operation", "CreateCluster"}, {"api_params", {{"clusterName", "made"}}}}}}));
  refused.push(openai_stream_text("Writes are off."));
  auto r = run_agent(moto_env(refused, true), {"ask", "Create a cluster named made"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto text = tool_messages(refused.requests()[1].body_json())[0];
  EXPECT_EQ(text.rfind("REFUSED", 0), 0u) << text;
  EXPECT_NE(text.find("Operation CreateCluster requires WRITE permission"), std::string::npos)
      << text;
  const std::string check =
      "import boto3\nprint(sorted(a.split('/')[-1] for a in "
      "boto3.client('ecs').list_clusters()['clusterArns']))\n";
  EXPECT_EQ(MotoServer::instance()->run_python(check).output, "[]\n");

  FakeProvider allowed;
  allowed.push(openai_stream_calls(
      {{"ecs_resource_management",
        {{"api_operation", "CreateCluster"}, {"api_params", {{"clusterName", "made"}}}}}}));
  allowed.push(openai_stream_text("Created."));
  auto env = moto_env(allowed, true);
  env["ECS_MCP_ALLOW_WRITE"] = "true";
  auto ok = run_agent(env, {"ask", "Create a cluster named made"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(MotoServer::instance()->run_python(check).output, "['made']\n");
  const std::string system = allowed.requests()[0].body_json()["messages"][0]["content"];
  EXPECT_NE(system.find("Write operations are ENABLED"), std::string::npos);
}

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  ::testing::AddGlobalTestEnvironment(new ecs_mcp::testing::MotoEnvironment);
  return RUN_ALL_TESTS();
}
