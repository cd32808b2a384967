#include "ecs/config.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>

#include "common/strings.h"
#include "common/token_file.h"

namespace ecs_mcp::ecs {

#ifndef ECS_MCP_VERSION
#define ECS_MCP_VERSION "0.0.0"
#endif

std::optional<bool> parse_switch(std::string_view value) {
  std::string v = ascii_lower(value);
  v.erase(0, v.find_first_not_of(" \t"));
  v.erase(v.find_last_not_of(" \t") + 1);
  if (v == "true" || v == "1" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "no" || v.empty()) return false;
  return std::nullopt;
}

namespace {

struct SwitchValue {
  bool value = false;
  std::string source = "default";
};

// Reads a switch from its primary and alias variable names; the more restrictive wins when
// both are set and disagree. A value that is not a recognised boolean counts as false and is
// reported, so a typo can never switch writes on.
Result<SwitchValue> read_switch(const Os& os, const std::string& primary, const std::string& alias,
                                std::vector<std::string>& warnings) {
  SwitchValue out;
  bool any = false;
  bool combined = true;
  std::vector<std::string> sources;
  for (const auto& name : {primary, alias}) {
    auto raw = os.getenv(name);
    if (!raw) continue;
    auto parsed = parse_switch(*raw);
    if (!parsed) {
      warnings.push_back(name + "=\"" + *raw +
                         "\" is not true/false/1/0/yes/no; treating it as false");
    }
    combined = combined && parsed.value_or(false);
    sources.push_back(name);
    any = true;
  }
  if (any) {
    out.value = combined;
    out.source = sources.size() == 2 ? sources[0] + " and " + sources[1] : sources[0];
  }
  return out;
}

std::string normalise_log_level(std::string level) {
  level = ascii_lower(level);
  if (level == "warn") return "warning";
  if (level == "fatal") return "critical";
  return level;
}

bool known_log_level(const std::string& level) {
  for (const char* l : {"trace", "debug", "info", "warning", "error", "critical", "off"}) {
    if (level == l) return true;
  }
  return false;
}

}  // namespace

std::string Config::transport_summary() const {
  if (transport == Transport::kStdio) return "transport: stdio";
  std::string s =
      "transport: Streamable HTTP on " + http_host + ":" + std::to_string(http_port) +
      ", bearer token " +
      (auth_token.empty() ? std::string("not required") : "required (" + auth_token_source + ")");
  if (!allowed_origins.empty()) {
    s += ", extra allowed origins:";
    for (const auto& o : allowed_origins) s += " " + o;
  }
  return s;
}

std::string Config::security_summary() const {
  std::string s = "security mode: writes ";
  s += allow_write ? "ENABLED (" + allow_write_source + ")"
                   : "disabled (set ALLOW_WRITE=true to enable)";
  s += ", sensitive data ";
  s += allow_sensitive_data ? "ENABLED (" + allow_sensitive_data_source + ")"
                            : "disabled (set ALLOW_SENSITIVE_DATA=true to enable)";
  if (require_human_confirmation) {
    s += ", destructive operations need the person's confirmation (" +
         require_human_confirmation_source + ")";
  }
  return s;
}

Result<Config> load_config(
    const std::vector<std::string>& args, const Os& os,
    const std::function<std::optional<std::string>(const std::string& profile)>& profile_region) {
  Config config;
  std::vector<std::string> warnings;

  CLI::App app{
      "ecs-mcp-server: a Model Context Protocol server for Amazon ECS.\n"
      "Speaks MCP over stdio, or Streamable HTTP with --transport http. Write and\n"
      "sensitive-data operations are refused unless enabled.\n"
      "Environment: ALLOW_WRITE, ALLOW_SENSITIVE_DATA (or ECS_MCP_ALLOW_WRITE,\n"
      "ECS_MCP_ALLOW_SENSITIVE_DATA), AWS_REGION, AWS_DEFAULT_REGION, AWS_PROFILE,\n"
      "FASTMCP_LOG_LEVEL, FASTMCP_LOG_FILE, ECS_MCP_AUTH_TOKEN, ECS_MCP_DOCS (off removes\n"
      "the documentation tools), ECS_MCP_KNOWLEDGE_URL, ECS_MCP_DOCS_RECOMMEND_URL,\n"
      "ECS_MCP_REQUIRE_HUMAN_CONFIRMATION.\n"
      "Flags win over the environment.",
      "ecs-mcp-server"};
  app.set_version_flag("--version", std::string("ecs-mcp-server ") + ECS_MCP_VERSION);
  bool flag_write = false;
  bool flag_sensitive = false;
  auto* write_opt = app.add_flag("--allow-write,!--no-allow-write", flag_write,
                                 "Allow operations that create, change or delete resources");
  auto* sensitive_opt =
      app.add_flag("--allow-sensitive-data,!--no-allow-sensitive-data", flag_sensitive,
                   "Allow reading logs and other data that may contain secrets");
  auto* confirm_opt =
      app.add_flag("--require-human-confirmation", config.require_human_confirmation,
                   "Destructive operations need the person's confirmation through MCP elicitation "
                   "(default: ECS_MCP_REQUIRE_HUMAN_CONFIRMATION)");
  std::string flag_region, flag_profile, flag_log_level, flag_log_file;
  app.add_option("--region", flag_region,
                 "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION, "
                 "then the profile's region)");
  app.add_option("--profile", flag_profile,
                 "AWS profile from ~/.aws/config (default: AWS_PROFILE)");
  app.add_option("--log-level", flag_log_level,
                 "trace, debug, info, warning, error, critical or off (default: "
                 "FASTMCP_LOG_LEVEL, else info)");
  app.add_option("--log-file", flag_log_file,
                 "Write logs to this file instead of stderr (default: FASTMCP_LOG_FILE)");

  std::string flag_transport = "stdio";
  app.add_option("--transport", flag_transport, "stdio (default) or http")
      ->check(CLI::IsMember({"stdio", "http"}));
  auto* host_opt = app.add_option("--host", config.http_host,
                                  "HTTP: address to listen on (default 127.0.0.1; another address "
                                  "needs a token or --allow-remote-without-token)");
  auto* port_opt = app.add_option("--port", config.http_port,
                                  "HTTP: port to listen on (default 8080; 0 "
                                  "picks a free port)");
  std::string token_file;
  auto* token_opt =
      app.add_option("--auth-token-file", token_file,
                     "HTTP: require \"Authorization: Bearer <token>\" with the token in "
                     "this file (default: ECS_MCP_AUTH_TOKEN)");
  auto* origin_opt =
      app.add_option("--allow-origin", config.allowed_origins,
                     "HTTP: also accept browser requests from this origin, e.g. "
                     "http://localhost:6274 for a browser-based inspector (repeatable; "
                     "only the server's own origin is accepted otherwise)");
  auto* remote_opt = app.add_flag("--allow-remote-without-token", config.allow_remote_without_token,
                                  "HTTP: allow a non-loopback --host without a token (only behind "
                                  "something that authenticates clients)");

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::Success& e) {  // --help or --version
    config.exit_now = true;
    config.exit_code = 0;
    config.exit_text = e.get_name() == "CallForVersion" ? std::string(e.what()) : app.help();
    if (config.exit_text.empty() || config.exit_text.back() != '\n') config.exit_text += '\n';
    return config;
  } catch (const CLI::ParseError& e) {
    return make_error(ErrorCode::kUsageError,
                      std::string(e.what()) + "\nRun with --help for the options.");
  }

