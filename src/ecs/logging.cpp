#include "ecs/logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace ecs_mcp::ecs {

Status setup_logging(const Config& config) {
  std::shared_ptr<spdlog::logger> logger;
  try {
    if (!config.log_file.empty()) {
      logger = spdlog::basic_logger_mt("ecs-mcp", config.log_file);
    } else {
      logger = spdlog::stderr_logger_mt("ecs-mcp");
    }
  } catch (const spdlog::spdlog_ex& e) {
    return make_error(ErrorCode::kLogSetupFailed,
                      "cannot open log file " + config.log_file + ": " + e.what());
  }
  logger->set_level(
      spdlog::level::from_str(config.log_level == "warning" ? "warn" : config.log_level));
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  return Status::Ok();
}

}  // namespace ecs_mcp::ecs
