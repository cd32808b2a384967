// The four providers' wire formats: request bodies, answers, streamed answers (split at
// every possible byte boundary), refusals, tool filtering, and Bedrock's SigV4 signature
// against botocore's.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "agent/anthropic_codec.h"
#include "agent/azure_openai_codec.h"
#include "agent/bedrock_codec.h"
#include "agent/openai_codec.h"
#include "aws/sigv4.h"

namespace ecs_mcp::agent {
namespace {

Conversation sample_conversation() {
  Conversation c;
  c.push_back(Message{Role::kUser, "List my clusters", {}, {}});
  c.push_back(Message{
      Role::kAssistant, "Looking.", {ToolCall{"call_1", "list_clusters", {{"max", 5}}}}, {}});
  c.push_back(Message{
      Role::kTool, "", {}, {ToolOutcome{"call_1", "list_clusters", "[\"default\"]", false}}});
  return c;
}

ModelRequest sample_request(const Conversation& c) {
  ModelRequest r;
  r.system = "SYSTEM";
  r.messages = &c;
  r.tools = {ToolSpec{
      "list_clusters", "Lists clusters", {{"type", "object"}, {"properties", json::object()}}}};
  r.max_tokens = 1000;
  r.stream = true;
  return r;
}

aws::HttpResponse ok(std::string body) {
  aws::HttpResponse r;
  r.status = 200;
  r.body = std::move(body);
  return r;
}

// Feeds `body` split into pieces of `piece` bytes; returns the turn and the streamed text.
std::pair<Result<ModelTurn>, std::string> decode(const ProviderCodec& codec,
                                                 const std::string& body, size_t piece) {
  auto decoder = codec.stream_decoder();
  std::string streamed;
  for (size_t i = 0; i < body.size(); i += piece) {
    auto st = decoder->feed(body.substr(i, piece), [&](std::string_view t) { streamed.append(t); });
    if (!st.ok()) return {st.error(), streamed};
  }
  return {decoder->finish(), streamed};
}

TEST(OpenAiCodec, RequestCarriesSystemToolsCallsAndResults) {
  OpenAiCodec codec(openai_endpoint("https://api.example.com/v1/", "sk-test", "gpt-test"));
  auto c = sample_conversation();
  auto http = codec.build_request(sample_request(c));
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->url, "https://api.example.com/v1/chat/completions");
  EXPECT_EQ(http->headers[0],
            (std::pair<std::string, std::string>{"Authorization", "Bearer sk-test"}));
  json body = json::parse(http->body);
  EXPECT_EQ(body["model"], "gpt-test");
  EXPECT_EQ(body["stream"], true);
  EXPECT_EQ(body["messages"][0], (json{{"role", "system"}, {"content", "SYSTEM"}}));
  EXPECT_EQ(body["messages"][2]["tool_calls"][0]["function"]["arguments"], "{\"max\":5}");
  EXPECT_EQ(body["messages"][3],
            (json{{"role", "tool"}, {"tool_call_id", "call_1"}, {"content", "[\"default\"]"}}));
  EXPECT_EQ(body["tools"][0]["type"], "function");
  EXPECT_EQ(body["tools"][0]["function"]["parameters"]["type"], "object");
}

TEST(OpenAiCodec, ParsesToolCallsAndRefusals) {
  OpenAiCodec codec(openai_endpoint("https://x/v1", "k", "m"));
  auto turn = codec.parse_response(ok(R"({"choices":[{"message":{"role":"assistant","content":null,
    "tool_calls":[{"id":"c1","type":"function","function":{"name":"echo","arguments":"{\"message\":\"hi\"}"}}]},
    "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":10,"completion_tokens":3}})"));
  ASSERT_TRUE(turn.ok());
  EXPECT_EQ(turn->stop, StopReason::kToolUse);
  ASSERT_EQ(turn->tool_calls.size(), 1u);
  EXPECT_EQ(turn->tool_calls[0].arguments, (json{{"message", "hi"}}));
  EXPECT_EQ(turn->input_tokens, 10);

  auto refused = codec.parse_response(ok(
      R"({"choices":[{"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}]})"));
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->stop, StopReason::kRefusal);
  EXPECT_EQ(refused->refusal, "I can't help with that.");

  auto bad_args = codec.parse_response(ok(
      R"({"choices":[{"message":{"tool_calls":[{"id":"c","function":{"name":"echo","arguments":"{not json"}}]},"finish_reason":"tool_calls"}]})"));
  ASSERT_TRUE(bad_args.ok());
  EXPECT_TRUE(bad_args->tool_calls[0].arguments.is_string());
}

