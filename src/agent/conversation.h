// The conversation as the agent keeps it, independent of any model provider's wire format.
//
// A conversation is a list of messages: the person's text, the model's answers (text and
// tool calls), and the tool results that answer those calls. Each provider codec translates
// this into its own request shape and its answers back into a ModelTurn.
//
// Thread-safety: plain values.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace ecs_mcp::agent {

using json = nlohmann::json;

struct ToolCall {
  std::string id;
  std::string name;
  json arguments = json::object();
};

struct ToolOutcome {
  std::string call_id;
  std::string name;
  std::string content;  // what the model reads
  bool is_error = false;
};

enum class Role { kUser, kAssistant, kTool };

struct Message {
  Role role = Role::kUser;
  std::string text;                       // user and assistant text
  std::vector<ToolCall> tool_calls;       // assistant
  std::vector<ToolOutcome> tool_results;  // kTool: answers to the previous assistant's calls
};

using Conversation = std::vector<Message>;

// A tool as offered to the model.
struct ToolSpec {
  std::string name;
  std::string description;
  json input_schema = json::object();
};

struct ModelRequest {
  std::string system;
  const Conversation* messages = nullptr;
  std::vector<ToolSpec> tools;
  int max_tokens = 4096;
  bool stream = true;
};

enum class StopReason { kEndTurn, kToolUse, kMaxTokens, kRefusal, kOther };

struct ModelTurn {
  std::string text;
  std::vector<ToolCall> tool_calls;
  StopReason stop = StopReason::kEndTurn;
  std::string stop_detail;  // the provider's own stop reason
  std::string refusal;      // the model's or the provider's refusal, when stop is kRefusal
  int input_tokens = 0;
  int output_tokens = 0;
};

// Called with each piece of text as the model produces it (streaming providers).
using TextSink = std::function<void(std::string_view text)>;

std::string_view to_string(StopReason stop);

}  // namespace ecs_mcp::agent
