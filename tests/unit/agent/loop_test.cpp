// The loop against a scripted model and a table of tools: answers, concurrent tool calls,
// result budgets, refusals, the step limit, cancellation, and tool filtering.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <thread>

#include "agent/agent_loop.h"

namespace ecs_mcp::agent {
namespace {

class ScriptedModel final : public ModelBackend {
 public:
  explicit ScriptedModel(std::deque<ModelTurn> turns) : turns_(std::move(turns)) {}
  Result<ModelTurn> complete(const ModelRequest& request, const TextSink& on_text,
                             const std::function<bool()>&, TurnTiming*) const override {
    std::lock_guard<std::mutex> lock(mu_);
    requests_.push_back(*request.messages);
    tools_seen_ = request.tools.size();
    if (turns_.empty()) return make_error(ErrorCode::kScriptEnded, "no more turns");
    ModelTurn turn = turns_.front();
    turns_.pop_front();
    if (on_text && !turn.text.empty()) on_text(turn.text);
    return turn;
  }
  std::optional<std::string> reject_tool(const ToolSpec& tool) const override {
    if (tool.description.size() > 10) return "too long";
    return std::nullopt;
  }
  mutable std::mutex mu_;
  mutable std::deque<ModelTurn> turns_;
  mutable std::vector<Conversation> requests_;
  mutable size_t tools_seen_ = 0;
};

class TableTools final : public ToolExecutor {
 public:
  std::vector<ToolSpec> tools() const override { return {}; }
  ToolRunResult call(const std::string& name, const json& args,
                     const std::function<bool()>& cancelled) override {
    calls.fetch_add(1);
    if (name == "sleep") {
      // Up to 200 ms, or until three calls are in flight at once (proof they overlap), however
      // slow a loaded machine starts threads.
      const int now = ++in_flight;
      for (int seen = max_in_flight.load();
           now > seen && !max_in_flight.compare_exchange_weak(seen, now);) {
      }
      for (int i = 0; i < 40 && !(cancelled && cancelled()) && max_in_flight.load() < 3; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      --in_flight;
      return {"slept", false, false};
    }
    if (name == "big") return {std::string(args.value("n", 10), 'x'), false, false};
    if (name == "write")
      return {"Operation write requires WRITE permission. Set ALLOW_WRITE=true.", true, true};
    return {"no such tool", true, false};
  }
  std::atomic<int> calls{0};
  std::atomic<int> in_flight{0};
  std::atomic<int> max_in_flight{0};
};

ModelTurn tool_turn(std::vector<ToolCall> calls) {
  ModelTurn t;
  t.tool_calls = std::move(calls);
  t.stop = StopReason::kToolUse;
  return t;
}

ModelTurn text_turn(std::string text) {
  ModelTurn t;
  t.text = std::move(text);
  return t;
}

TEST(AgentLoop, PlainAnswerEndsTheTurn) {
  ScriptedModel model({text_turn("Hello.")});
  TableTools tools;
  Conversation c{Message{Role::kUser, "hi", {}, {}}};
  std::string streamed;
  LoopCallbacks cb;
  cb.on_text = [&](std::string_view t) { streamed.append(t); };
  auto out = run_agent_turn(c, model, tools, LoopOptions{}, cb);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->answer, "Hello.");
  EXPECT_EQ(streamed, "Hello.");
  EXPECT_EQ(out->steps, 1);
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[1].role, Role::kAssistant);
}

TEST(AgentLoop, ToolCallsOfOneTurnRunConcurrently) {
  ScriptedModel model({tool_turn({{"a", "sleep", json::object()},
                                  {"b", "sleep", json::object()},
                                  {"c", "sleep", json::object()}}),
                       text_turn("done")});
  TableTools tools;
  Conversation c{Message{Role::kUser, "go", {}, {}}};
  const auto start = std::chrono::steady_clock::now();
  std::atomic<int> started{0}, ended{0};
  LoopCallbacks cb;
  cb.on_tool_start = [&](const ToolCall&) { started++; };
  cb.on_tool_end = [&](const ToolCallRecord&) { ended++; };
  auto out = run_agent_turn(c, model, tools, LoopOptions{}, cb);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(tools.calls.load(), 3);
  EXPECT_EQ(started.load(), 3);
  EXPECT_EQ(ended.load(), 3);
  EXPECT_EQ(tools.max_in_flight.load(), 3);  // all three calls were running at once
  EXPECT_LT(elapsed, std::chrono::milliseconds(5000));
  ASSERT_EQ(c.size(), 4u);
  ASSERT_EQ(c[2].tool_results.size(), 3u);
  EXPECT_EQ(c[2].tool_results[1].call_id, "b");
  EXPECT_EQ(out->tool_calls.size(), 3u);
}

TEST(AgentLoop, ResultsAreCutToTheBudgetWithANote) {
  ScriptedModel model({tool_turn({{"a", "big", {{"n", 5000}}}}), text_turn("ok")});
  TableTools tools;
  Conversation c{Message{Role::kUser, "go", {}, {}}};
  LoopOptions options;
  options.tool_result_budget = 1000;
  ASSERT_TRUE(run_agent_turn(c, model, tools, options, {}).ok());
  const std::string& content = c[2].tool_results[0].content;
  EXPECT_EQ(content.rfind(std::string(1000, 'x'), 0), 0u);
  EXPECT_NE(content.find("had 5000 characters"), std::string::npos);
  EXPECT_LT(content.size(), 1200u);
}

TEST(AgentLoop, BudgetNeverSplitsAUtf8Character) {
  std::string text = "ab\xC3\xA9\xC3\xA9";
  std::string cut = cut_to_budget(text, 3);
  EXPECT_EQ(cut.substr(0, 2), "ab");
  EXPECT_NE(cut[2], '\xC3');
}

TEST(AgentLoop, RefusedCallsAreMarkedAndTheModelIsToldNotToRetry) {
  ScriptedModel model({tool_turn({{"a", "write", json::object()}}), text_turn("Writes are off.")});
  TableTools tools;
  Conversation c{Message{Role::kUser, "write", {}, {}}};
  auto out = run_agent_turn(c, model, tools, LoopOptions{}, {});
  ASSERT_TRUE(out.ok());
  const auto& result = c[2].tool_results[0];
  EXPECT_TRUE(result.is_error);
  EXPECT_EQ(result.content.rfind("REFUSED", 0), 0u);
  EXPECT_NE(result.content.find("Do not retry"), std::string::npos);
  EXPECT_TRUE(out->tool_calls[0].result.refused);
}

TEST(AgentLoop, ModelRefusalEndsAsARefusal) {
  ModelTurn refusal;
  refusal.stop = StopReason::kRefusal;
  refusal.refusal = "I can't help with that.";
  ScriptedModel model({refusal});
  TableTools tools;
  Conversation c{Message{Role::kUser, "x", {}, {}}};
  auto out = run_agent_turn(c, model, tools, LoopOptions{}, {});
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->refused);
  EXPECT_EQ(out->answer, "I can't help with that.");
}

