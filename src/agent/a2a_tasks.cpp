#include "agent/a2a_tasks.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <vector>

#include "common/random.h"
#include "common/strings.h"

namespace ecs_mcp::agent {
namespace {

using Clock = std::chrono::steady_clock;

bool is_terminal(const std::string& state) {
  return state == "completed" || state == "canceled" || state == "failed" || state == "rejected";
}

std::string now_iso8601() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[40];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &tm);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  char out[48];
  std::snprintf(out, sizeof(out), "%s.%03dZ", text, static_cast<int>(ms));
  return out;
}

std::string new_id() {
  auto id = random_uuid();
  return id.ok() ? *id : std::to_string(Clock::now().time_since_epoch().count());
}

json agent_message(const std::string& text, const std::string& task_id,
                   const std::string& context_id) {
  return {{"kind", "message"}, {"messageId", new_id()},
          {"role", "agent"},   {"parts", {{{"kind", "text"}, {"text", text}}}},
          {"taskId", task_id}, {"contextId", context_id}};
}

// The text of a message's text parts, joined; nullopt when it has none.
std::optional<std::string> message_text(const json& message) {
  if (!message.contains("parts") || !message["parts"].is_array()) return std::nullopt;
  std::optional<std::string> text;
  for (const auto& part : message["parts"]) {
    if (!part.is_object()) continue;
    const std::string kind = part.value("kind", part.value("type", ""));
    if (kind == "text" && part.contains("text") && part["text"].is_string()) {
      if (!text) text = "";
      if (!text->empty()) *text += "\n";
      *text += part["text"].get<std::string>();
    }
  }
  return text;
}

bool is_yes(std::string text) {
  text = ascii_lower(text);
  const auto first = text.find_first_not_of(" \t\r\n\"'");
  if (first == std::string::npos) return false;
  text = text.substr(first);
  for (const char* yes : {"yes", "y", "confirm", "proceed", "approve", "ok", "delete"}) {
    const size_t n = std::char_traits<char>::length(yes);
    if (text.compare(0, n, yes) == 0 &&
        (text.size() == n || !std::isalnum(static_cast<unsigned char>(text[n])))) {
      return true;
    }
  }
  return false;
}

// Drops whole turns from the front (a turn starts at a person's message) until at most
// `limit` messages remain, so that tool calls and their results are never separated.
void trim_conversation(Conversation& conversation, size_t limit) {
  while (conversation.size() > limit) {
    auto next = std::find_if(conversation.begin() + 1, conversation.end(),
                             [](const Message& m) { return m.role == Role::kUser; });
    conversation.erase(conversation.begin(), next);
  }
}

}  // namespace

struct A2aTasks::Context {
  std::string id;
  Conversation conversation;
  bool busy = false;  // a task of this context is running its turn
  Clock::time_point last_used = Clock::now();
};

struct A2aTasks::Task {
  std::string id;
  std::string context_id;
  std::string state = "submitted";
  json status_message;  // null or a Message
  std::string timestamp = now_iso8601();
  json history = json::array();
  json artifacts = json::array();
  std::vector<A2aSink> sinks;
  std::string question;  // the person's text for this turn
  bool cancel_requested = false;
  Clock::time_point deadline;
  Clock::time_point finished{};
  // input-required: the elicitation waiting for an answer.
  bool waiting_input = false;
  std::optional<std::string> input_answer;
};

// The shared tools as one task sees them: each call is registered as this task's while it
// runs, so that an elicitation arriving meanwhile can be routed here.
class A2aTasks::TaskTools final : public ToolExecutor {
 public:
  TaskTools(A2aTasks& owner, std::string task_id) : owner_(owner), task_id_(std::move(task_id)) {}
  std::vector<ToolSpec> tools() const override { return owner_.runtime_.tools->tools(); }
  ToolRunResult call(const std::string& name, const json& arguments,
                     const std::function<bool()>& cancelled) override {
    const std::string server = owner_.runtime_.server_of ? owner_.runtime_.server_of(name) : "";
    owner_.begin_call(task_id_, server);
    auto result = owner_.runtime_.tools->call(name, arguments, cancelled);
    owner_.end_call(task_id_, server);
    return result;
  }

