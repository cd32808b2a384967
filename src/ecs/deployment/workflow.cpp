#include "ecs/deployment/workflow.h"

namespace ecs_mcp::ecs {

void ToolProgress::report(double progress, double total, const std::string& message) {
  context_.progress(progress, total, message);
  if (!logger_.empty()) {
    context_.log(mcp::LogLevel::kInfo, logger_,
                 mcp::json{{"progress", progress}, {"message", message}});
  }
}

aws::CallOptions Cancellation::call_options() const {
  aws::CallOptions call;
  call.cancelled = cancelled;
  call.stop = stop;
  return call;
}

StackWaitOptions Cancellation::stack_wait(std::chrono::milliseconds poll_interval,
                                          std::chrono::milliseconds timeout) const {
  StackWaitOptions w;
  w.poll_interval = poll_interval;
  w.timeout = timeout;
  w.cancelled = cancelled;
  w.stop = stop;
  return w;
}

Cancellation cancellation_of(const mcp::ToolContext& context) {
  return Cancellation{context.cancel_predicate(), context.stop_token()};
}

}  // namespace ecs_mcp::ecs
