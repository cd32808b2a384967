#include "ecs/config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <map>

#include "support/fake_os.h"

namespace ecs_mcp::ecs {
namespace {

std::shared_ptr<testing::FakeOs> env_of(const std::map<std::string, std::string>& vars) {
  auto os = testing::FakeOs::make();
  for (const auto& [name, value] : vars) os->set(name, value);
  return os;
}

Config load(std::vector<std::string> args, std::map<std::string, std::string> vars,
            std::function<std::optional<std::string>(const std::string&)> profile_region = {}) {
  auto c = load_config(args, *env_of(vars), profile_region);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
  return c.ok() ? *c : Config{};
}

TEST(ParseSwitch, AcceptsTheDocumentedSpellings) {
  for (const char* v : {"true", "TRUE", "True", "1", "yes", "YES", " yes "})
    EXPECT_EQ(parse_switch(v), true) << v;
  for (const char* v : {"false", "FALSE", "0", "no", "No", ""})
    EXPECT_EQ(parse_switch(v), false) << v;
  for (const char* v : {"on", "y", "enabled", "2", "truee"})
    EXPECT_EQ(parse_switch(v), std::nullopt) << v;
}

TEST(Config, SecureByDefault) {
  auto c = load({}, {});
  EXPECT_FALSE(c.allow_write);
  EXPECT_FALSE(c.allow_sensitive_data);
  EXPECT_NE(c.security_summary().find("set ALLOW_WRITE=true"), std::string::npos);
  EXPECT_NE(c.security_summary().find("set ALLOW_SENSITIVE_DATA=true"), std::string::npos);
}

TEST(Config, EnvironmentSwitchesAndAliases) {
  EXPECT_TRUE(load({}, {{"ALLOW_WRITE", "true"}}).allow_write);
  EXPECT_TRUE(load({}, {{"ECS_MCP_ALLOW_WRITE", "Yes"}}).allow_write);
  EXPECT_TRUE(load({}, {{"ALLOW_SENSITIVE_DATA", "1"}}).allow_sensitive_data);
  EXPECT_TRUE(load({}, {{"ECS_MCP_ALLOW_SENSITIVE_DATA", "TRUE"}}).allow_sensitive_data);
  // Both names set and agreeing.
  EXPECT_TRUE(load({}, {{"ALLOW_WRITE", "true"}, {"ECS_MCP_ALLOW_WRITE", "1"}}).allow_write);
  // Disagreeing: the more restrictive wins, whichever name says no.
  EXPECT_FALSE(load({}, {{"ALLOW_WRITE", "true"}, {"ECS_MCP_ALLOW_WRITE", "false"}}).allow_write);
  EXPECT_FALSE(load({}, {{"ALLOW_WRITE", "false"}, {"ECS_MCP_ALLOW_WRITE", "true"}}).allow_write);
  EXPECT_FALSE(load({}, {{"ALLOW_SENSITIVE_DATA", "yes"}, {"ECS_MCP_ALLOW_SENSITIVE_DATA", "no"}})
                   .allow_sensitive_data);
}

TEST(Config, UnrecognisedSwitchValueIsFalseWithAWarning) {
  auto c = load({}, {{"ALLOW_WRITE", "sure"}});
  EXPECT_FALSE(c.allow_write);
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("ALLOW_WRITE=\"sure\""), std::string::npos);
}

TEST(Config, FlagsWinOverEnvironment) {
  EXPECT_TRUE(load({"--allow-write"}, {{"ALLOW_WRITE", "false"}}).allow_write);
  EXPECT_FALSE(load({"--no-allow-write"}, {{"ALLOW_WRITE", "true"}}).allow_write);
  EXPECT_TRUE(load({"--allow-sensitive-data"}, {}).allow_sensitive_data);
  EXPECT_FALSE(load({"--no-allow-sensitive-data"}, {{"ECS_MCP_ALLOW_SENSITIVE_DATA", "true"}})
                   .allow_sensitive_data);
  auto c = load({"--allow-write"}, {});
  EXPECT_EQ(c.allow_write_source, "--allow-write");
  EXPECT_NE(c.security_summary().find("writes ENABLED (--allow-write)"), std::string::npos);
}

TEST(Config, HumanConfirmationIsOffByDefaultAndOnByVariableOrFlag) {
  auto off = load({}, {});
  EXPECT_FALSE(off.require_human_confirmation);
  EXPECT_EQ(off.security_summary().find("confirmation"), std::string::npos);
  EXPECT_FALSE(
      load({}, {{"ECS_MCP_REQUIRE_HUMAN_CONFIRMATION", "false"}}).require_human_confirmation);
  auto on = load({}, {{"ECS_MCP_REQUIRE_HUMAN_CONFIRMATION", "true"}});
  EXPECT_TRUE(on.require_human_confirmation);
  EXPECT_NE(on.security_summary().find("destructive operations need the person's confirmation "
                                       "(ECS_MCP_REQUIRE_HUMAN_CONFIRMATION)"),
            std::string::npos)
      << on.security_summary();
  auto flag =
      load({"--require-human-confirmation"}, {{"ECS_MCP_REQUIRE_HUMAN_CONFIRMATION", "no"}});
  EXPECT_TRUE(flag.require_human_confirmation);
  EXPECT_EQ(flag.require_human_confirmation_source, "--require-human-confirmation");
  // A value that is not a boolean cannot turn the safeguard off.
  auto typo = load({}, {{"ECS_MCP_REQUIRE_HUMAN_CONFIRMATION", "ture"}});
  EXPECT_TRUE(typo.require_human_confirmation);
  ASSERT_EQ(typo.warnings.size(), 1u);
  EXPECT_NE(typo.warnings[0].find("treating it as true"), std::string::npos) << typo.warnings[0];
}

TEST(Config, RegionPrecedence) {
  auto from_profile = [](const std::string& profile) -> std::optional<std::string> {
    if (profile == "default") return "eu-west-1";
    if (profile == "dev") return "ap-south-1";
    return std::nullopt;
  };
  auto c =
      load({}, {{"AWS_REGION", "us-east-2"}, {"AWS_DEFAULT_REGION", "us-west-1"}}, from_profile);
  EXPECT_EQ(c.region, "us-east-2");
  EXPECT_EQ(c.region_source, "AWS_REGION");
  c = load({}, {{"AWS_DEFAULT_REGION", "us-west-1"}}, from_profile);
  EXPECT_EQ(c.region, "us-west-1");
  c = load({}, {{"AWS_REGION", ""}, {"AWS_DEFAULT_REGION", "us-west-1"}}, from_profile);
  EXPECT_EQ(c.region, "us-west-1");
  c = load({}, {}, from_profile);
  EXPECT_EQ(c.region, "eu-west-1");
  EXPECT_EQ(c.region_source, "profile default");
  c = load({}, {{"AWS_PROFILE", "dev"}}, from_profile);
  EXPECT_EQ(c.region, "ap-south-1");
  EXPECT_EQ(c.profile, "dev");
  c = load({"--region", "sa-east-1"}, {{"AWS_REGION", "us-east-2"}}, from_profile);
  EXPECT_EQ(c.region, "sa-east-1");
  c = load({"--profile", "dev"}, {{"AWS_PROFILE", "other"}}, from_profile);
  EXPECT_EQ(c.region, "ap-south-1");
  c = load({}, {{"AWS_PROFILE", "nowhere"}}, from_profile);
  EXPECT_TRUE(c.region.empty());
  EXPECT_NE(c.region_error.find("AWS_REGION"), std::string::npos);
  EXPECT_NE(c.region_error.find("[profile nowhere]"), std::string::npos);
}

TEST(Config, LogSettings) {
  auto c = load({}, {{"FASTMCP_LOG_LEVEL", "DEBUG"}, {"FASTMCP_LOG_FILE", "/tmp/x.log"}});
  EXPECT_EQ(c.log_level, "debug");
  EXPECT_EQ(c.log_file, "/tmp/x.log");
  c = load({}, {{"FASTMCP_LOG_LEVEL", "WARN"}});
  EXPECT_EQ(c.log_level, "warning");
  c = load({"--log-level", "error", "--log-file", "/tmp/y.log"}, {{"FASTMCP_LOG_LEVEL", "DEBUG"}});
  EXPECT_EQ(c.log_level, "error");
  EXPECT_EQ(c.log_file, "/tmp/y.log");
  c = load({}, {{"FASTMCP_LOG_LEVEL", "chatty"}});
  EXPECT_EQ(c.log_level, "info");
  EXPECT_EQ(c.warnings.size(), 1u);
  EXPECT_FALSE(load_config({"--log-level", "chatty"}, *env_of({})).ok());
}

TEST(Config, HelpVersionAndUsageErrors) {
  auto v = load_config({"--version"}, *env_of({}));
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->exit_now);
  EXPECT_EQ(v->exit_code, 0);
  EXPECT_NE(v->exit_text.find("ecs-mcp-server"), std::string::npos);
  auto h = load_config({"--help"}, *env_of({}));
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->exit_now);
  EXPECT_NE(h->exit_text.find("--allow-write"), std::string::npos);
  EXPECT_NE(h->exit_text.find("ALLOW_SENSITIVE_DATA"), std::string::npos);
  auto bad = load_config({"--frobnicate"}, *env_of({}));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("--help"), std::string::npos);
}