 private:
  A2aTasks& owner_;
  std::string task_id_;
};

A2aTasks::A2aTasks(A2aRuntime runtime, A2aLimits limits)
    : runtime_(std::move(runtime)), limits_(limits) {}

A2aTasks::~A2aTasks() {
  cancel_all();
  std::list<Worker> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    workers.swap(workers_);
  }
  for (auto& w : workers) {
    if (w.thread.joinable()) w.thread.join();
  }
}

size_t A2aTasks::running() const {
  std::lock_guard<std::mutex> lock(mu_);
  return running_;
}

size_t A2aTasks::stored() const {
  std::lock_guard<std::mutex> lock(mu_);
  return tasks_.size();
}

void A2aTasks::emit(Task& task, const json& event, bool final) {
  if (task.sinks.empty()) return;
  const A2aEvent e{event, final, final ? task_json(task, -1) : json()};
  for (auto& sink : task.sinks) sink(e);
  if (final) task.sinks.clear();
}

void A2aTasks::set_state(Task& task, const std::string& state, json message, bool final) {
  task.state = state;
  task.timestamp = now_iso8601();
  task.status_message = std::move(message);
  if (is_terminal(state)) task.finished = Clock::now();
  json status{{"state", state}, {"timestamp", task.timestamp}};
  if (!task.status_message.is_null()) status["message"] = task.status_message;
  emit(task,
       {{"kind", "status-update"},
        {"taskId", task.id},
        {"contextId", task.context_id},
        {"status", status},
        {"final", final}},
       final);
}

json A2aTasks::task_json(const Task& task, int history_length) const {
  json status{{"state", task.state}, {"timestamp", task.timestamp}};
  if (!task.status_message.is_null()) status["message"] = task.status_message;
  json history = task.history;
  if (history_length >= 0 && history.size() > static_cast<size_t>(history_length)) {
    history.erase(history.begin(), history.end() - history_length);
  }
  return {{"kind", "task"},
          {"id", task.id},
          {"contextId", task.context_id},
          {"status", status},
          {"artifacts", task.artifacts},
          {"history", history}};
}

json A2aTasks::snapshot(const std::string& task_id, int history_length) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tasks_.find(task_id);
  return it == tasks_.end() ? json() : task_json(*it->second, history_length);
}

