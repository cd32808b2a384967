#include "agent/transcript.h"

namespace ecs_mcp::agent {

json conversation_to_json(const Conversation& conversation) {
  json out = json::array();
  for (const auto& m : conversation) {
    json item;
    switch (m.role) {
      case Role::kUser:
        item["role"] = "user";
        break;
      case Role::kAssistant:
        item["role"] = "assistant";
        break;
      case Role::kTool:
        item["role"] = "tool";
        break;
    }
    if (!m.text.empty()) item["text"] = m.text;
    for (const auto& call : m.tool_calls) {
      item["tool_calls"].push_back(
          {{"id", call.id}, {"name", call.name}, {"arguments", call.arguments}});
    }
    for (const auto& result : m.tool_results) {
      item["tool_results"].push_back({{"id", result.call_id},
                                      {"name", result.name},
                                      {"content", result.content},
                                      {"is_error", result.is_error}});
    }
    out.push_back(std::move(item));
  }
  return out;
}

json outcome_to_json(const LoopOutcome& outcome) {
  json calls = json::array();
  for (const auto& record : outcome.tool_calls) {
    calls.push_back({{"name", record.call.name},
                     {"arguments", record.call.arguments},
                     {"duration_ms", record.duration.count() / 1000.0},
                     {"is_error", record.result.is_error},
                     {"refused", record.result.refused},
                     {"result", record.result.text}});
  }
  return {
      {"answer", outcome.answer},
      {"refused", outcome.refused},
      {"step_limit_reached", outcome.step_limit_reached},
      {"steps", outcome.steps},
      {"tool_calls", std::move(calls)},
      {"usage", {{"input_tokens", outcome.input_tokens}, {"output_tokens", outcome.output_tokens}}},
      {"timing_ms",
       {{"total", outcome.total_time.count() / 1000.0},
        {"model", outcome.model_time.count() / 1000.0},
        {"tools", outcome.tool_time.count() / 1000.0}}}};
}

}  // namespace ecs_mcp::agent
