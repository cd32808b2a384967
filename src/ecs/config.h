// Config: everything the server is told at start, from flags and the environment.
//
// Flags win over the environment. ALLOW_WRITE / ALLOW_SENSITIVE_DATA are on when set to
// "true", "1" or "yes" (any case); the host agents' names ECS_MCP_ALLOW_WRITE /
// ECS_MCP_ALLOW_SENSITIVE_DATA mean the same, and when both names are set and disagree the
// more restrictive value wins. FASTMCP_LOG_LEVEL / FASTMCP_LOG_FILE are honoured so the
// server drops into configurations written for the Python server.
//
// Transport: stdio by default; `--transport http` serves MCP's Streamable HTTP on --host
// (127.0.0.1) and --port (8080). The bearer token comes from --auth-token-file (first line,
// surrounding whitespace dropped) or else ECS_MCP_AUTH_TOKEN; a token is never a flag, so it
// does not show in the process list.
//
// Thread-safety: a plain value, built once in main().
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/os.h"
#include "common/result.h"
#include "ecs/docs/docs_settings.h"

namespace ecs_mcp::ecs {

struct Config {
  bool allow_write = false;
  bool allow_sensitive_data = false;
  // Where each switch's value came from, for the start-up log line.
  std::string allow_write_source = "default";
  std::string allow_sensitive_data_source = "default";
  // ECS_MCP_REQUIRE_HUMAN_CONFIRMATION / --require-human-confirmation: destructive operations
  // need the person's yes through MCP elicitation. A value that is not a recognised boolean
  // turns it on (the safer reading).
  bool require_human_confirmation = false;
  std::string require_human_confirmation_source = "default";

  std::string profile;        // empty: the AWS default chain decides
  std::string region;         // empty when unresolved; region_error says why
  std::string region_source;  // "--region", "AWS_REGION", "AWS_DEFAULT_REGION", "profile x"
  std::string region_error;

  enum class Transport { kStdio, kHttp };
  Transport transport = Transport::kStdio;
  std::string http_host = "127.0.0.1";
  uint16_t http_port = 8080;
  std::string auth_token;                    // empty: no authentication; never logged
  std::string auth_token_source;             // "--auth-token-file PATH" or "ECS_MCP_AUTH_TOKEN"
  std::vector<std::string> allowed_origins;  // browser origins beyond the server's own
  bool allow_remote_without_token = false;

  std::string log_level = "info";  // trace, debug, info, warning, error, critical, off
  std::string log_file;            // empty: stderr

  DocsSettings docs;  // the AWS documentation tools (ECS_MCP_DOCS, ECS_MCP_KNOWLEDGE_URL, ...)

  // Problems noticed while reading the environment, logged once logging is set up.
  std::vector<std::string> warnings;

  // Set when --help or --version was handled: print `exit_text` and exit with `exit_code`.
  bool exit_now = false;
  int exit_code = 0;
  std::string exit_text;

  std::string security_summary() const;
  // One line for the start-up log: where the HTTP transport listens and how it is guarded.
  std::string transport_summary() const;
};

// "true"/"1"/"yes" (any case) -> true; "false"/"0"/"no"/"" -> false; anything else -> nullopt.
std::optional<bool> parse_switch(std::string_view value);

// Parses flags and the environment (and the token file) of `os`. A usage error is an Error
// whose message is ready to print.
// `profile_region` looks up the region of a named profile in the shared config files.
Result<Config> load_config(
    const std::vector<std::string>& args, const Os& os,
    const std::function<std::optional<std::string>(const std::string& profile)>& profile_region =
        {});

}  // namespace ecs_mcp::ecs