mcp::RpcResult<std::string> A2aTasks::submit(const json& params, A2aSink sink) {
  if (!params.is_object() || !params.contains("message") || !params["message"].is_object())
    return mcp::invalid_params("params.message must be a Message object");
  json message = params["message"];
  if (message.value("role", "") != "user")
    return mcp::invalid_params("params.message.role must be \"user\"");
  auto text = message_text(message);
  if (!text) {
    return mcp::invalid_params(
        "params.message.parts must hold at least one text part ({\"kind\":\"text\",\"text\":...})");
  }
  if (!message.contains("messageId") || !message["messageId"].is_string())
    message["messageId"] = new_id();
  const std::string task_id = message.value("taskId", "");
  std::string context_id = message.value("contextId", "");

  reap_threads();
  std::lock_guard<std::mutex> lock(mu_);
  if (stopping_) return mcp::RpcError{a2a_error::kServerBusy, "the agent is shutting down", json()};
  if (!task_id.empty()) {
    // A message to an existing task: the answer it is waiting for.
    auto it = tasks_.find(task_id);
    if (it == tasks_.end())
      return mcp::RpcError{a2a_error::kTaskNotFound, "Task not found: " + task_id, json()};
    Task& task = *it->second;
    if (!context_id.empty() && context_id != task.context_id) {
      return mcp::invalid_params("message.contextId " + context_id +
                                 " is not the context of task " + task_id + " (" + task.context_id +
                                 ")");
    }
    if (is_terminal(task.state)) {
      return mcp::invalid_params("Task " + task_id + " is " + task.state +
                                 "; a finished task takes no more messages (send a new message "
                                 "with its contextId to continue the conversation)");
    }
    if (!task.waiting_input) {
      return mcp::invalid_params("Task " + task_id + " is " + task.state +
                                 " and is not waiting for input");
    }
    message["taskId"] = task.id;
    message["contextId"] = task.context_id;
    task.history.push_back(message);
    task.input_answer = *text;
    task.waiting_input = false;
    task.sinks.push_back(std::move(sink));
    task.sinks.back()(A2aEvent{task_json(task, -1), false, json()});
    set_state(task, "working", json(), false);
    cv_.notify_all();
    return task.id;
  }

  if (running_ >= limits_.max_running) {
    return mcp::RpcError{a2a_error::kServerBusy,
                         "the agent is busy: " + std::to_string(running_) +
                             " tasks are running (the limit); retry later",
                         json{{"running", running_}, {"limit", limits_.max_running}}};
  }
  if (context_id.empty()) context_id = new_id();
  auto ctx = contexts_.find(context_id);
  if (ctx == contexts_.end()) {
    if (contexts_.size() >= limits_.max_contexts) {
      // Forget the context idle longest.
      auto oldest = contexts_.end();
      for (auto c = contexts_.begin(); c != contexts_.end(); ++c) {
        if (!c->second->busy &&
            (oldest == contexts_.end() || c->second->last_used < oldest->second->last_used))
          oldest = c;
      }
      if (oldest != contexts_.end()) contexts_.erase(oldest);
    }
    auto fresh = std::make_shared<Context>();
    fresh->id = context_id;
    ctx = contexts_.emplace(context_id, fresh).first;
  }
  ctx->second->last_used = Clock::now();

  auto task = std::make_shared<Task>();
  task->id = new_id();
  task->context_id = context_id;
  task->question = *text;
  task->deadline = Clock::now() + limits_.task_timeout;
  message["taskId"] = task->id;
  message["contextId"] = context_id;
  task->history.push_back(message);
  task->sinks.push_back(std::move(sink));
  tasks_[task->id] = task;
  evict_locked();
  ++running_;
  task->sinks.back()(A2aEvent{task_json(*task, -1), false, json()});
  Worker worker;
  worker.done = std::make_shared<bool>(false);
  worker.thread = std::thread([this, task, done = worker.done] {
    run(task);
    std::lock_guard<std::mutex> lock(mu_);
    --running_;
    *done = true;
    cv_.notify_all();
  });
  workers_.push_back(std::move(worker));
  return task->id;
}

mcp::RpcResult<std::string> A2aTasks::resubscribe(const json& params, A2aSink sink) {
  const std::string id = params.is_object() ? params.value("id", "") : "";
  if (id.empty()) return mcp::invalid_params("params.id (the task id) is required");
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tasks_.find(id);
  if (it == tasks_.end())
    return mcp::RpcError{a2a_error::kTaskNotFound, "Task not found: " + id, json()};
  Task& task = *it->second;
  const bool done = is_terminal(task.state) || task.waiting_input;
  json now = task_json(task, -1);
  sink(A2aEvent{now, done, done ? now : json()});
  if (!done) task.sinks.push_back(std::move(sink));
  return task.id;
}

