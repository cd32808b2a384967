// A2aTasks: the A2A protocol's tasks and contexts over the agent loop, without HTTP.
//
// message/send and message/stream become submit(): a new task (state submitted) runs the
// agent loop on a thread of its own, in its context's conversation, so that the model sees
// the earlier turns of the same contextId. What happens is told to the task's subscribers as
// A2A events, in the order supervisors expect: the Task (submitted), status-update `working`
// (then one per piece of streamed text), artifact-update with the answer (lastChunk), and a
// final status-update (completed, failed, canceled, rejected; or input-required, which ends
// a stream too). An elicitation from a tool server (a destructive action asking for
// confirmation) turns the task that made the call into input-required; the next message
// sent to that task answers it ("yes" proceeds, anything else declines), and the task goes
// on. cancel() marks the task canceled at once and stops its model call and tool calls.
//
// Bounds: running tasks (a clear error when full), tasks kept (finished ones are forgotten
// oldest first, and after `task_retention`), history per task, contexts and the messages a
// context keeps (cut at the start of a turn), a deadline per task and per question asked.
//
// Thread-safety: every method may be called from any thread; subscribers are called with
// the store's lock held (they must only queue work, never call back into A2aTasks).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "agent/agent_loop.h"
#include "agent/conversation.h"
#include "agent/model_client.h"
#include "agent/tool_executor.h"
#include "common/result.h"
#include "mcp/rpc_outcome.h"

namespace ecs_mcp::agent {

namespace a2a_error {
inline constexpr int kTaskNotFound = -32001;
inline constexpr int kTaskNotCancelable = -32002;
inline constexpr int kPushNotificationNotSupported = -32003;
inline constexpr int kUnsupportedOperation = -32004;
inline constexpr int kAuthenticatedExtendedCardNotConfigured = -32007;
inline constexpr int kServerBusy = -32000;  // implementation-defined: too many running tasks
}  // namespace a2a_error

struct A2aLimits {
  size_t max_running = 4;
  size_t max_tasks = 1000;
  std::chrono::seconds task_retention{std::chrono::hours(1)};
  size_t max_history = 100;  // messages a task's history keeps
  size_t max_contexts = 1000;
  size_t max_context_messages = 200;  // conversation messages a context keeps
  std::chrono::milliseconds task_timeout{std::chrono::minutes(15)};
  std::chrono::milliseconds input_timeout{std::chrono::minutes(10)};
};

struct A2aRuntime {
  const ModelBackend* model = nullptr;
  ToolExecutor* tools = nullptr;  // shared by every task; call() is concurrent
  // The key of the MCP server offering a tool (to route its elicitations to the right task).
  std::function<std::string(const std::string& tool)> server_of;
  LoopOptions loop;
};

// One event for a subscriber: the JSON-RPC result object; when it ends the stream, `final` is
// true and `task` is the Task as it stands (what message/send answers with).
struct A2aEvent {
  json result;
  bool final = false;
  json task;
};
using A2aSink = std::function<void(const A2aEvent& event)>;

class A2aTasks {
 public:
  A2aTasks(A2aRuntime runtime, A2aLimits limits);
  ~A2aTasks();  // cancels running tasks and waits for them
  A2aTasks(const A2aTasks&) = delete;
  A2aTasks& operator=(const A2aTasks&) = delete;

  // message/send and message/stream. `sink` receives this task's events from now on, the
  // Task as it stands first. Returns the task id.
  mcp::RpcResult<std::string> submit(const json& params, A2aSink sink);
  // tasks/resubscribe: the Task as it stands, then its events.
  mcp::RpcResult<std::string> resubscribe(const json& params, A2aSink sink);
  mcp::RpcOutcome get(const json& params) const;
  mcp::RpcOutcome cancel(const json& params);
  // The task as a Task object, its history cut to `history_length` when given.
  json snapshot(const std::string& task_id, int history_length = -1) const;

  // For the tool servers' elicitation/create: asks the task whose call is waiting, blocking
  // until the answer, a cancel or the input deadline. Declines when no single task can be
  // told apart as the asker.
  Result<json> elicit(const std::string& server_key, const json& params);

  // Forgets finished tasks past their retention; called about once a second.
  void expire();
  // Cancels everything (shutdown).
  void cancel_all();
  size_t running() const;
  size_t stored() const;

 private:
  struct Task;
  struct Context;
  class TaskTools;

  void run(std::shared_ptr<Task> task);
  void emit(Task& task, const json& event, bool final);
  void set_state(Task& task, const std::string& state, json message, bool final);
  json task_json(const Task& task, int history_length) const;
  void evict_locked();
  void reap_threads();
  void begin_call(const std::string& task_id, const std::string& server);
  void end_call(const std::string& task_id, const std::string& server);

  A2aRuntime runtime_;
  A2aLimits limits_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<Task>> tasks_;
  std::map<std::string, std::shared_ptr<Context>> contexts_;
  std::multimap<std::string, std::string> calls_in_flight_;  // server key -> task id
  size_t running_ = 0;
  bool stopping_ = false;
  struct Worker {
    std::thread thread;
    std::shared_ptr<bool> done;  // under mu_
  };
  std::list<Worker> workers_;
};

}  // namespace ecs_mcp::agent
