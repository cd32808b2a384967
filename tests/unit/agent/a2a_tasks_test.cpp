// A2A tasks over the agent loop, without HTTP: the event order supervisors expect, contexts
// that keep the conversation, cancellation of a running model call, the limit on running
// tasks, the input-required round trip for a confirmation, the bounds of the store, and the
// agent card's truthfulness.
#include "agent/a2a_tasks.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "agent/a2a_card.h"

namespace ecs_mcp::agent {
namespace {

using namespace std::chrono_literals;

// A model whose turns are functions of the request, so a turn can block until cancelled.
class FunctionModel final : public ModelBackend {
 public:
  using Turn = std::function<Result<ModelTurn>(const ModelRequest&, const TextSink&,
                                               const std::function<bool()>&)>;
  void push(Turn t) {
    std::lock_guard<std::mutex> lock(mu_);
    turns_.push_back(std::move(t));
  }
  Result<ModelTurn> complete(const ModelRequest& request, const TextSink& on_text,
                             const std::function<bool()>& cancelled, TurnTiming*) const override {
    Turn turn;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(*request.messages);
      if (turns_.empty()) return make_error(ErrorCode::kScriptEnded, "no more turns");
      turn = turns_.front();
      turns_.pop_front();
    }
    return turn(request, on_text, cancelled);
  }
  std::optional<std::string> reject_tool(const ToolSpec&) const override { return std::nullopt; }
  std::vector<Conversation> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  mutable std::mutex mu_;
  mutable std::deque<Turn> turns_;
  mutable std::vector<Conversation> requests_;
};

FunctionModel::Turn says(std::vector<std::string> pieces) {
  return [pieces](const ModelRequest&, const TextSink& on_text, const std::function<bool()>&) {
    ModelTurn t;
    for (const auto& p : pieces) {
      if (on_text) on_text(p);
      t.text += p;
    }
    return Result<ModelTurn>(t);
  };
}

FunctionModel::Turn calls(const std::string& tool) {
  return [tool](const ModelRequest&, const TextSink&, const std::function<bool()>&) {
    ModelTurn t;
    t.tool_calls = {ToolCall{"c1", tool, json::object()}};
    t.stop = StopReason::kToolUse;
    return Result<ModelTurn>(t);
  };
}

FunctionModel::Turn waits_until_cancelled(std::atomic<bool>* started) {
  return [started](const ModelRequest&, const TextSink&,
                   const std::function<bool()>& cancelled) -> Result<ModelTurn> {
    started->store(true);
    while (!cancelled()) std::this_thread::sleep_for(2ms);
    return make_error(ErrorCode::kCancelled, "cancelled by the user");
  };
}

// "remove" asks for confirmation the way a tool server's elicitation does.
class ConfirmingTools final : public ToolExecutor {
 public:
  A2aTasks* tasks = nullptr;
  std::vector<ToolSpec> tools() const override { return {{"remove", "Removes", json::object()}}; }
  ToolRunResult call(const std::string& name, const json&, const std::function<bool()>&) override {
    if (name != "remove") return {"no such tool", true, false};
    json schema{{"type", "object"}, {"properties", {{"confirm", {{"type", "boolean"}}}}}};
    auto answer = tasks->elicit(
        "srv", {{"message", "Delete stack web permanently?"}, {"requestedSchema", schema}});
    if (!answer.ok()) return {answer.error().message, true, false};
    const bool yes = answer->value("action", "") == "accept" &&
                     answer->value("content", json::object()).value("confirm", false);
    return {yes ? "deleted web" : "kept web (" + answer->value("action", "") + ")", false, false};
  }
};

// Collects a task's events and waits for the final one.
struct Collector {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<json> events;
  json final_task;
  bool done = false;
  A2aSink sink() {
    return [this](const A2aEvent& e) {
      std::lock_guard<std::mutex> lock(mu);
      events.push_back(e.result);
      if (e.final) {
        final_task = e.task;
        done = true;
        cv.notify_all();
      }
    };
  }
  bool wait() {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, 10s, [&] { return done; });
  }
};

