// Bedrock ConverseStream: AWS event stream frames made and checked by Python (binascii's
// CRC32, botocore's EventStreamBuffer), decoded here at every split.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "agent/bedrock_codec.h"
#include "agent/event_stream.h"

namespace ecs_mcp::agent {
namespace {

std::string frames_from_python(const json& items) {
  auto dir = std::filesystem::path(__FILE__).parent_path();
  auto in_path = std::filesystem::temp_directory_path() /
                 ("event_stream_" + std::to_string(getpid()) + ".json");
  std::ofstream(in_path) << items.dump();
  std::string command = "python3 '" + (dir / "bedrock_event_stream_oracle.py").string() + "' < '" +
                        in_path.string() + "' 2>&1";
  std::string hex;
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  char buffer[4096];
  size_t n;
  while (pipe && (n = fread(buffer, 1, sizeof(buffer), pipe.get())) > 0) hex.append(buffer, n);
  std::filesystem::remove(in_path);
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r')) hex.pop_back();
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  EXPECT_EQ(hex.size() % 2, 0u) << hex;
  return bytes;
}

json converse_stream_events() {
  return json::array({
      {{"event", "messageStart"}, {"payload", {{"role", "assistant"}}}},
      {{"event", "contentBlockDelta"},
       {"payload", {{"contentBlockIndex", 0}, {"delta", {{"text", "Let me "}}}}}},
      {{"event", "contentBlockDelta"},
       {"payload", {{"contentBlockIndex", 0}, {"delta", {{"text", "check."}}}}}},
      {{"event", "contentBlockStop"}, {"payload", {{"contentBlockIndex", 0}}}},
      {{"event", "contentBlockStart"},
       {"payload",
        {{"contentBlockIndex", 1},
         {"start", {{"toolUse", {{"toolUseId", "tu-9"}, {"name", "echo"}}}}}}}},
      {{"event", "contentBlockDelta"},
       {"payload",
        {{"contentBlockIndex", 1}, {"delta", {{"toolUse", {{"input", "{\"message\":"}}}}}}}},
      {{"event", "contentBlockDelta"},
       {"payload", {{"contentBlockIndex", 1}, {"delta", {{"toolUse", {{"input", "\"hi\"}"}}}}}}}},
      {{"event", "contentBlockStop"}, {"payload", {{"contentBlockIndex", 1}}}},
      {{"event", "messageStop"}, {"payload", {{"stopReason", "tool_use"}}}},
      {{"event", "metadata"}, {"payload", {{"usage", {{"inputTokens", 20}, {"outputTokens", 8}}}}}},
  });
}

TEST(EventStream, Crc32KnownValue) { EXPECT_EQ(crc32("123456789"), 0xCBF43926u); }

TEST(EventStream, RejectsACorruptedFrame) {
  std::string bytes =
      frames_from_python(json::array({{{"event", "messageStart"}, {"payload", {{"role", "a"}}}}}));
  ASSERT_FALSE(bytes.empty());
  bytes[bytes.size() - 6] ^= 0x01;  // a payload byte
  EventStreamParser parser;
  auto st = parser.feed(bytes, [](const EventStreamMessage&) { return Status::Ok(); });
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("checksum"), std::string::npos);
}

TEST(BedrockStream, ConverseStreamAtEverySplit) {
  BedrockCodec codec(BedrockEndpoint{"https://b", "us-west-2", "m", true});
  const std::string bytes = frames_from_python(converse_stream_events());
  ASSERT_GT(bytes.size(), 500u);
  for (size_t piece = 1; piece <= bytes.size(); piece += (piece < 30 ? 1 : 53)) {
    auto decoder = codec.stream_decoder();
    ASSERT_TRUE(decoder);
    std::string streamed;
    for (size_t i = 0; i < bytes.size(); i += piece) {
      auto st = decoder->feed(std::string_view(bytes).substr(i, piece),
                              [&](std::string_view t) { streamed.append(t); });
      ASSERT_TRUE(st.ok()) << st.error().describe();
    }
    auto turn = decoder->finish();
    ASSERT_TRUE(turn.ok()) << turn.error().describe();
    EXPECT_EQ(streamed, "Let me check.");
    ASSERT_EQ(turn->tool_calls.size(), 1u);
    EXPECT_EQ(turn->tool_calls[0].id, "tu-9");
    EXPECT_EQ(turn->tool_calls[0].arguments, (json{{"message", "hi"}}));
    EXPECT_EQ(turn->stop, StopReason::kToolUse);
    EXPECT_EQ(turn->input_tokens, 20);
  }
}

TEST(BedrockStream, ExceptionsBecomeErrorsAndThrottlingIsRetryable) {
  BedrockCodec codec(BedrockEndpoint{"https://b", "us-west-2", "m", true});
  const std::string bytes = frames_from_python(
      json::array({{{"event", "messageStart"}, {"payload", {{"role", "assistant"}}}},
                   {{"exception", "throttlingException"},
                    {"payload", {{"message", "Too many requests, please wait."}}}}}));
  auto decoder = codec.stream_decoder();
  auto st = decoder->feed(bytes, {});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().service_code, "throttlingException");
  EXPECT_EQ(st.error().http_status, 429);
  EXPECT_NE(st.error().message.find("Too many requests"), std::string::npos);
}

TEST(BedrockStream, StreamingRequestsGoToConverseStream) {
  BedrockCodec codec(BedrockEndpoint{"https://b", "us-west-2", "m", true});
  Conversation c{Message{Role::kUser, "hi", {}, {}}};
  ModelRequest request;
  request.messages = &c;
  request.stream = true;
  auto http = codec.build_request(request);
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->url, "https://b/model/m/converse-stream");
  request.stream = false;
  EXPECT_EQ(codec.build_request(request)->url, "https://b/model/m/converse");
}

}  // namespace
}  // namespace ecs_mcp::agent