TEST(Config, TransportDefaultsToStdio) {
  auto c = load({}, {{"ECS_MCP_AUTH_TOKEN", "ignored-for-stdio"}});
  EXPECT_EQ(c.transport, Config::Transport::kStdio);
  EXPECT_TRUE(c.auth_token.empty());
  EXPECT_EQ(c.transport_summary(), "transport: stdio");
}

TEST(Config, HttpTransportFlags) {
  auto c = load({"--transport", "http"}, {});
  EXPECT_EQ(c.transport, Config::Transport::kHttp);
  EXPECT_EQ(c.http_host, "127.0.0.1");
  EXPECT_EQ(c.http_port, 8080);
  EXPECT_TRUE(c.auth_token.empty());
  EXPECT_FALSE(c.allow_remote_without_token);
  EXPECT_NE(c.transport_summary().find("not required"), std::string::npos);

  c = load({"--transport", "http", "--host", "0.0.0.0", "--port", "9000", "--allow-origin",
            "https://a.example.com", "--allow-origin", "https://b.example.com",
            "--allow-remote-without-token"},
           {});
  EXPECT_EQ(c.http_host, "0.0.0.0");
  EXPECT_EQ(c.http_port, 9000);
  EXPECT_EQ(c.allowed_origins,
            (std::vector<std::string>{"https://a.example.com", "https://b.example.com"}));
  EXPECT_TRUE(c.allow_remote_without_token);

  EXPECT_FALSE(load_config({"--transport", "websocket"}, *env_of({})).ok());
  EXPECT_FALSE(load_config({"--transport", "http", "--port", "70000"}, *env_of({})).ok());
  EXPECT_FALSE(load_config({"--transport", "http", "--port", "x"}, *env_of({})).ok());
}

