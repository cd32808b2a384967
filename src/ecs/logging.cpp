#include "ecs/logging.h"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

#include "common/secret_scrubber.h"
#include "common/strings.h"

namespace ecs_mcp::ecs {

namespace {

// Every message the process logs passes through here before its sink formats it. Much of what
// is logged comes from outside (clientInfo.name, cancellation reasons, tool arguments, AWS and
// proxy error text): control characters are escaped so none of it can end a line, forge the
// next one or drive a terminal, and credentials are masked so none reach the log.
class SanitizingSink : public spdlog::sinks::sink {
 public:
  explicit SanitizingSink(std::shared_ptr<spdlog::sinks::sink> inner) : inner_(std::move(inner)) {}

  void log(const spdlog::details::log_msg& msg) override {
    const std::string text =
        sanitize_log_text(std::string_view(msg.payload.data(), msg.payload.size()));
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(text.data(), text.size());
    inner_->log(copy);
  }
  void flush() override { inner_->flush(); }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override {
    inner_->set_formatter(std::move(formatter));
  }

 private:
  std::shared_ptr<spdlog::sinks::sink> inner_;
};

}  // namespace

std::string sanitize_log_text(std::string_view text) {
  return escape_control_characters(scrub_secrets(text));
}

Status setup_logging(const Config& config) {
  std::shared_ptr<spdlog::sinks::sink> sink;
  try {
    if (!config.log_file.empty()) {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(config.log_file);
    } else {
      sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    }
  } catch (const spdlog::spdlog_ex& e) {
    return make_error(ErrorCode::kLogSetupFailed,
                      "cannot open log file " + config.log_file + ": " + e.what());
  }
  auto logger = std::make_shared<spdlog::logger>("ecs-mcp",
                                                 std::make_shared<SanitizingSink>(std::move(sink)));
  logger->set_level(
      spdlog::level::from_str(config.log_level == "warning" ? "warn" : config.log_level));
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
  return Status::Ok();
}

}  // namespace ecs_mcp::ecs