json user_message(const std::string& text, const std::string& context = "",
                  const std::string& task = "") {
  json m{{"kind", "message"},
         {"messageId", "m-" + text},
         {"role", "user"},
         {"parts", {{{"kind", "text"}, {"text", text}}}}};
  if (!context.empty()) m["contextId"] = context;
  if (!task.empty()) m["taskId"] = task;
  return {{"message", m}};
}

struct Rig {
  FunctionModel model;
  ConfirmingTools tools;
  std::unique_ptr<A2aTasks> tasks;
  explicit Rig(A2aLimits limits = {}) {
    A2aRuntime runtime;
    runtime.model = &model;
    runtime.tools = &tools;
    runtime.server_of = [](const std::string&) { return std::string("srv"); };
    runtime.loop.tools = tools.tools();
    tasks = std::make_unique<A2aTasks>(runtime, limits);
    tools.tasks = tasks.get();
  }
};

bool eventually(const std::function<bool()>& what) {
  for (int i = 0; i < 2000; ++i) {
    if (what()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return false;
}

TEST(A2aTasks, StreamsTheTaskWorkingTextTheArtifactAndCompletedInOrder) {
  Rig rig;
  rig.model.push(says({"Three clu", "sters."}));
  Collector c;
  auto id = rig.tasks->submit(user_message("List all my ECS clusters"), c.sink());
  ASSERT_TRUE(id.ok()) << id.error().message;
  ASSERT_TRUE(c.wait());
  ASSERT_EQ(c.events.size(), 6u);
  EXPECT_EQ(c.events[0]["kind"], "task");
  EXPECT_EQ(c.events[0]["status"]["state"], "submitted");
  EXPECT_EQ(c.events[0]["id"], *id);
  EXPECT_EQ(c.events[0]["history"][0]["parts"][0]["text"], "List all my ECS clusters");
  EXPECT_EQ(c.events[1]["kind"], "status-update");
  EXPECT_EQ(c.events[1]["status"]["state"], "working");
  EXPECT_EQ(c.events[2]["status"]["message"]["parts"][0]["text"], "Three clu");
  EXPECT_EQ(c.events[3]["status"]["message"]["parts"][0]["text"], "sters.");
  EXPECT_EQ(c.events[3]["final"], false);
  EXPECT_EQ(c.events[4]["kind"], "artifact-update");
  EXPECT_EQ(c.events[4]["lastChunk"], true);
  EXPECT_EQ(c.events[4]["artifact"]["parts"][0]["text"], "Three clusters.");
  EXPECT_EQ(c.events[5]["kind"], "status-update");
  EXPECT_EQ(c.events[5]["status"]["state"], "completed");
  EXPECT_EQ(c.events[5]["final"], true);
  for (const auto& e : c.events) {
    EXPECT_EQ(e.value("contextId", ""), c.events[0]["contextId"].get<std::string>());
  }
  EXPECT_EQ(c.final_task["status"]["state"], "completed");
  EXPECT_EQ(c.final_task["history"].size(), 2u);
  auto got = rig.tasks->get({{"id", *id}, {"historyLength", 1}});
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)["history"].size(), 1u);
  EXPECT_EQ((*got)["history"][0]["role"], "agent");
}

TEST(A2aTasks, AContextKeepsTheConversationAcrossTasks) {
  Rig rig;
  rig.model.push(says({"Hello Ann."}));
  rig.model.push(says({"Your name is Ann."}));
  Collector first, second;
  ASSERT_TRUE(rig.tasks->submit(user_message("I am Ann", "ctx-1"), first.sink()).ok());
  ASSERT_TRUE(first.wait());
  ASSERT_TRUE(rig.tasks->submit(user_message("Who am I?", "ctx-1"), second.sink()).ok());
  ASSERT_TRUE(second.wait());
  auto requests = rig.model.requests();
  ASSERT_EQ(requests.size(), 2u);
  ASSERT_EQ(requests[1].size(), 3u);
  EXPECT_EQ(requests[1][0].text, "I am Ann");
  EXPECT_EQ(requests[1][1].text, "Hello Ann.");
  EXPECT_EQ(requests[1][2].text, "Who am I?");
  EXPECT_EQ(second.final_task["contextId"], "ctx-1");
  // Another context starts afresh.
  rig.model.push(says({"Hi."}));
  Collector other;
  ASSERT_TRUE(rig.tasks->submit(user_message("Hi"), other.sink()).ok());
  ASSERT_TRUE(other.wait());
  EXPECT_EQ(rig.model.requests()[2].size(), 1u);
  EXPECT_NE(other.final_task["contextId"], "ctx-1");
}