TEST(AgentLoop, StepLimitStopsAModelThatNeverAnswers) {
  std::deque<ModelTurn> turns;
  for (int i = 0; i < 10; ++i) turns.push_back(tool_turn({{"", "big", {{"n", 1}}}}));
  ScriptedModel model(turns);
  TableTools tools;
  Conversation c{Message{Role::kUser, "x", {}, {}}};
  LoopOptions options;
  options.max_steps = 3;
  auto out = run_agent_turn(c, model, tools, options, {});
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->step_limit_reached);
  EXPECT_EQ(out->steps, 3);
  EXPECT_EQ(tools.calls.load(), 3);
  EXPECT_EQ(c[1].tool_calls[0].id, "call_0_0");  // ids filled in when the provider gave none
}

TEST(AgentLoop, InvalidArgumentsAreAnsweredWithoutRunningTheTool) {
  ScriptedModel model({tool_turn({{"a", "big", json("{not json")}}), text_turn("ok")});
  TableTools tools;
  Conversation c{Message{Role::kUser, "x", {}, {}}};
  ASSERT_TRUE(run_agent_turn(c, model, tools, LoopOptions{}, {}).ok());
  EXPECT_EQ(tools.calls.load(), 0);
  EXPECT_TRUE(c[2].tool_results[0].is_error);
}

TEST(AgentLoop, CancellationDuringToolsEndsTheTurnWithResultsRecorded) {
  ScriptedModel model({tool_turn({{"a", "sleep", json::object()}}), text_turn("never")});
  TableTools tools;
  Conversation c{Message{Role::kUser, "x", {}, {}}};
  std::atomic<bool> cancel{false};
  LoopCallbacks cb;
  cb.cancelled = [&] { return cancel.load(); };
  cb.on_tool_start = [&](const ToolCall&) { cancel = true; };
  auto out = run_agent_turn(c, model, tools, LoopOptions{}, cb);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::kCancelled);
  ASSERT_EQ(c.size(), 3u);  // the call has its (cancelled) result, so the history stays valid
  EXPECT_EQ(c[2].tool_results.size(), 1u);
}

TEST(AgentLoop, OfferableToolsLeavesOutWhatTheProviderRejects) {
  ScriptedModel model({});
  std::vector<std::string> warnings;
  auto offered = offerable_tools(
      {ToolSpec{"short", "ok", json::object()}, ToolSpec{"long", "far too long", json::object()}},
      model, [&](const std::string& w) { warnings.push_back(w); });
  ASSERT_EQ(offered.size(), 1u);
  EXPECT_EQ(offered[0].name, "short");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("\"long\""), std::string::npos);
}

}  // namespace
}  // namespace ecs_mcp::agent
