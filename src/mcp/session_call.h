// One running tools/call, as the session tracks it: where its answer goes, the progress token
// the caller gave, and whether it was cancelled. Private to session.cpp and tool_call.cpp.
//
// Thread-safety: `cancelled` is atomic; the progress fields are guarded by progress_mu; the
// rest is set before the call is shared and read-only afterwards.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>

#include "mcp/server.h"

namespace ecs_mcp::mcp {

struct Session::Call {
  json id;
  std::shared_ptr<Outbound> reply;
  json progress_token;  // null when the caller did not ask for progress
  std::atomic<bool> cancelled{false};
  std::stop_source stop;  // requested together with `cancelled`: wakes the call's waits
  std::mutex progress_mu;
  std::optional<double> last_progress;
};

}  // namespace ecs_mcp::mcp