TEST(Config, HttpFlagsWithoutHttpTransportAreReported) {
  auto c = load({"--port", "9000"}, {});
  EXPECT_EQ(c.transport, Config::Transport::kStdio);
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("--port has no effect without --transport http"), std::string::npos);
}

TEST(Config, AuthTokenFromEnvironmentOrFile) {
  auto c = load({"--transport", "http"}, {{"ECS_MCP_AUTH_TOKEN", "from-env"}});
  EXPECT_EQ(c.auth_token, "from-env");
  EXPECT_EQ(c.auth_token_source, "ECS_MCP_AUTH_TOKEN");
  EXPECT_EQ(c.transport_summary().find("from-env"), std::string::npos);  // never logged

  char path[] = "/tmp/ecs-mcp-token-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string content = "  file-token \n second line ignored\n";
  ASSERT_EQ(::write(fd, content.data(), content.size()), static_cast<ssize_t>(content.size()));
  ::close(fd);
  c = load({"--transport", "http", "--auth-token-file", path},
           {{"ECS_MCP_AUTH_TOKEN", "from-env"}});
  EXPECT_EQ(c.auth_token, "file-token");  // the file wins
  EXPECT_EQ(c.auth_token_source, std::string("--auth-token-file ") + path);
  EXPECT_TRUE(c.warnings.empty());  // mkstemp makes it 0600

  ::chmod(path, 0644);
  c = load({"--transport", "http", "--auth-token-file", path}, {});
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("readable by other users"), std::string::npos);

  std::string empty_path = std::string(path) + ".empty";
  {
    std::FILE* f = std::fopen(empty_path.c_str(), "w");
    std::fputs("\n", f);
    std::fclose(f);
  }
  auto empty = load_config({"--transport", "http", "--auth-token-file", empty_path}, *env_of({}));
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.error().message.find("is empty"), std::string::npos);
  auto missing =
      load_config({"--transport", "http", "--auth-token-file", "/nonexistent/token"}, *env_of({}));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("cannot be read"), std::string::npos);
  std::remove(path);
  std::remove(empty_path.c_str());
}

}  // namespace
}  // namespace ecs_mcp::ecs