TEST(OpenAiCodec, StreamedTextAndToolCallPiecesAtEverySplit) {
  OpenAiCodec codec(openai_endpoint("https://x/v1", "k", "m"));
  const std::string body =
      "data: "
      "{\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}\n\n"
      "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo \\u00e9\"}}]}\n\n"
      "data: "
      "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"c1\",\"type\":"
      "\"function\","
      "\"function\":{\"name\":\"echo\",\"arguments\":\"\"}}]}}]}\n\n"
      "data: "
      "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{"
      "\"arguments\":\"{\\\"mess\"}}]}}]}\n\n"
      "data: "
      "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{"
      "\"arguments\":\"age\\\":\\\"x\\\"}\"}}]}}]}\n\n"
      "data: "
      "{\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"c2\","
      "\"function\":{\"name\":\"slow\",\"arguments\":\"{}\"}}]}}]}\n\n"
      "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
      "data: [DONE]\n\n";
  for (size_t piece = 1; piece <= body.size(); piece += (piece < 40 ? 1 : 97)) {
    auto [turn, streamed] = decode(codec, body, piece);
    ASSERT_TRUE(turn.ok()) << turn.error().describe();
    EXPECT_EQ(streamed, "Hello \xC3\xA9");
    EXPECT_EQ(turn->text, "Hello \xC3\xA9");
    ASSERT_EQ(turn->tool_calls.size(), 2u);
    EXPECT_EQ(turn->tool_calls[0].id, "c1");
    EXPECT_EQ(turn->tool_calls[0].arguments, (json{{"message", "x"}}));
    EXPECT_EQ(turn->tool_calls[1].name, "slow");
    EXPECT_EQ(turn->stop, StopReason::kToolUse);
  }
}

TEST(OpenAiCodec, RejectsToolsOpenAiWouldRefuse) {
  OpenAiCodec codec(openai_endpoint("https://x/v1", "k", "m"));
  json schema{{"type", "object"}, {"properties", json::object()}};
  EXPECT_FALSE(codec.reject_tool(ToolSpec{"ok_name-1", "d", schema}));
  EXPECT_TRUE(codec.reject_tool(ToolSpec{"bad.name", "d", schema}));
  EXPECT_TRUE(codec.reject_tool(ToolSpec{std::string(65, 'a'), "d", schema}));
  EXPECT_TRUE(codec.reject_tool(ToolSpec{"long", std::string(1025, 'd'), schema}));
  EXPECT_TRUE(codec.reject_tool(ToolSpec{"arr", "d", {{"type", "array"}}}));
}

TEST(AzureOpenAi, DeploymentPathApiVersionAndKeyHeader) {
  OpenAiCodec codec(
      azure_openai_endpoint("https://res.openai.azure.com/", "my deploy", "2024-06-01", "azkey"));
  Conversation c{Message{Role::kUser, "hi", {}, {}}};
  auto http = codec.build_request(sample_request(c));
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->url,
            "https://res.openai.azure.com/openai/deployments/my%20deploy/chat/"
            "completions?api-version=2024-06-01");
  EXPECT_EQ(http->headers[0], (std::pair<std::string, std::string>{"api-key", "azkey"}));
  EXPECT_FALSE(json::parse(http->body).contains("model"));
  EXPECT_EQ(codec.name(), "azure-openai");
}

TEST(AnthropicCodec, RequestMergesToolResultsIntoUserTurns) {
  AnthropicCodec codec(
      AnthropicEndpoint{"https://api.anthropic.example/v1/", "ak", "claude-test", true});
  auto c = sample_conversation();
  c.push_back(Message{Role::kUser, "and services?", {}, {}});
  auto http = codec.build_request(sample_request(c));
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->url, "https://api.anthropic.example/v1/messages");
  json body = json::parse(http->body);
  EXPECT_EQ(body["system"], "SYSTEM");
  EXPECT_EQ(body["max_tokens"], 1000);
  ASSERT_EQ(body["messages"].size(), 3u);  // user, assistant, user(tool_result + text)
  EXPECT_EQ(body["messages"][1]["content"][1]["type"], "tool_use");
  EXPECT_EQ(body["messages"][1]["content"][1]["input"], (json{{"max", 5}}));
  EXPECT_EQ(body["messages"][2]["content"][0]["type"], "tool_result");
  EXPECT_EQ(body["messages"][2]["content"][0]["tool_use_id"], "call_1");
  EXPECT_EQ(body["messages"][2]["content"][1]["text"], "and services?");
  EXPECT_EQ(body["tools"][0]["input_schema"]["type"], "object");
  bool has_version = false;
  for (const auto& [k, v] : http->headers)
    has_version |= (k == "anthropic-version" && v == "2023-06-01");
  EXPECT_TRUE(has_version);
}

