// The AWS CLI commands create_ecs_infrastructure suggests are meant to be pasted into a shell:
// every value in them must reach the CLI as one literal argument, whatever the app path or the
// health check path holds, and a health check path with shell syntax is refused outright.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "ecs/deployment/infrastructure.h"
#include "support/fake_aws_context.h"
#include "support/fake_http_client.h"
#include "support/fixtures.h"
#include "support/null_tool_context.h"
#include "support/python.h"

namespace ecs_mcp::ecs {
namespace {

namespace fs = std::filesystem;
using mcp::json;

class InfrastructureSecurityTest : public ::testing::Test {
 protected:
  mcp::Tool tool() { return make_create_infrastructure_tool(testing::fake_aws_context(http), {}); }
  fs::path copy_app(const std::string& dir_name) {
    fs::path dst = tmp.path() / dir_name;
    fs::copy(testing::sample_app("node-express"), dst, fs::copy_options::recursive);
    return dst;
  }
  mcp::ToolResult run(const json& args) {
    testing::NullToolContext ctx;
    return tool().handler(args, ctx);
  }
  static std::string text(const mcp::ToolResult& r) {
    return r.content.empty() ? "" : r.content[0].value("text", "");
  }

  // The arguments a shell passes to `aws` for `command` ("aws ..."), one per element.
  static std::vector<std::string> shell_words(const std::string& command) {
    EXPECT_EQ(command.rfind("aws ", 0), 0u) << command;
    auto r = testing::run_command("printf '%s\\n' " + command.substr(4));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    std::vector<std::string> words;
    std::istringstream in(r.output);
    for (std::string line; std::getline(in, line);) words.push_back(line);
    return words;
  }
  static std::string after(const std::vector<std::string>& words, const std::string& flag) {
    for (size_t i = 0; i + 1 < words.size(); ++i) {
      if (words[i] == flag) return words[i + 1];
    }
    return "<missing " + flag + ">";
  }

  std::shared_ptr<testing::FakeHttpClient> http = std::make_shared<testing::FakeHttpClient>();
  testing::TempDir tmp;
};

TEST_F(InfrastructureSecurityTest, AHealthCheckPathWithShellSyntaxIsRefused) {
  fs::path app = copy_app("web");
  for (const std::string& hostile :
       {std::string("/$(touch /tmp/ecs-mcp-pwned)"), std::string("/health'$(id)'"),
        std::string("/`id`"), std::string("/a;id"), std::string("/a|id"), std::string("/a&id"),
        std::string("/a b"), std::string("/a\"b"), std::string("/a\\b"), std::string("/a\nb"),
        std::string("/a*"), std::string("/a?b=1"), std::string("/a>b"), std::string("/a!b"),
        std::string("/$HOME")}) {
    auto r =
        run({{"app_name", "shop"}, {"app_path", app.string()}, {"health_check_path", hostile}});
    ASSERT_TRUE(r.is_error) << hostile;
    EXPECT_NE(text(r).find("health_check_path"), std::string::npos) << text(r);
  }
  EXPECT_FALSE(fs::exists(app / kTemplatesDirectory)) << "refused before anything is written";
  for (const char* fine : {"/", "/health", "/actuator/health", "/v1/status-check_2.json",
                           "/~user/%7Eping", "/api:ping@v2,x+y=z"}) {
    auto r = run({{"app_name", "shop"}, {"app_path", app.string()}, {"health_check_path", fine}});
    ASSERT_FALSE(r.is_error) << fine << ": " << text(r);
    EXPECT_EQ((*r.structured)["parameters"]["HealthCheckPath"], fine);
  }
  EXPECT_EQ(http->count(), 0);
}

TEST_F(InfrastructureSecurityTest, TheSuggestedCommandsPassEveryValueLiterallyThroughTheShell) {
  // A directory name a shell would split, expand and choke on: quotes, $(...), backquotes.
  fs::path app = copy_app("it's a \"web\" $(echo INJECTED) `echo INJECTED` app; x=1 * ~");
  auto r =
      run({{"app_name", "shop"}, {"app_path", app.string()}, {"health_check_path", "/health"}});
  ASSERT_FALSE(r.is_error) << text(r);
  const json& out = *r.structured;
  std::string advice;
  for (const auto& s : out["next_steps"]) {
    if (s.get<std::string>().find("aws cloudformation deploy") != std::string::npos)
      advice = s.get<std::string>();
  }
  ASSERT_FALSE(advice.empty()) << out["next_steps"].dump();
  size_t first = advice.find("aws cloudformation deploy");
  size_t first_end = advice.find("; push your image");
  size_t second = advice.find("aws cloudformation deploy", first + 1);
  ASSERT_NE(first_end, std::string::npos) << advice;
  ASSERT_NE(second, std::string::npos) << advice;

  auto ecr = shell_words(advice.substr(first, first_end - first));
  EXPECT_EQ(after(ecr, "--template-file"),
            (app / kTemplatesDirectory / "shop-ecr-infrastructure.json").string());
  EXPECT_EQ(after(ecr, "--parameter-overrides"), "AppName=shop");

  auto ecs = shell_words(advice.substr(second));
  EXPECT_EQ(after(ecs, "--stack-name"), "shop-ecs-infrastructure");
  EXPECT_EQ(after(ecs, "--template-file"),
            (app / kTemplatesDirectory / "shop-ecs-infrastructure.json").string());
  // Every parameter arrives as one Key=Value word, exactly as in the parameters file.
  auto at = std::find(ecs.begin(), ecs.end(), "--parameter-overrides");
  ASSERT_NE(at, ecs.end());
  std::vector<std::string> overrides(at + 1, std::find(at, ecs.end(), "--tags"));
  std::vector<std::string> expected;
  for (const auto& [k, v] : out["parameters"].items())
    expected.push_back(k + "=" + v.get<std::string>());
  EXPECT_EQ(overrides, expected);
  EXPECT_NE(std::find(overrides.begin(), overrides.end(), "ImageUri=<repository-uri>:<tag>"),
            overrides.end());
  for (const auto& w : ecr) EXPECT_NE(w, "INJECTED");
  for (const auto& w : ecs) EXPECT_NE(w, "INJECTED");
}

}  // namespace
}  // namespace ecs_mcp::ecs