mcp::RpcOutcome A2aTasks::get(const json& params) const {
  const std::string id = params.is_object() ? params.value("id", "") : "";
  if (id.empty()) return mcp::invalid_params("params.id (the task id) is required");
  int history_length = -1;
  if (params.contains("historyLength") && !params["historyLength"].is_null()) {
    if (!params["historyLength"].is_number_integer() || params["historyLength"].get<int>() < 0)
      return mcp::invalid_params("params.historyLength must be a non-negative integer");
    history_length = params["historyLength"].get<int>();
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tasks_.find(id);
  if (it == tasks_.end())
    return mcp::RpcError{a2a_error::kTaskNotFound, "Task not found: " + id, json()};
  return task_json(*it->second, history_length);
}

mcp::RpcOutcome A2aTasks::cancel(const json& params) {
  const std::string id = params.is_object() ? params.value("id", "") : "";
  if (id.empty()) return mcp::invalid_params("params.id (the task id) is required");
  std::lock_guard<std::mutex> lock(mu_);
  auto it = tasks_.find(id);
  if (it == tasks_.end())
    return mcp::RpcError{a2a_error::kTaskNotFound, "Task not found: " + id, json()};
  Task& task = *it->second;
  if (is_terminal(task.state)) {
    return mcp::RpcError{a2a_error::kTaskNotCancelable,
                         "Task cannot be canceled: it is already " + task.state, json()};
  }
  task.cancel_requested = true;
  task.waiting_input = false;
  set_state(task, "canceled",
            agent_message("Canceled at the caller's request.", task.id, task.context_id), true);
  cv_.notify_all();
  return task_json(task, -1);
}

void A2aTasks::cancel_all() {
  std::lock_guard<std::mutex> lock(mu_);
  stopping_ = true;
  for (auto& [id, task] : tasks_) {
    if (is_terminal(task->state)) continue;
    task->cancel_requested = true;
    task->waiting_input = false;
    set_state(*task, "canceled",
              agent_message("Canceled: the agent is shutting down.", task->id, task->context_id),
              true);
  }
  cv_.notify_all();
}

void A2aTasks::evict_locked() {
  const auto now = Clock::now();
  std::vector<std::pair<Clock::time_point, std::string>> finished;
  for (auto it = tasks_.begin(); it != tasks_.end();) {
    const Task& t = *it->second;
    if (is_terminal(t.state) && now - t.finished > limits_.task_retention) {
      it = tasks_.erase(it);
      continue;
    }
    if (is_terminal(t.state)) finished.emplace_back(t.finished, it->first);
    ++it;
  }
  if (tasks_.size() <= limits_.max_tasks) return;
  std::sort(finished.begin(), finished.end());
  for (const auto& [when, id] : finished) {
    if (tasks_.size() <= limits_.max_tasks) break;
    tasks_.erase(id);
  }
}

void A2aTasks::expire() {
  reap_threads();
  std::lock_guard<std::mutex> lock(mu_);
  evict_locked();
}

void A2aTasks::reap_threads() {
  std::list<Worker> finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = workers_.begin(); it != workers_.end();) {
      auto next = std::next(it);
      if (*it->done) finished.splice(finished.end(), workers_, it);
      it = next;
    }
  }
  for (auto& w : finished) w.thread.join();
}

void A2aTasks::begin_call(const std::string& task_id, const std::string& server) {
  std::lock_guard<std::mutex> lock(mu_);
  calls_in_flight_.emplace(server, task_id);
}

void A2aTasks::end_call(const std::string& task_id, const std::string& server) {
  std::lock_guard<std::mutex> lock(mu_);
  auto range = calls_in_flight_.equal_range(server);
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second == task_id) {
      calls_in_flight_.erase(it);
      return;
    }
  }
}

Result<json> A2aTasks::elicit(const std::string& server_key, const json& params) {
  const json decline{{"action", "decline"}};
  std::unique_lock<std::mutex> lock(mu_);
  std::shared_ptr<Task> task;
  auto range = calls_in_flight_.equal_range(server_key);
  for (auto it = range.first; it != range.second; ++it) {
    if (task && task->id != it->second) {
      spdlog::warn(
          "a confirmation from MCP server \"{}\" cannot be told apart between tasks {} and {}: "
          "declined",
          server_key, task->id, it->second);
      return decline;
    }
    auto found = tasks_.find(it->second);
    if (found != tasks_.end()) task = found->second;
  }
  if (!task || is_terminal(task->state)) return decline;

  const std::string question = params.value("message", "The tool asks for confirmation.") +
                               "\nReply \"yes\" to proceed; any other answer declines.";
  task->waiting_input = true;
  task->input_answer.reset();
  json message = agent_message(question, task->id, task->context_id);
  task->history.push_back(message);
  set_state(*task, "input-required", message, true);
  const auto until = Clock::now() + limits_.input_timeout;
  cv_.wait_until(lock, until, [&] { return task->input_answer || task->cancel_requested; });
  task->waiting_input = false;
  if (task->cancel_requested) return json{{"action", "cancel"}};
  if (!task->input_answer) {
    set_state(*task, "working",
              agent_message("No answer came in time: declined.", task->id, task->context_id),
              false);
    return decline;
  }
  if (!is_yes(*task->input_answer)) return decline;
  // Accepting confirms every boolean the server asked for, as the terminal's "y" does.
  json content = json::object();
  const json schema = params.value("requestedSchema", json::object());
  const json properties = schema.value("properties", json::object());
  for (const auto& [name, property] : properties.items()) {
    if (property.is_object() && property.value("type", "") == "boolean") content[name] = true;
  }
  return json{{"action", "accept"}, {"content", content}};
}