TEST(AnthropicCodec, ParsesToolUseAndRefusal) {
  AnthropicCodec codec(AnthropicEndpoint{"https://a", "k", "m", true});
  auto turn = codec.parse_response(ok(R"({"content":[{"type":"text","text":"Checking."},
    {"type":"tool_use","id":"tu1","name":"echo","input":{"message":"x"}}],"stop_reason":"tool_use",
    "usage":{"input_tokens":7,"output_tokens":2}})"));
  ASSERT_TRUE(turn.ok());
  EXPECT_EQ(turn->text, "Checking.");
  EXPECT_EQ(turn->tool_calls[0].id, "tu1");
  EXPECT_EQ(turn->stop, StopReason::kToolUse);
  auto refusal = codec.parse_response(ok(R"({"content":[],"stop_reason":"refusal"})"));
  ASSERT_TRUE(refusal.ok());
  EXPECT_EQ(refusal->stop, StopReason::kRefusal);
}

TEST(AnthropicCodec, StreamedEventsAtEverySplit) {
  AnthropicCodec codec(AnthropicEndpoint{"https://a", "k", "m", true});
  const std::string body =
      "event: message_start\ndata: "
      "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":12}}}\n\n"
      "event: content_block_start\ndata: "
      "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":"
      "\"\"}}\n\n"
      "event: ping\ndata: {\"type\":\"ping\"}\n\n"
      "event: content_block_delta\ndata: "
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
      "\"Let me \"}}\n\n"
      "event: content_block_delta\ndata: "
      "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
      "\"look.\"}}\n\n"
      "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
      "event: content_block_start\ndata: "
      "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
      "\"id\":\"tu_1\",\"name\":\"echo\",\"input\":{}}}\n\n"
      "event: content_block_delta\ndata: "
      "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
      "\"partial_json\":\"{\\\"message\\\":\"}}\n\n"
      "event: content_block_delta\ndata: "
      "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\","
      "\"partial_json\":\" \\\"hi\\\"}\"}}\n\n"
      "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
      "event: message_delta\ndata: "
      "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_"
      "tokens\":9}}\n\n"
      "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
  for (size_t piece = 1; piece <= body.size(); piece += (piece < 40 ? 1 : 101)) {
    auto [turn, streamed] = decode(codec, body, piece);
    ASSERT_TRUE(turn.ok()) << turn.error().describe();
    EXPECT_EQ(streamed, "Let me look.");
    ASSERT_EQ(turn->tool_calls.size(), 1u);
    EXPECT_EQ(turn->tool_calls[0].arguments, (json{{"message", "hi"}}));
    EXPECT_EQ(turn->stop, StopReason::kToolUse);
    EXPECT_EQ(turn->input_tokens, 12);
    EXPECT_EQ(turn->output_tokens, 9);
  }
  auto [error, ignored] = decode(codec,
                                 "event: error\ndata: "
                                 "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                                 "\"message\":\"Overloaded\"}}\n\n",
                                 5);
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error().service_code, "overloaded_error");
}

TEST(BedrockCodec, ConverseBodyWithToolConfigAndResults) {
  BedrockCodec codec(BedrockEndpoint{"https://bedrock-runtime.us-west-2.amazonaws.com", "us-west-2",
                                     "anthropic.claude-3-5-sonnet-20240620-v1:0",
                                     /*stream=*/false});
  auto c = sample_conversation();
  auto http = codec.build_request(sample_request(c));
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->url,
            "https://bedrock-runtime.us-west-2.amazonaws.com/model/"
            "anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse");
  json body = json::parse(http->body);
  EXPECT_EQ(body["system"][0]["text"], "SYSTEM");
  EXPECT_EQ(body["inferenceConfig"]["maxTokens"], 1000);
  EXPECT_EQ(body["toolConfig"]["tools"][0]["toolSpec"]["inputSchema"]["json"]["type"], "object");
  EXPECT_EQ(body["messages"][1]["content"][1]["toolUse"]["toolUseId"], "call_1");
  EXPECT_EQ(body["messages"][2]["content"][0]["toolResult"]["status"], "success");
  EXPECT_EQ(body["messages"][2]["content"][0]["toolResult"]["content"][0]["text"], "[\"default\"]");
}