TEST(A2aTasks, CancelStopsARunningModelCallAndFinishedTasksAreNotCancelable) {
  Rig rig;
  std::atomic<bool> started{false};
  rig.model.push(waits_until_cancelled(&started));
  Collector c;
  auto id = rig.tasks->submit(user_message("Take your time"), c.sink());
  ASSERT_TRUE(id.ok());
  ASSERT_TRUE(eventually([&] { return started.load(); }));
  auto canceled = rig.tasks->cancel({{"id", *id}});
  ASSERT_TRUE(canceled.ok());
  EXPECT_EQ((*canceled)["status"]["state"], "canceled");
  ASSERT_TRUE(c.wait());
  EXPECT_EQ(c.events.back()["status"]["state"], "canceled");
  EXPECT_TRUE(eventually([&] { return rig.tasks->running() == 0; }));
  auto again = rig.tasks->cancel({{"id", *id}});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, a2a_error::kTaskNotCancelable);
  auto missing = rig.tasks->get({{"id", "no-such-task"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, a2a_error::kTaskNotFound);
}

TEST(A2aTasks, RunningTasksAreLimitedWithAClearError) {
  A2aLimits limits;
  limits.max_running = 1;
  Rig rig(limits);
  std::atomic<bool> started{false};
  rig.model.push(waits_until_cancelled(&started));
  Collector c;
  auto id = rig.tasks->submit(user_message("first"), c.sink());
  ASSERT_TRUE(id.ok());
  Collector refused;
  auto busy = rig.tasks->submit(user_message("second"), refused.sink());
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().code, a2a_error::kServerBusy);
  EXPECT_NE(busy.error().message.find("1 tasks are running (the limit)"), std::string::npos);
  ASSERT_TRUE(eventually([&] { return started.load(); }));
  ASSERT_TRUE(rig.tasks->cancel({{"id", *id}}).ok());
  ASSERT_TRUE(eventually([&] { return rig.tasks->running() == 0; }));
  rig.model.push(says({"ok"}));
  Collector later;
  ASSERT_TRUE(rig.tasks->submit(user_message("third"), later.sink()).ok());
  ASSERT_TRUE(later.wait());
}

TEST(A2aTasks, AConfirmationBecomesInputRequiredAndTheNextMessageAnswersIt) {
  for (const std::string answer : {"yes, go ahead", "no"}) {
    Rig rig;
    rig.model.push(calls("remove"));
    rig.model.push([](const ModelRequest& request, const TextSink&, const std::function<bool()>&) {
      ModelTurn t;
      t.text = "Result: " + request.messages->back().tool_results.at(0).content;
      return Result<ModelTurn>(t);
    });
    Collector asked;
    auto id = rig.tasks->submit(user_message("Delete the web deployment"), asked.sink());
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE(asked.wait());
    EXPECT_EQ(asked.final_task["status"]["state"], "input-required");
    const std::string question =
        asked.final_task["status"]["message"]["parts"][0]["text"].get<std::string>();
    EXPECT_NE(question.find("Delete stack web permanently?"), std::string::npos) << question;
    const std::string context = asked.final_task["contextId"];

    // A message to a task that is not waiting, or in another context, is refused.
    Collector wrong;
    auto bad = rig.tasks->submit(user_message(answer, "other-context", *id), wrong.sink());
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, mcp::rpc_error::kInvalidParams);

    Collector rest;
    ASSERT_TRUE(rig.tasks->submit(user_message(answer, context, *id), rest.sink()).ok());
    ASSERT_TRUE(rest.wait());
    EXPECT_EQ(rest.events[0]["kind"], "task");
    EXPECT_EQ(rest.events[0]["status"]["state"], "input-required");
    EXPECT_EQ(rest.events[1]["status"]["state"], "working");
    EXPECT_EQ(rest.final_task["status"]["state"], "completed");
    EXPECT_EQ(rest.final_task["artifacts"][0]["parts"][0]["text"],
              answer == "no" ? "Result: kept web (decline)" : "Result: deleted web");
    // user, agent question, user answer, agent answer
    EXPECT_EQ(rest.final_task["history"].size(), 4u);
    Collector late;
    auto finished = rig.tasks->submit(user_message("yes", context, *id), late.sink());
    ASSERT_FALSE(finished.ok());
    EXPECT_NE(finished.error().message.find("completed"), std::string::npos);
  }
}

