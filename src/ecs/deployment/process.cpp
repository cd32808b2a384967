#include "ecs/deployment/process.h"

namespace ecs_mcp::ecs {

Result<ProcessResult> run_process(const std::vector<std::string>& argv,
                                  const ProcessOptions& options) {
  if (argv.empty()) return make_error(ErrorCode::kInvalidArgument, "no program to run");
  auto program = find_in_path(argv[0]);
  if (!program)
    return make_error(ErrorCode::kNotFound, argv[0] + " is not installed (not found in PATH)");

  SubprocessOptions run;
  run.extra_env = options.extra_env;
  run.stdin_data = options.stdin_data;
  run.timeout = options.timeout;
  run.cancelled = options.cancelled;
  run.merge_stderr = true;
  run.on_line = options.on_line;
  run.max_output_bytes = options.keep_output_bytes;
  run.keep_tail = true;
  std::vector<std::string> args = argv;
  args[0] = *program;
  auto ran = run_subprocess(args, run);
  if (!ran) return ran.error();
  if (ran->stop == SubprocessResult::Stop::kCancelled) {
    return make_error(ErrorCode::kCancelled, argv[0] + " was stopped: the call was cancelled");
  }
  if (ran->stop == SubprocessResult::Stop::kTimedOut) {
    return make_error(ErrorCode::kTimeout, argv[0] + " did not finish in time and was stopped");
  }
  ProcessResult r;
  r.exit_code = ran->signal != 0 ? 128 + ran->signal : ran->exit_code;
  r.output_tail = std::move(ran->out);
  return r;
}

}  // namespace ecs_mcp::ecs
