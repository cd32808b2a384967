// Environment -> configuration: ENABLE_ECS_MCP, the switches as the child sees them, the
// child's stripped environment, providers and the error that lists their variables, and
// the mcpServers file.
#include "agent/config.h"

#include <gtest/gtest.h>

#include <map>

#include "agent/system_prompt.h"
#include "support/fake_os.h"

namespace ecs_mcp::agent {
namespace {

std::shared_ptr<testing::FakeOs> env_of(const std::map<std::string, std::string>& vars) {
  auto os = testing::FakeOs::make();
  for (const auto& [name, value] : vars) os->set(name, value);
  return os;
}

std::map<std::string, std::string> as_map(
    const std::vector<std::pair<std::string, std::string>>& kv) {
  return {kv.begin(), kv.end()};
}

TEST(AgentConfig, EnableEcsMcpAcceptsTrueOneYesAndDefaultsOff) {
  for (const char* on : {"true", "TRUE", "1", "yes", "Yes"}) {
    auto c = load_agent_config(*env_of({{"ENABLE_ECS_MCP", on},
                                        {"LLM_PROVIDER", "openai"},
                                        {"OPENAI_API_KEY", "k"},
                                        {"OPENAI_MODEL_NAME", "m"}}),
                               "/opt/bin/ecs-agent");
    ASSERT_TRUE(c.ok());
    EXPECT_TRUE(c->enable_ecs) << on;
  }
  for (const char* off : {"", "false", "0", "no", "on"}) {
    auto c = load_agent_config(*env_of({{"ENABLE_ECS_MCP", off},
                                        {"LLM_PROVIDER", "openai"},
                                        {"OPENAI_API_KEY", "k"},
                                        {"OPENAI_MODEL_NAME", "m"}}),
                               "/opt/bin/ecs-agent");
    ASSERT_TRUE(c.ok());
    EXPECT_FALSE(c->enable_ecs) << off;
  }
}

TEST(AgentConfig, ChildGetsStrippedEnvironmentAndLiteralSwitches) {
  auto env = env_of({{"HOME", "/home/u"},
                     {"PATH", "/bin"},
                     {"USER", "u"},
                     {"SECRET_TOKEN", "leak"},
                     {"AWS_PROFILE", "dev"},
                     {"AWS_ACCESS_KEY_ID", "AKID"},
                     {"AWS_DEFAULT_REGION", "eu-west-1"},
                     {"ECS_MCP_ALLOW_WRITE", "yes"},
                     {"LLM_PROVIDER", "anthropic-claude"},
                     {"ANTHROPIC_API_KEY", "k"},
                     {"ANTHROPIC_MODEL_NAME", "m"},
                     {"FASTMCP_LOG_LEVEL", "ERROR"}});
  auto c = load_agent_config(*env, "/opt/bin/ecs-agent");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->server_path, "/opt/bin/ecs-mcp-server");
  EXPECT_EQ(c->region, "us-west-2");
  auto child = as_map(ecs_server_spec(*c, *env).environment);
  EXPECT_EQ(child, (std::map<std::string, std::string>{{"HOME", "/home/u"},
                                                       {"PATH", "/bin"},
                                                       {"USER", "u"},
                                                       {"AWS_REGION", "us-west-2"},
                                                       {"AWS_PROFILE", "dev"},
                                                       {"FASTMCP_LOG_LEVEL", "ERROR"},
                                                       {"ALLOW_WRITE", "true"},
                                                       {"ALLOW_SENSITIVE_DATA", "false"}}));
}

TEST(AgentConfig, KeysPassWhenNoProfileAndServerPathOverride) {
  auto env = env_of({{"AWS_ACCESS_KEY_ID", "AKID"},
                     {"AWS_SECRET_ACCESS_KEY", "S"},
                     {"AWS_REGION", "eu-west-1"},
                     {"ECS_MCP_SERVER_PATH", "/x/server"},
                     {"ECS_MCP_ALLOW_SENSITIVE_DATA", "1"},
                     {"LLM_PROVIDER", "aws-bedrock"},
                     {"AWS_BEDROCK_MODEL_ID", "anthropic.claude"}});
  auto c = load_agent_config(*env, "ecs-agent");
  ASSERT_TRUE(c.ok());
  auto child = as_map(ecs_server_spec(*c, *env).environment);
  EXPECT_EQ(child["AWS_ACCESS_KEY_ID"], "AKID");
  EXPECT_EQ(child["AWS_SECRET_ACCESS_KEY"], "S");
  EXPECT_EQ(child["AWS_REGION"], "eu-west-1");
  EXPECT_EQ(child["ALLOW_WRITE"], "false");
  EXPECT_EQ(child["ALLOW_SENSITIVE_DATA"], "true");
  EXPECT_EQ(c->server_path, "/x/server");
}

TEST(AgentConfig, MissingProviderNamesEveryVariable) {
  auto none = load_agent_config(*env_of({}), "ecs-agent");
  ASSERT_FALSE(none.ok());
  for (const char* var :
       {"LLM_PROVIDER", "OPENAI_API_KEY", "AZURE_OPENAI_DEPLOYMENT", "AZURE_OPENAI_API_VERSION",
        "ANTHROPIC_API_KEY", "AWS_BEDROCK_MODEL_ID"}) {
    EXPECT_NE(none.error().message.find(var), std::string::npos) << var;
  }
  auto partial = load_agent_config(
      *env_of({{"LLM_PROVIDER", "azure-openai"}, {"AZURE_OPENAI_API_KEY", "k"}}), "a");
  ASSERT_FALSE(partial.ok());
  EXPECT_NE(partial.error().message.find("needs AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_DEPLOYMENT"),
            std::string::npos)
      << partial.error().message;
  auto unknown = load_agent_config(*env_of({{"LLM_PROVIDER", "gemini"}}), "a");
  ASSERT_FALSE(unknown.ok());
}

TEST(McpConfig, StdioAndHttpEntries) {
  auto env = env_of({{"PATH", "/bin"}, {"SECRET", "no"}});
  auto servers = parse_mcp_config(R"({"mcpServers":{
      "files":{"command":"npx","args":["-y","server-files"],"env":{"ROOT":"/tmp","PATH":"/opt"}},
      "docs":{"url":"https://docs.example/mcp","headers":{"Authorization":"Bearer t"}}}})",
                                  *env);
  ASSERT_TRUE(servers.ok()) << servers.error().message;
  ASSERT_EQ(servers->size(), 2u);
  const auto& docs = (*servers)[0].key == "docs" ? (*servers)[0] : (*servers)[1];
  const auto& files = (*servers)[0].key == "files" ? (*servers)[0] : (*servers)[1];
  EXPECT_EQ(docs.kind, ServerSpec::Kind::kHttp);
  EXPECT_EQ(docs.headers.at("Authorization"), "Bearer t");
  EXPECT_EQ(files.args, (std::vector<std::string>{"-y", "server-files"}));
  EXPECT_EQ(as_map(files.environment),
            (std::map<std::string, std::string>{{"PATH", "/opt"}, {"ROOT", "/tmp"}}));
  EXPECT_FALSE(parse_mcp_config(R"({"mcpServers":{"x":{"args":[]}}})", *env).ok());
  EXPECT_FALSE(parse_mcp_config("[]", *env).ok());
}

TEST(SystemPrompt, EcsBlockOnlyWhenEnabledAndTruthfulAboutSwitches) {
  PromptFacts facts;
  facts.now = std::chrono::system_clock::from_time_t(1767225600);  // 2026-01-01
  facts.region = "us-west-2";
  std::string off = system_prompt(facts);
  EXPECT_NE(off.find("2026-01-01"), std::string::npos);
  EXPECT_EQ(off.find("ECS"), std::string::npos);

  facts.ecs_enabled = true;
  std::string read_only = system_prompt(facts);
  EXPECT_NE(read_only.find("Write operations are DISABLED"), std::string::npos);
  EXPECT_NE(read_only.find("Sensitive data access is DISABLED"), std::string::npos);
  EXPECT_EQ(read_only.find("ENABLED"), std::string::npos);

  facts.allow_write = true;
  facts.allow_sensitive_data = true;
  std::string all = system_prompt(facts);
  EXPECT_NE(all.find("Write operations are ENABLED"), std::string::npos);
  EXPECT_NE(all.find("Sensitive data access is ENABLED"), std::string::npos);
}

}  // namespace
}  // namespace ecs_mcp::agent
