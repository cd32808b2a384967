// ecs-agent end to end: the built binary, a scripted fake provider on loopback for each wire
// format (recording what the agent sent), and fake-mcp-server as the ECS server.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/fake_provider.h"

namespace {

using json = nlohmann::json;
using ecs_mcp::testing::FakeProvider;
using ecs_mcp::testing::openai_stream_calls;
using ecs_mcp::testing::openai_stream_text;
using ecs_mcp::testing::Recorded;
using ecs_mcp::testing::run_agent;
using ecs_mcp::testing::Scripted;
using ecs_mcp::testing::tool_messages;
using ecs_mcp::testing::tool_names;

std::map<std::string, std::string> base_env() {
  return {{"PATH", "/usr/bin:/bin"},
          {"HOME", "/tmp"},
          {"ECS_MCP_SERVER_PATH", FAKE_MCP_SERVER_PATH},
          {"AWS_MAX_ATTEMPTS", "3"}};
}

std::map<std::string, std::string> openai_env(const FakeProvider& p, bool ecs) {
  auto env = base_env();
  env["LLM_PROVIDER"] = "openai";
  env["OPENAI_API_KEY"] = "sk-test";
  env["OPENAI_MODEL_NAME"] = "gpt-test";
  env["OPENAI_ENDPOINT"] = p.base() + "/v1";
  if (ecs) env["ENABLE_ECS_MCP"] = "true";
  return env;
}

TEST(AgentCli, NoProviderIsAClearErrorListingTheVariables) {
  auto r = run_agent(base_env(), {"ask", "hello"});
  EXPECT_EQ(r.exit_code, 2);
  for (const char* var : {"LLM_PROVIDER", "OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT",
                          "ANTHROPIC_API_KEY", "AWS_BEDROCK_MODEL_ID"}) {
    EXPECT_NE(r.err.find(var), std::string::npos) << var << "\n" << r.err;
  }
}

TEST(AgentCli, HelpAndVersion) {
  auto help = run_agent(base_env(), {"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("ask"), std::string::npos);
  EXPECT_NE(help.out.find("ENABLE_ECS_MCP"), std::string::npos);
  auto version = run_agent(base_env(), {"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("ecs-agent ", 0), 0u);
}

TEST(AgentCli, EcsDisabledOffersNoToolsAndNoEcsBlock) {
  FakeProvider p;
  p.push(openai_stream_text("Hello there."));
  auto r = run_agent(openai_env(p, false), {"ask", "List all my ECS clusters"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Hello there.\n");
  auto requests = p.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/v1/chat/completions");
  EXPECT_EQ(requests[0].header("Authorization"), "Bearer sk-test");
  json body = requests[0].body_json();
  EXPECT_FALSE(body.contains("tools"));
  EXPECT_EQ(body["stream"], true);
  const std::string system = body["messages"][0]["content"];
  EXPECT_EQ(system.find("ECS"), std::string::npos) << system;
  EXPECT_EQ(body["messages"][1]["content"], "List all my ECS clusters");
}

TEST(AgentCli, EcsEnabledOffersToolsAndTheSwitchesReachTheChild) {
  FakeProvider p;
  p.push(openai_stream_calls({{"environment", json::object()}, {"echo", {{"message", "hi"}}}}));
  p.push(openai_stream_text("All done."));
  auto env = openai_env(p, true);
  env["ECS_MCP_ALLOW_SENSITIVE_DATA"] = "yes";
  env["AWS_REGION"] = "eu-central-1";
  env["UNRELATED_SECRET"] = "must-not-leak";
  auto r = run_agent(env, {"ask", "My ECS tasks keep failing, can you diagnose the issue?"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "All done.\n");
  EXPECT_NE(r.err.find("-> environment"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("<- echo ok in"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("tool \"wordy\" is left out"), std::string::npos) << r.err;
  auto requests = p.requests();
  ASSERT_EQ(requests.size(), 2u);
  auto first = requests[0].body_json();
  auto names = tool_names(first);
  for (const char* t :
       {"echo", "environment", "slow", "write_thing", "delete_thing", "big", "crash"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), t), names.end()) << t;
  }
  EXPECT_EQ(std::find(names.begin(), names.end(), "wordy"), names.end());
  const std::string system = first["messages"][0]["content"];
  EXPECT_NE(system.find("Amazon ECS"), std::string::npos);
  EXPECT_NE(system.find("Write operations are DISABLED"), std::string::npos);
  EXPECT_NE(system.find("Sensitive data access is ENABLED"), std::string::npos);
  EXPECT_NE(system.find("eu-central-1"), std::string::npos);

  auto results = tool_messages(requests[1].body_json());
  ASSERT_EQ(results.size(), 2u);
  json child_env = json::parse(results[0]);
  EXPECT_EQ(child_env["ALLOW_WRITE"], "false");
  EXPECT_EQ(child_env["ALLOW_SENSITIVE_DATA"], "true");
  EXPECT_EQ(child_env["AWS_REGION"], "eu-central-1");
  EXPECT_FALSE(child_env.contains("UNRELATED_SECRET"));
  EXPECT_FALSE(child_env.contains("OPENAI_API_KEY"));
  EXPECT_EQ(results[1], "hi");
}

TEST(AgentCli, ARefusedWriteComesBackAsARefusal) {
  FakeProvider p;
  p.push(openai_stream_calls({{"write_thing", {{"name", "svc"}}}}));
  p.push(openai_stream_text("Writes are disabled."));
  auto r =
      run_agent(openai_env(p, true), {"ask", "Containerize this Node.js app and deploy it to AWS"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("<- write_thing refused"), std::string::npos) << r.err;
  auto results = tool_messages(p.requests()[1].body_json());
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].rfind("REFUSED", 0), 0u) << results[0];
  EXPECT_NE(results[0].find("ALLOW_WRITE=true"), std::string::npos);
  EXPECT_NE(results[0].find("Do not retry"), std::string::npos);

  FakeProvider allowed;
  allowed.push(openai_stream_calls({{"write_thing", {{"name", "svc"}}}}));
  allowed.push(openai_stream_text("Done."));
  auto env = openai_env(allowed, true);
  env["ECS_MCP_ALLOW_WRITE"] = "true";
  auto ok = run_agent(env, {"ask", "deploy"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(tool_messages(allowed.requests()[1].body_json())[0], "wrote svc");
}

TEST(AgentCli, Provider429IsRetriedThenSucceeds) {
  FakeProvider p;
  p.push({429, "application/json",
          R"({"error":{"message":"Rate limit reached","type":"rate_limit_error"}})"});
  p.push(openai_stream_text("Recovered."));
  auto r = run_agent(openai_env(p, false), {"ask", "hi"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Recovered.\n");
  EXPECT_EQ(p.requests().size(), 2u);

  FakeProvider always;
  for (int i = 0; i < 3; ++i)
    always.push({429, "application/json", R"({"error":{"message":"Rate limit reached"}})"});
  auto failed = run_agent(openai_env(always, false), {"ask", "hi"});
  EXPECT_EQ(failed.exit_code, 1);
  EXPECT_NE(failed.err.find("Rate limit reached"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("HTTP 429"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("gave up after 3 attempts"), std::string::npos) << failed.err;
}

TEST(AgentCli, ACrashedServerIsRestartedOnceThenAClearError) {
  FakeProvider p;
  p.push(openai_stream_calls({{"crash", json::object()}}));
  p.push(openai_stream_calls({{"echo", {{"message", "after restart"}}}}));
  p.push(openai_stream_calls({{"crash", json::object()}}));
  p.push(openai_stream_calls({{"echo", {{"message", "gone"}}}}));
  p.push(openai_stream_text("The server is down."));
  auto r = run_agent(openai_env(p, true), {"ask", "x"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto requests = p.requests();
  ASSERT_EQ(requests.size(), 5u);
  auto crash1 = tool_messages(requests[1].body_json()).back();
  EXPECT_NE(crash1.find("exited with status 3"), std::string::npos) << crash1;
  EXPECT_EQ(tool_messages(requests[2].body_json()).back(), "after restart");
  auto crash2 = tool_messages(requests[3].body_json()).back();
  EXPECT_NE(crash2.find("not restarted any more"), std::string::npos) << crash2;
  auto gone = tool_messages(requests[4].body_json()).back();
  EXPECT_NE(gone.find("unavailable"), std::string::npos) << gone;
  EXPECT_NE(r.err.find("starting it again"), std::string::npos) << r.err;
}

TEST(AgentCli, ElicitationAsksThePersonAndDefaultsToNo) {
  for (const auto& [answer, expected] : std::vector<std::pair<std::string, std::string>>{
           {"y\n", "deleted db"}, {"\n", "kept db (decline)"}, {"", "kept db (decline)"}}) {
    FakeProvider p;
    p.push(openai_stream_calls({{"delete_thing", {{"name", "db"}}}}));
    p.push(openai_stream_text("Ok."));
    auto r = run_agent(openai_env(p, true), {"ask", "delete db"}, answer);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("Delete db permanently?"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("[y/N]"), std::string::npos);
    EXPECT_EQ(tool_messages(p.requests()[1].body_json()).back(), expected) << "answer " << answer;
  }
}

TEST(AgentCli, CtrlCCancelsARunningTurn) {
  FakeProvider p;
  p.push(openai_stream_calls({{"slow", {{"ms", 20000}}}}));
  p.push(openai_stream_text("never"));
  auto r = run_agent(openai_env(p, true), {"ask", "wait"}, "", std::chrono::milliseconds(1500));
  EXPECT_EQ(r.exit_code, 130) << r.err;
  EXPECT_LT(r.seconds, 8.0);
  EXPECT_NE(r.err.find("cancelled"), std::string::npos) << r.err;
}

TEST(AgentCli, JsonTranscriptAndQuiet) {
  FakeProvider p;
  p.push(openai_stream_calls({{"echo", {{"message", "hi"}}}}));
  p.push(openai_stream_text("Final."));
  auto r = run_agent(openai_env(p, true), {"ask", "x", "--json", "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("-> echo"), std::string::npos);
  json t = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(t.is_object()) << r.out;
  EXPECT_EQ(t["answer"], "Final.");
  EXPECT_EQ(t["steps"], 2);
  EXPECT_EQ(t["tool_calls"][0]["name"], "echo");
  EXPECT_EQ(t["tool_calls"][0]["result"], "hi");
  EXPECT_TRUE(t["ecs_enabled"].get<bool>());
  EXPECT_EQ(t["messages"].size(), 4u);
}

TEST(AgentCli, ChatKeepsHistoryAcrossQuestions) {
  FakeProvider p;
  p.push(openai_stream_text("First answer."));
  p.push(openai_stream_text("Second answer."));
  auto r = run_agent(openai_env(p, false), {"chat"}, "one\ntwo\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "First answer.\nSecond answer.\n");
  auto second = p.requests()[1].body_json();
  ASSERT_EQ(second["messages"].size(), 4u);  // system, one, answer, two
  EXPECT_EQ(second["messages"][2]["content"], "First answer.");
}

TEST(AgentCli, AzureDeploymentPathApiVersionAndKey) {
  FakeProvider p;
  p.push(openai_stream_calls({{"echo", {{"message", "az"}}}}));
  p.push(openai_stream_text("Azure ok."));
  auto env = base_env();
  env["LLM_PROVIDER"] = "azure-openai";
  env["AZURE_OPENAI_API_KEY"] = "az-key";
  env["AZURE_OPENAI_ENDPOINT"] = p.base();
  env["AZURE_OPENAI_DEPLOYMENT"] = "gpt4o-prod";
  env["AZURE_OPENAI_API_VERSION"] = "2024-06-01";
  env["ENABLE_ECS_MCP"] = "1";
  auto r = run_agent(env, {"ask", "x"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Azure ok.\n");
  auto requests = p.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/openai/deployments/gpt4o-prod/chat/completions");
  EXPECT_EQ(requests[0].query["api-version"], "2024-06-01");
  EXPECT_EQ(requests[0].header("api-key"), "az-key");
  EXPECT_EQ(requests[0].header("Authorization"), "");
  EXPECT_EQ(tool_messages(requests[1].body_json()).back(), "az");
}

std::string anthropic_sse(const std::vector<std::pair<std::string, json>>& events) {
  std::string body;
  for (const auto& [name, data] : events)
    body += "event: " + name + "\ndata: " + data.dump() + "\n\n";
  return body;
}

TEST(AgentCli, AnthropicStreamingToolUseAndResults) {
  FakeProvider p;
  p.push({200, "text/event-stream",
          anthropic_sse(
              {{"message_start",
                {{"type", "message_start"}, {"message", {{"usage", {{"input_tokens", 5}}}}}}},
               {"content_block_start",
                {{"type", "content_block_start"},
                 {"index", 0},
                 {"content_block",
                  {{"type", "tool_use"},
                   {"id", "tu_1"},
                   {"name", "echo"},
                   {"input", json::object()}}}}},
               {"content_block_delta",
                {{"type", "content_block_delta"},
                 {"index", 0},
                 {"delta",
                  {{"type", "input_json_delta"}, {"partial_json", "{\"message\": \"claude\"}"}}}}},
               {"content_block_stop", {{"type", "content_block_stop"}, {"index", 0}}},
               {"message_delta",
                {{"type", "message_delta"}, {"delta", {{"stop_reason", "tool_use"}}}}},
               {"message_stop", {{"type", "message_stop"}}}})});
  p.push(
      {200, "text/event-stream",
       anthropic_sse({{"message_start", {{"type", "message_start"}, {"message", json::object()}}},
                      {"content_block_start",
                       {{"type", "content_block_start"},
                        {"index", 0},
                        {"content_block", {{"type", "text"}, {"text", ""}}}}},
                      {"content_block_delta",
                       {{"type", "content_block_delta"},
                        {"index", 0},
                        {"delta", {{"type", "text_delta"}, {"text", "Claude "}}}}},
                      {"content_block_delta",
                       {{"type", "content_block_delta"},
                        {"index", 0},
                        {"delta", {{"type", "text_delta"}, {"text", "done."}}}}},
                      {"message_delta",
                       {{"type", "message_delta"}, {"delta", {{"stop_reason", "end_turn"}}}}},
                      {"message_stop", {{"type", "message_stop"}}}})});
  auto env = base_env();
  env["LLM_PROVIDER"] = "anthropic-claude";
  env["ANTHROPIC_API_KEY"] = "ant-key";
  env["ANTHROPIC_MODEL_NAME"] = "claude-test";
  env["ANTHROPIC_BASE_URL"] = p.base();
  env["ENABLE_ECS_MCP"] = "yes";
  auto r = run_agent(env, {"ask", "x"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Claude done.\n");
  auto requests = p.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/v1/messages");
  EXPECT_EQ(requests[0].header("x-api-key"), "ant-key");
  EXPECT_EQ(requests[0].header("anthropic-version"), "2023-06-01");
  auto first = requests[0].body_json();
  EXPECT_EQ(first["model"], "claude-test");
  EXPECT_NE(first["system"].get<std::string>().find("Amazon ECS"), std::string::npos);
  EXPECT_FALSE(first["tools"].empty());
  auto second = requests[1].body_json();
  const json& result = second["messages"].back()["content"][0];
  EXPECT_EQ(result["type"], "tool_result");
  EXPECT_EQ(result["tool_use_id"], "tu_1");
  EXPECT_EQ(result["content"], "claude");
}

std::string run_python_oracle(const json& input) {
  const std::string path =
      std::filesystem::temp_directory_path() / ("bedrock-case-" + std::to_string(getpid()));
  std::ofstream(path) << input.dump();
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(
      popen(("python3 '" + std::string(BEDROCK_ORACLE) + "' < '" + path + "' 2>&1").c_str(), "r"),
      pclose);
  char buffer[4096];
  size_t n;
  while (pipe && (n = fread(buffer, 1, sizeof(buffer), pipe.get())) > 0) out.append(buffer, n);
  std::filesystem::remove(path);
  return out;
}

TEST(AgentCli, BedrockConverseSignedAsBotocoreSignsIt) {
  FakeProvider p;
  p.push(
      {200, "application/json",
       json{
           {"output",
            {{"message",
              {{"role", "assistant"},
               {"content",
                {{{"toolUse",
                   {{"toolUseId", "tb1"}, {"name", "echo"}, {"input", {{"message", "br"}}}}}}}}}}}},
           {"stopReason", "tool_use"}}
           .dump()});
  p.push({200, "application/json",
          json{{"output",
                {{"message", {{"role", "assistant"}, {"content", {{{"text", "Bedrock ok."}}}}}}}},
               {"stopReason", "end_turn"}}
              .dump()});
  auto env = base_env();
  env["LLM_PROVIDER"] = "aws-bedrock";
  env["AWS_BEDROCK_MODEL_ID"] = "anthropic.claude-3-5-sonnet-20240620-v1:0";
  env["AWS_BEDROCK_PROVIDER"] = "anthropic";
  env["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE";
  env["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  env["AWS_REGION"] = "us-west-2";
  env["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = p.base();
  env["ENABLE_ECS_MCP"] = "true";
  env["LLM_STREAM"] = "false";  // Converse; ConverseStream is the next test
  auto r = run_agent(env, {"ask", "x"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Bedrock ok.\n");
  auto requests = p.requests();
  ASSERT_EQ(requests.size(), 2u);
  const Recorded& first = requests[0];
  EXPECT_EQ(first.path, "/model/anthropic.claude-3-5-sonnet-20240620-v1:0/converse");
  auto body = first.body_json();
  EXPECT_FALSE(body["toolConfig"]["tools"].empty());
  EXPECT_EQ(
      requests[1].body_json()["messages"].back()["content"][0]["toolResult"]["content"][0]["text"],
      "br");

  // botocore signs the same request (the headers the agent signed, at the same instant).
  const std::string authorization = first.header("Authorization");
  ASSERT_NE(authorization.find("/us-west-2/bedrock/aws4_request"), std::string::npos)
      << authorization;
  const auto signed_at = authorization.find("SignedHeaders=");
  const std::string signed_list =
      authorization.substr(signed_at + 14, authorization.find(',', signed_at) - signed_at - 14);
  json headers = json::array();
  std::stringstream names(signed_list);
  for (std::string name; std::getline(names, name, ';');) {
    if (name == "host" || name == "x-amz-date") continue;
    headers.push_back({name, first.header(name)});
  }
  json oracle = json::parse(
      run_python_oracle(
          {{"url", p.base() + "/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse"},
           {"body", first.body},
           {"headers", headers},
           {"amz_date", first.header("X-Amz-Date")}}),
      nullptr, false);
  ASSERT_TRUE(oracle.is_object());
  EXPECT_EQ(authorization, oracle["authorization"].get<std::string>());
}

// Event stream frames made by Python and checked by botocore (see the unit test's oracle).
std::string bedrock_frames(const json& items) {
  const std::string path =
      std::filesystem::temp_directory_path() / ("frames-" + std::to_string(getpid()));
  std::ofstream(path) << items.dump();
  std::string hex;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(
      popen(("python3 '" + std::string(BEDROCK_FRAMES) + "' < '" + path + "' 2>&1").c_str(), "r"),
      pclose);
  char buffer[4096];
  size_t n;
  while (pipe && (n = fread(buffer, 1, sizeof(buffer), pipe.get())) > 0) hex.append(buffer, n);
  std::filesystem::remove(path);
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size() && hex[i] != '\n'; i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

TEST(AgentCli, BedrockConverseStream) {
  FakeProvider p;
  const std::string kEventStream = "application/vnd.amazon.eventstream";
  p.push({200, kEventStream,
          bedrock_frames(json::array(
              {{{"event", "messageStart"}, {"payload", {{"role", "assistant"}}}},
               {{"event", "contentBlockStart"},
                {"payload",
                 {{"contentBlockIndex", 0},
                  {"start", {{"toolUse", {{"toolUseId", "s1"}, {"name", "echo"}}}}}}}},
               {{"event", "contentBlockDelta"},
                {"payload",
                 {{"contentBlockIndex", 0},
                  {"delta", {{"toolUse", {{"input", "{\"message\":\"st\"}"}}}}}}}},
               {{"event", "contentBlockStop"}, {"payload", {{"contentBlockIndex", 0}}}},
               {{"event", "messageStop"}, {"payload", {{"stopReason", "tool_use"}}}}}))});
  p.push({200, kEventStream,
          bedrock_frames(json::array(
              {{{"event", "messageStart"}, {"payload", {{"role", "assistant"}}}},
               {{"event", "contentBlockDelta"},
                {"payload", {{"contentBlockIndex", 0}, {"delta", {{"text", "Streamed "}}}}}},
               {{"event", "contentBlockDelta"},
                {"payload", {{"contentBlockIndex", 0}, {"delta", {{"text", "answer."}}}}}},
               {{"event", "messageStop"}, {"payload", {{"stopReason", "end_turn"}}}}}))});
  auto env = base_env();
  env["LLM_PROVIDER"] = "aws-bedrock";
  env["AWS_BEDROCK_MODEL_ID"] = "amazon.nova-pro-v1:0";
  env["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE";
  env["AWS_SECRET_ACCESS_KEY"] = "secret";
  env["AWS_ENDPOINT_URL_BEDROCK_RUNTIME"] = p.base();
  env["ENABLE_ECS_MCP"] = "true";
  auto r = run_agent(env, {"ask", "x"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Streamed answer.\n");
  auto requests = p.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/model/amazon.nova-pro-v1:0/converse-stream");
  EXPECT_NE(requests[0].header("Authorization").find("/us-west-2/bedrock/aws4_request"),
            std::string::npos);
  EXPECT_EQ(
      requests[1].body_json()["messages"].back()["content"][0]["toolResult"]["content"][0]["text"],
      "st");
}

TEST(AgentCli, McpConfigStdioAndStreamableHttpServers) {
  FakeProvider p;
  p.push(openai_stream_text("okay then"));
  const std::string path =
      std::filesystem::temp_directory_path() / ("mcp-config-" + std::to_string(getpid()) + ".json");
  std::ofstream(path)
      << json{{"mcpServers", {{"extra", {{"command", FAKE_MCP_SERVER_PATH}}}}}}.dump();
  auto r = run_agent(openai_env(p, true), {"--mcp-config", path, "ask", "x"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto names = tool_names(p.requests()[0].body_json());
  EXPECT_NE(std::find(names.begin(), names.end(), "ecs_echo"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "extra_echo"), names.end());

  // A remote server over Streamable HTTP, with the bearer token from the entry's headers.
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  pid_t server = fork();
  if (server == 0) {
    dup2(out[1], 1);
    close(out[0]);
    execl(FAKE_MCP_SERVER_PATH, FAKE_MCP_SERVER_PATH, "--http", "tok-123", nullptr);
    _exit(127);
  }
  close(out[1]);
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  close(out[0]);
  ASSERT_EQ(line.rfind("listening ", 0), 0u) << line;
  const std::string url = "http://127.0.0.1:" + line.substr(10) + "/mcp";
  std::ofstream(path)
      << json{{"mcpServers",
               {{"remote", {{"url", url}, {"headers", {{"Authorization", "Bearer tok-123"}}}}}}}}
             .dump();
  FakeProvider remote;
  remote.push(openai_stream_calls({{"echo", {{"message", "from afar"}}}}));
  remote.push(openai_stream_text("It said: from afar"));
  auto http = run_agent(openai_env(remote, false), {"--mcp-config", path, "ask", "x"});
  EXPECT_EQ(http.exit_code, 0) << http.err;
  EXPECT_EQ(http.out, "It said: from afar\n");
  auto requests = remote.requests();
  ASSERT_EQ(requests.size(), 2u);
  auto offered = tool_names(requests[0].body_json());
  EXPECT_NE(std::find(offered.begin(), offered.end(), "delete_thing"), offered.end());
  EXPECT_EQ(tool_messages(requests[1].body_json()), std::vector<std::string>{"from afar"});

  // Without the token the server refuses, and the agent says which server and why.
  std::ofstream(path) << json{{"mcpServers", {{"remote", {{"url", url}}}}}}.dump();
  auto refused = run_agent(openai_env(remote, false), {"--mcp-config", path, "ask", "x"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("MCP server \"remote\" could not be started"), std::string::npos)
      << refused.err;
  EXPECT_NE(refused.err.find("HTTP 401"), std::string::npos) << refused.err;
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  std::filesystem::remove(path);
}

}  // namespace