  auto write = read_switch(os, "ALLOW_WRITE", "ECS_MCP_ALLOW_WRITE", warnings);
  auto sensitive =
      read_switch(os, "ALLOW_SENSITIVE_DATA", "ECS_MCP_ALLOW_SENSITIVE_DATA", warnings);
  config.allow_write = write->value;
  config.allow_write_source = write->source;
  config.allow_sensitive_data = sensitive->value;
  config.allow_sensitive_data_source = sensitive->source;
  if (write_opt->count() > 0) {
    config.allow_write = flag_write;
    config.allow_write_source = flag_write ? "--allow-write" : "--no-allow-write";
  }
  if (sensitive_opt->count() > 0) {
    config.allow_sensitive_data = flag_sensitive;
    config.allow_sensitive_data_source =
        flag_sensitive ? "--allow-sensitive-data" : "--no-allow-sensitive-data";
  }

  if (confirm_opt->count() > 0) {
    config.require_human_confirmation_source = "--require-human-confirmation";
  } else if (auto raw = os.getenv("ECS_MCP_REQUIRE_HUMAN_CONFIRMATION")) {
    auto parsed = parse_switch(*raw);
    if (!parsed) {
      warnings.push_back("ECS_MCP_REQUIRE_HUMAN_CONFIRMATION=\"" + *raw +
                         "\" is not true/false/1/0/yes/no; treating it as true");
    }
    config.require_human_confirmation = parsed.value_or(true);
    config.require_human_confirmation_source = "ECS_MCP_REQUIRE_HUMAN_CONFIRMATION";
  }