void A2aTasks::run(std::shared_ptr<Task> task) {
  std::shared_ptr<Context> context;
  Conversation conversation;
  {
    std::unique_lock<std::mutex> lock(mu_);
    auto ctx = contexts_.find(task->context_id);
    if (ctx == contexts_.end()) {
      auto fresh = std::make_shared<Context>();
      fresh->id = task->context_id;
      ctx = contexts_.emplace(task->context_id, fresh).first;
    }
    context = ctx->second;
    // One turn at a time in a context: the next waits for the one before.
    cv_.wait_until(lock, task->deadline, [&] { return !context->busy || task->cancel_requested; });
    if (task->cancel_requested) return;
    if (context->busy) {
      set_state(*task, "failed",
                agent_message("Timed out waiting for the previous task of this context.", task->id,
                              task->context_id),
                true);
      return;
    }
    context->busy = true;
    conversation = context->conversation;
    set_state(*task, "working", json(), false);
  }
  conversation.push_back(Message{Role::kUser, task->question, {}, {}});

  TaskTools tools(*this, task->id);
  LoopCallbacks callbacks;
  auto timed_out = [task] { return Clock::now() >= task->deadline; };
  callbacks.cancelled = [this, task, timed_out] {
    if (timed_out()) return true;
    std::lock_guard<std::mutex> lock(mu_);
    return task->cancel_requested;
  };
  callbacks.on_text = [this, task](std::string_view text) {
    if (text.empty()) return;
    std::lock_guard<std::mutex> lock(mu_);
    if (is_terminal(task->state) || task->waiting_input) return;
    json status{{"state", "working"},
                {"timestamp", now_iso8601()},
                {"message", agent_message(std::string(text), task->id, task->context_id)}};
    emit(*task,
         {{"kind", "status-update"},
          {"taskId", task->id},
          {"contextId", task->context_id},
          {"status", status},
          {"final", false}},
         false);
  };
  auto outcome = run_agent_turn(conversation, *runtime_.model, tools, runtime_.loop, callbacks);

  std::lock_guard<std::mutex> lock(mu_);
  context->busy = false;
  context->last_used = Clock::now();
  cv_.notify_all();
  if (is_terminal(task->state)) return;  // canceled meanwhile: its results are dropped
  if (!outcome.ok()) {
    const bool late = outcome.error().code == ErrorCode::kCancelled && timed_out();
    const std::string why =
        late ? "Timed out after " +
                   std::to_string(
                       std::chrono::duration_cast<std::chrono::seconds>(limits_.task_timeout)
                           .count()) +
                   " s."
             : outcome.error().describe();
    set_state(*task, outcome.error().code == ErrorCode::kCancelled && !late ? "canceled" : "failed",
              agent_message(why, task->id, task->context_id), true);
    return;
  }
  trim_conversation(conversation, limits_.max_context_messages);
  context->conversation = std::move(conversation);
  json answer = agent_message(outcome->answer, task->id, task->context_id);
  task->history.push_back(answer);
  if (task->history.size() > limits_.max_history) {
    task->history.erase(task->history.begin(),
                        task->history.end() - static_cast<long>(limits_.max_history));
  }
  json artifact{{"artifactId", new_id()},
                {"name", "answer"},
                {"parts", {{{"kind", "text"}, {"text", outcome->answer}}}}};
  task->artifacts.push_back(artifact);
  emit(*task,
       {{"kind", "artifact-update"},
        {"taskId", task->id},
        {"contextId", task->context_id},
        {"artifact", artifact},
        {"append", false},
        {"lastChunk", true}},
       false);
  set_state(*task, outcome->refused ? "rejected" : "completed", answer, true);
}

}  // namespace ecs_mcp::agent