TEST(BedrockCodec, ParsesToolUseAndGuardrailRefusal) {
  BedrockCodec codec(BedrockEndpoint{"https://b", "us-west-2", "m"});
  auto turn =
      codec.parse_response(ok(R"({"output":{"message":{"role":"assistant","content":[{"text":"ok"},
    {"toolUse":{"toolUseId":"t1","name":"echo","input":{"message":"m"}}}]}},"stopReason":"tool_use",
    "usage":{"inputTokens":3,"outputTokens":4,"totalTokens":7}})"));
  ASSERT_TRUE(turn.ok());
  EXPECT_EQ(turn->tool_calls[0].name, "echo");
  EXPECT_EQ(turn->stop, StopReason::kToolUse);
  auto refused = codec.parse_response(ok(
      R"({"output":{"message":{"role":"assistant","content":[{"text":"Sorry, blocked."}]}},"stopReason":"guardrail_intervened"})"));
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->stop, StopReason::kRefusal);
  EXPECT_EQ(refused->refusal, "Sorry, blocked.");
}

std::string run_oracle_with_stdin(const std::string& input) {
  auto dir = std::filesystem::path(__FILE__).parent_path();
  auto in_path = std::filesystem::temp_directory_path() /
                 ("bedrock_oracle_" + std::to_string(getpid()) + ".json");
  std::ofstream(in_path) << input;
  std::string command = "python3 '" + (dir / "bedrock_sigv4_oracle.py").string() + "' < '" +
                        in_path.string() + "' 2>&1";
  std::string out;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  char buffer[4096];
  size_t n;
  while (pipe && (n = fread(buffer, 1, sizeof(buffer), pipe.get())) > 0) out.append(buffer, n);
  std::filesystem::remove(in_path);
  return out;
}

TEST(BedrockCodec, SignatureMatchesBotocore) {
  BedrockCodec codec(BedrockEndpoint{"https://bedrock-runtime.us-west-2.amazonaws.com", "us-west-2",
                                     "anthropic.claude-3-5-sonnet-20240620-v1:0"});
  auto c = sample_conversation();
  auto http = codec.build_request(sample_request(c));
  ASSERT_TRUE(http.ok());
  json headers = json::array();
  for (const auto& [k, v] : http->headers) headers.push_back({k, v});
  json oracle =
      json::parse(run_oracle_with_stdin(
                      json{{"url", http->url}, {"body", http->body}, {"headers", headers}}.dump()),
                  nullptr, false);
  ASSERT_TRUE(oracle.is_object()) << "the botocore oracle did not run";
  aws::Credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "",
                         std::nullopt, "test"};
  aws::SigningParams params{
      "us-west-2", "bedrock",
      std::chrono::system_clock::from_time_t(oracle["epoch_seconds"].get<long>())};
  ASSERT_TRUE(aws::sign_v4(*http, creds, params).ok());
  std::string authorization;
  for (const auto& [k, v] : http->headers) {
    if (k == "Authorization") authorization = v;
  }
  EXPECT_EQ(authorization, oracle["authorization"].get<std::string>());
}

TEST(ProviderCodec, HttpErrorsKeepStatusMessageAndRequestId) {
  OpenAiCodec codec(openai_endpoint("https://x/v1", "k", "m"));
  aws::HttpResponse r;
  r.status = 429;
  r.body = R"({"error":{"message":"Rate limit reached","type":"rate_limit_error"}})";
  r.headers["x-request-id"] = "req-1";
  Error e = codec.http_error(r);
  EXPECT_EQ(e.http_status, 429);
  EXPECT_EQ(e.service_code, "rate_limit_error");
  EXPECT_EQ(e.request_id, "req-1");
  EXPECT_NE(e.message.find("Rate limit reached"), std::string::npos);
}

}  // namespace
}  // namespace ecs_mcp::agent
