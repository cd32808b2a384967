#include "agent/agent_loop.h"

#include <future>

namespace ecs_mcp::agent {
namespace {

using Clock = std::chrono::steady_clock;

std::chrono::microseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start);
}

ToolRunResult run_one(ToolExecutor& tools, const ToolCall& call,
                      const std::function<bool()>& cancelled) {
  if (!call.arguments.is_object()) {
    return {"The arguments of this call are not a JSON object (" +
                call.arguments.dump().substr(0, 200) + "); call the tool again with a JSON object.",
            true, false};
  }
  if (cancelled && cancelled()) return {"The call was cancelled by the user.", true, false};
  return tools.call(call.name, call.arguments, cancelled);
}

std::string model_text(const ToolRunResult& result, size_t budget) {
  std::string text = cut_to_budget(result.text, budget);
  if (result.refused) {
    return "REFUSED by the server's access settings: " + text +
           "\nDo not retry this call or work around it; tell the user it was refused and which "
           "setting would "
           "allow it.";
  }
  return text;
}

}  // namespace

std::string cut_to_budget(const std::string& text, size_t budget) {
  if (text.size() <= budget) return text;
  size_t cut = budget;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "\n[cut: the result had " + std::to_string(text.size()) +
         " characters; the first " + std::to_string(cut) +
         " are shown. Ask for less (filters, a smaller limit) to see the rest.]";
}

std::vector<ToolSpec> offerable_tools(const std::vector<ToolSpec>& tools, const ModelBackend& model,
                                      const std::function<void(const std::string&)>& warn) {
  std::vector<ToolSpec> out;
  for (const auto& tool : tools) {
    if (auto why = model.reject_tool(tool)) {
      if (warn) warn("tool \"" + tool.name + "\" is left out: " + *why);
      continue;
    }
    out.push_back(tool);
  }
  return out;
}

Result<LoopOutcome> run_agent_turn(Conversation& conversation, const ModelBackend& model,
                                   ToolExecutor& tools, const LoopOptions& options,
                                   const LoopCallbacks& callbacks) {
  const auto started = Clock::now();
  LoopOutcome outcome;
  ModelRequest request;
  request.system = options.system;
  request.messages = &conversation;
  request.tools = options.tools;
  request.max_tokens = options.max_tokens;
  request.stream = options.stream;
  const auto& cancelled = callbacks.cancelled;

  for (int step = 0; step < options.max_steps; ++step) {
    if (cancelled && cancelled()) return make_error(ErrorCode::kCancelled, "cancelled by the user");
    TurnTiming timing;
    auto turn = model.complete(request, callbacks.on_text, cancelled, &timing);
    outcome.model_time += timing.provider_time;
    ++outcome.steps;
    if (!turn.ok()) return turn.error();
    outcome.input_tokens += turn->input_tokens;
    outcome.output_tokens += turn->output_tokens;

    if (turn->stop == StopReason::kRefusal) {
      outcome.refused = true;
      outcome.answer = turn->refusal.empty() ? turn->text : turn->refusal;
      conversation.push_back(Message{Role::kAssistant, outcome.answer, {}, {}});
      outcome.total_time = since(started);
      return outcome;
    }
    if (turn->tool_calls.empty()) {
      outcome.answer = turn->text;
      conversation.push_back(Message{Role::kAssistant, turn->text, {}, {}});
      outcome.total_time = since(started);
      return outcome;
    }

    // Ids are what tie results to calls; a provider that sent none still gets distinct ones.
    for (size_t i = 0; i < turn->tool_calls.size(); ++i) {
      if (turn->tool_calls[i].id.empty()) {
        turn->tool_calls[i].id = "call_" + std::to_string(step) + "_" + std::to_string(i);
      }
    }
    conversation.push_back(Message{Role::kAssistant, turn->text, turn->tool_calls, {}});

    const auto tools_started = Clock::now();
    const auto& calls = turn->tool_calls;
    std::vector<ToolCallRecord> records(calls.size());
    for (size_t begin = 0; begin < calls.size(); begin += options.max_parallel_tools) {
      const size_t end =
          std::min(calls.size(), begin + std::max<size_t>(1, options.max_parallel_tools));
      std::vector<std::future<void>> running;
      for (size_t i = begin; i < end; ++i) {
        running.push_back(std::async(std::launch::async, [&, i] {
          if (callbacks.on_tool_start) callbacks.on_tool_start(calls[i]);
          const auto call_started = Clock::now();
          records[i].call = calls[i];
          records[i].result = run_one(tools, calls[i], cancelled);
          records[i].duration = since(call_started);
          if (callbacks.on_tool_end) callbacks.on_tool_end(records[i]);
        }));
      }
      for (auto& f : running) f.get();
    }
    outcome.tool_time += since(tools_started);

    Message results{Role::kTool, {}, {}, {}};
    for (const auto& record : records) {
      results.tool_results.push_back(ToolOutcome{
          record.call.id, record.call.name, model_text(record.result, options.tool_result_budget),
          record.result.is_error});
      outcome.tool_calls.push_back(record);
    }
    conversation.push_back(std::move(results));
    if (cancelled && cancelled()) return make_error(ErrorCode::kCancelled, "cancelled by the user");
  }
  outcome.step_limit_reached = true;
  outcome.answer =
      "I stopped after " + std::to_string(options.max_steps) +
      " steps without reaching a final answer. Ask me to continue, or narrow the question.";
  conversation.push_back(Message{Role::kAssistant, outcome.answer, {}, {}});
  outcome.total_time = since(started);
  return outcome;
}

}  // namespace ecs_mcp::agent