TEST(A2aTasks, TheStoreIsBoundedAndParamsAreChecked) {
  A2aLimits limits;
  limits.max_tasks = 2;
  Rig rig(limits);
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    rig.model.push(says({"answer " + std::to_string(i)}));
    Collector c;
    auto id = rig.tasks->submit(user_message("q" + std::to_string(i)), c.sink());
    ASSERT_TRUE(id.ok());
    ASSERT_TRUE(c.wait());
    ids.push_back(*id);
    std::this_thread::sleep_for(2ms);
  }
  EXPECT_EQ(rig.tasks->stored(), 2u);
  EXPECT_FALSE(rig.tasks->get({{"id", ids[0]}}).ok());
  EXPECT_TRUE(rig.tasks->get({{"id", ids[2]}}).ok());

  Collector unused;
  auto no_message = rig.tasks->submit(json::object(), unused.sink());
  ASSERT_FALSE(no_message.ok());
  EXPECT_EQ(no_message.error().code, mcp::rpc_error::kInvalidParams);
  json agent_role = user_message("hi");
  agent_role["message"]["role"] = "agent";
  EXPECT_FALSE(rig.tasks->submit(agent_role, unused.sink()).ok());
  json no_text = user_message("hi");
  no_text["message"]["parts"] = json::array({{{"kind", "data"}, {"data", 1}}});
  EXPECT_FALSE(rig.tasks->submit(no_text, unused.sink()).ok());
  EXPECT_FALSE(rig.tasks->get({{"id", ids[2]}, {"historyLength", -1}}).ok());
}

TEST(A2aCard, EcsSkillsOnlyWhenEnabledAndTheSwitchesDescribedTruthfully) {
  CardFacts off;
  off.url = "http://127.0.0.1:8000/";
  off.version = "1.2.3";
  json card = agent_card(off);
  for (const char* field : {"name", "description", "url", "version", "protocolVersion",
                            "capabilities", "defaultInputModes", "defaultOutputModes", "skills"})
    EXPECT_TRUE(card.contains(field)) << field;
  EXPECT_EQ(card["protocolVersion"], "0.3.0");
  EXPECT_EQ(card["capabilities"]["streaming"], true);
  EXPECT_EQ(card["capabilities"]["pushNotifications"], false);
  EXPECT_EQ(card["skills"].size(), 1u);
  EXPECT_EQ(card["skills"][0]["id"], "aws-assistant");
  EXPECT_EQ(card["description"].get<std::string>().find("ECS"), std::string::npos);
  EXPECT_FALSE(card.contains("securitySchemes"));

  CardFacts on = off;
  on.ecs_enabled = true;
  on.allow_sensitive_data = true;
  on.bearer_token = true;
  card = agent_card(on);
  std::vector<std::string> ids;
  for (const auto& s : card["skills"]) {
    ids.push_back(s["id"]);
    EXPECT_FALSE(s["examples"].empty());
    EXPECT_FALSE(s["tags"].empty());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"ecs-deploy", "ecs-troubleshoot", "ecs-resources",
                                           "ecs-documentation"}));
  EXPECT_EQ(card["skills"][0]["examples"][0], "Containerize this Node.js app and deploy it to AWS");
  EXPECT_EQ(card["skills"][1]["examples"][0],
            "My ECS tasks keep failing, can you diagnose the issue?");
  const std::string description = card["description"];
  EXPECT_NE(description.find("Writes are DISABLED"), std::string::npos);
  EXPECT_NE(description.find("Sensitive data is ENABLED"), std::string::npos);
  EXPECT_EQ(card["securitySchemes"]["bearer"]["scheme"], "bearer");
  on.allow_write = true;
  EXPECT_NE(agent_card(on)["description"].get<std::string>().find("Writes are ENABLED"),
            std::string::npos);
}

}  // namespace
}  // namespace ecs_mcp::agent