  config.profile = !flag_profile.empty() ? flag_profile : os.getenv("AWS_PROFILE").value_or("");

  auto non_empty = [&](const char* name) -> std::optional<std::string> {
    auto v = os.getenv(name);
    if (v && !v->empty()) return v;
    return std::nullopt;
  };
  if (!flag_region.empty()) {
    config.region = flag_region;
    config.region_source = "--region";
  } else if (auto r = non_empty("AWS_REGION")) {
    config.region = *r;
    config.region_source = "AWS_REGION";
  } else if (auto r2 = non_empty("AWS_DEFAULT_REGION")) {
    config.region = *r2;
    config.region_source = "AWS_DEFAULT_REGION";
  } else {
    std::string profile = config.profile.empty() ? "default" : config.profile;
    std::optional<std::string> from_profile;
    if (profile_region) from_profile = profile_region(profile);
    if (from_profile && !from_profile->empty()) {
      config.region = *from_profile;
      config.region_source = "profile " + profile;
    } else {
      config.region_error =
          "No AWS region is configured. Set AWS_REGION (for example AWS_REGION=us-east-1), "
          "pass --region, or add `region = ...` to the [" +
          (profile == "default" ? std::string("default") : "profile " + profile) +
          "] section of ~/.aws/config.";
    }
  }

  std::string level =
      !flag_log_level.empty() ? flag_log_level : os.getenv("FASTMCP_LOG_LEVEL").value_or("info");
  level = normalise_log_level(level);
  if (!known_log_level(level)) {
    if (!flag_log_level.empty()) {
      return make_error(ErrorCode::kUsageError,
                        "--log-level " + flag_log_level +
                            " is not one of trace, debug, info, warning, error, "
                            "critical, off");
    }
    warnings.push_back("FASTMCP_LOG_LEVEL=" + level + " is not a known level; using info");
    level = "info";
  }
  config.log_level = level;
  config.log_file =
      !flag_log_file.empty() ? flag_log_file : os.getenv("FASTMCP_LOG_FILE").value_or("");

  config.transport =
      flag_transport == "http" ? Config::Transport::kHttp : Config::Transport::kStdio;
  if (config.transport == Config::Transport::kHttp) {
    if (config.http_host.empty())
      return make_error(ErrorCode::kUsageError, "--host must not be empty");
    if (!token_file.empty()) {
      auto token = read_token_file(os, token_file, warnings);
      if (!token.ok()) return token.error();
      config.auth_token = *token;
      config.auth_token_source = "--auth-token-file " + token_file;
    } else if (auto t = os.getenv("ECS_MCP_AUTH_TOKEN"); t && !t->empty()) {
      config.auth_token = *t;
      config.auth_token_source = "ECS_MCP_AUTH_TOKEN";
    }
  } else {
    for (auto* opt : {host_opt, port_opt, token_opt, origin_opt, remote_opt}) {
      if (opt->count() > 0) {
        warnings.push_back(opt->get_name() + " has no effect without --transport http");
      }
    }
  }

  config.docs = read_docs_settings(os, warnings);
  config.warnings = std::move(warnings);
  return config;
}

}  // namespace ecs_mcp::ecs
