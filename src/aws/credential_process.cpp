// credential_process: run a command that prints credentials as JSON.

#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "aws/credential_providers.h"
#include "common/json_fields.h"
#include "common/secret_scrubber.h"
#include "common/subprocess.h"

namespace ecs_mcp::aws {

namespace {

constexpr size_t kMaxOutput = 1 << 20;  // a credentials document is a few hundred bytes

// What a failed command's message may quote, without credentials: the command line loses the
// values of its credential arguments (`--password x`, `TOKEN=x`), and its stderr loses those
// same values (helpers echo their arguments) and any known secret format.
class FailureText {
 public:
  explicit FailureText(const std::string& command) {
    std::vector<std::string> words;
    std::istringstream in(command);
    for (std::string w; in >> w;) words.push_back(w);
    std::vector<std::string> masked = words;
    if (mask_credential_arguments(masked, kMarker) > 0) {
      for (size_t i = 0; i < words.size(); ++i) {
        if (masked[i] == words[i]) continue;
        // "--password=x" keeps "--password=": the value is what follows the common prefix.
        size_t common = 0;
        while (common < words[i].size() && common < masked[i].size() &&
               words[i][common] == masked[i][common])
          ++common;
        if (words[i].size() - common >= 3) secrets_.push_back(words[i].substr(common));
      }
    }
    command_ = scrub_secrets(mask_credential_arguments(command, kMarker));
  }

  const std::string& command() const { return command_; }

  std::string stderr_text(std::string s, size_t limit = 1000) const {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    for (const auto& secret : secrets_) {
      for (size_t at; (at = s.find(secret)) != std::string::npos;)
        s.replace(at, secret.size(), kMarker);
    }
    s = scrub_secrets(s);
    if (s.size() > limit) s = s.substr(0, limit) + "...";
    return s;
  }

 private:
  static constexpr const char* kMarker = "[REDACTED]";
  std::string command_;
  std::vector<std::string> secrets_;
};

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

Result<Credentials> run_credential_process(const Os& os, const std::string& command,
                                           std::chrono::seconds timeout, std::string source) {
  SubprocessOptions options;
  options.timeout = timeout;
  options.max_output_bytes = kMaxOutput;
  auto ran = os.run({"/bin/sh", "-c", command}, options);
  if (!ran) {
    return make_error(ErrorCode::kCredentialProcessError, source + ": " + ran.error().message);
  }
  const FailureText text(command);
  const std::string quoted = source + " (`" + text.command() + "`)";
  if (ran->stop == SubprocessResult::Stop::kTimedOut) {
    return make_error(
        ErrorCode::kCredentialProcessError,
        quoted + " did not finish within " + std::to_string(timeout.count()) + " s and was killed");
  }
  if (ran->signal != 0) {
    return make_error(ErrorCode::kCredentialProcessError, quoted + " was killed by signal " +
                                                              std::to_string(ran->signal) + ": " +
                                                              text.stderr_text(ran->err));
  }
  if (ran->exit_code != 0) {
    std::string message = quoted + " exited with status " + std::to_string(ran->exit_code);
    const std::string err = text.stderr_text(ran->err);
    message += err.empty() ? " and printed nothing on stderr" : ": " + err;
    return make_error(ErrorCode::kCredentialProcessError, std::move(message));
  }
  return parse_credential_process_output(ran->out, std::move(source));
}

}  // namespace ecs_mcp::aws
