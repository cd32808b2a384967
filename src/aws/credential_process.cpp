// credential_process: run a command that prints credentials as JSON.

#include <nlohmann/json.hpp>

#include "aws/credential_providers.h"
#include "common/json_fields.h"
#include "common/subprocess.h"

namespace ecs_mcp::aws {

namespace {

constexpr size_t kMaxOutput = 1 << 20;  // a credentials document is a few hundred bytes

std::string trim_for_message(std::string s, size_t limit = 1000) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  if (s.size() > limit) s = s.substr(0, limit) + "...";
  return s;
}

}  // namespace

Result<Credentials> parse_credential_process_output(std::string_view json, std::string source) {
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  auto fail = [&](const std::string& why) {
    return make_error(ErrorCode::kCredentialProcessError, source + ": " + why);
  };
  if (doc.is_discarded() || !doc.is_object()) {
    // Never quote the output: a misconfigured command (e.g. `export-credentials --format
    // env`) prints the very keys this error would then carry to the client.
    return fail("the command's output (" + std::to_string(json.size()) +
                " bytes) is not a JSON object; it must print {\"Version\": 1, \"AccessKeyId\": "
                "..., \"SecretAccessKey\": ...}");
  }
  const auto version = doc.find("Version");
  if (version == doc.end() || !version->is_number_integer() || version->get<int>() != 1) {
    return fail("the command's output must have \"Version\": 1");
  }
  Credentials out;
  out.access_key_id = string_field(doc, "AccessKeyId");
  out.secret_access_key = string_field(doc, "SecretAccessKey");
  out.session_token = string_field(doc, "SessionToken");
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    return fail("the command's output lacks AccessKeyId or SecretAccessKey");
  }
  if (const std::string expiration = string_field(doc, "Expiration"); !expiration.empty()) {
    out.expiration = parse_iso8601(expiration);
    if (!out.expiration) return fail("Expiration is not an ISO 8601 time");
  }
  out.source = std::move(source);
  return out;
}

Result<Credentials> run_credential_process(const std::string& command, std::chrono::seconds timeout,
                                           std::string source) {
  SubprocessOptions options;
  options.timeout = timeout;
  options.max_output_bytes = kMaxOutput;
  auto ran = run_subprocess({"/bin/sh", "-c", command}, options);
  if (!ran) {
    return make_error(ErrorCode::kCredentialProcessError, source + ": " + ran.error().message);
  }
  const std::string quoted = source + " (`" + command + "`)";
  if (ran->stop == SubprocessResult::Stop::kTimedOut) {
    return make_error(
        ErrorCode::kCredentialProcessError,
        quoted + " did not finish within " + std::to_string(timeout.count()) + " s and was killed");
  }
  if (ran->signal != 0) {
    return make_error(ErrorCode::kCredentialProcessError, quoted + " was killed by signal " +
                                                              std::to_string(ran->signal) + ": " +
                                                              trim_for_message(ran->err));
  }
  if (ran->exit_code != 0) {
    std::string message = quoted + " exited with status " + std::to_string(ran->exit_code);
    const std::string err = trim_for_message(ran->err);
    message += err.empty() ? " and printed nothing on stderr" : ": " + err;
    return make_error(ErrorCode::kCredentialProcessError, std::move(message));
  }
  return parse_credential_process_output(ran->out, std::move(source));
}

}  // namespace ecs_mcp::aws
