// The agent loop: the model and the tools taking turns until the model answers.
//
// run_agent_turn() takes the conversation (the person's latest message already appended),
// asks the model, runs the tool calls of one model turn concurrently, appends their results
// (each cut to a budget, with a note saying so), and asks again, up to a step limit. A call
// the server refused by policy goes back to the model marked as a refusal with the
// instruction not to retry it; a refusal by the model itself ends the turn as a refusal.
// Everything a front end shows arrives through callbacks (streamed text, tool calls
// starting and finishing), so the CLI and the A2A server (a2a_tasks.h) share this one function.
//
// Thread-safety: one run_agent_turn() per conversation at a time; callbacks for tool calls
// may be invoked from several threads at once.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "agent/conversation.h"
#include "agent/model_client.h"
#include "agent/tool_executor.h"
#include "common/result.h"

namespace ecs_mcp::agent {

struct LoopOptions {
  std::string system;
  std::vector<ToolSpec> tools;        // as offered to the model (already filtered)
  int max_steps = 25;                 // model requests per run
  size_t tool_result_budget = 20000;  // characters of each tool result the model reads
  int max_tokens = 4096;
  bool stream = true;
  size_t max_parallel_tools = 8;
};

struct ToolCallRecord {
  ToolCall call;
  ToolRunResult result;
  std::chrono::microseconds duration{0};
};

struct LoopCallbacks {
  TextSink on_text;
  std::function<void(const ToolCall& call)> on_tool_start;
  std::function<void(const ToolCallRecord& record)> on_tool_end;
  std::function<bool()> cancelled;
};

struct LoopOutcome {
  std::string answer;  // the model's final text (the refusal text when refused)
  bool refused = false;
  bool step_limit_reached = false;
  int steps = 0;
  std::vector<ToolCallRecord> tool_calls;
  std::chrono::microseconds model_time{0};  // in the provider's HTTP exchanges
  std::chrono::microseconds tool_time{0};   // wall time of the tool phases
  std::chrono::microseconds total_time{0};
  int input_tokens = 0;
  int output_tokens = 0;
};

// Errors: "Cancelled", or the model's error (after the client's retries).
Result<LoopOutcome> run_agent_turn(Conversation& conversation, const ModelBackend& model,
                                   ToolExecutor& tools, const LoopOptions& options,
                                   const LoopCallbacks& callbacks);

// The tools the provider accepts; each one left out is reported through `warn`.
std::vector<ToolSpec> offerable_tools(const std::vector<ToolSpec>& tools, const ModelBackend& model,
                                      const std::function<void(const std::string&)>& warn);

// `text` cut to `budget` characters (never inside a UTF-8 sequence) with a note, or as is.
std::string cut_to_budget(const std::string& text, size_t budget);

}  // namespace ecs_mcp::agent
