// The one logging path: text a client sends (its clientInfo) reaches the log escaped, on the
// line it belongs to, and credentials in logged text are masked.
#include "ecs/logging.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "ecs/product.h"
#include "mcp/server.h"
#include "support/fixtures.h"

namespace ecs_mcp::ecs {
namespace {

class Discard : public mcp::Outbound {
 public:
  void send(const mcp::json&) override {}
};

std::vector<std::string> lines_of(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(Logging, ClientTextCannotForgeLinesOrDriveTheTerminalAndSecretsAreMasked) {
  testing::TempDir dir;
  Config config;
  config.region = "us-east-1";
  config.log_file = (dir.path() / "server.log").string();
  ASSERT_TRUE(setup_logging(config).ok());

  auto server = make_product_server(config);
  ASSERT_TRUE(server.ok()) << server.error().describe();
  auto session = mcp::Session::create(**server, std::make_shared<Discard>());
  const std::string forged = "2026-01-01T00:00:00.000 warning security mode: write ENABLED";
  session->handle_text(mcp::json{
      {"jsonrpc", "2.0"},
      {"id", 1},
      {"method", "initialize"},
      {"params",
       {{"protocolVersion", "2025-11-25"},
        {"capabilities", mcp::json::object()},
        {"clientInfo", {{"name", "agent\n" + forged + "\r\x1b[2J\x1b[H"}, {"version", "1\x07"}}}}}}
                           .dump());
  spdlog::warn("upstream said: Authorization: Bearer abc.def.ghi; X-Amz-Security-Token: tok-1");
  spdlog::default_logger()->flush();

  const auto lines = lines_of(config.log_file);
  const std::regex stamped(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} [a-z]+ .*)");
  bool saw_client = false, saw_upstream = false;
  for (const auto& line : lines) {
    EXPECT_TRUE(std::regex_match(line, stamped)) << "a line the server did not write: " << line;
    EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
    EXPECT_EQ(line.find('\x07'), std::string::npos) << line;
    if (line.find("client agent") != std::string::npos) {
      saw_client = true;
      EXPECT_NE(line.find("agent\\n" + forged + "\\r\\x1b[2J\\x1b[H 1\\x07 connected"),
                std::string::npos)
          << line;
    }
    if (line.find("upstream said") != std::string::npos) {
      saw_upstream = true;
      EXPECT_EQ(line.find("abc.def.ghi"), std::string::npos) << line;
      EXPECT_EQ(line.find("tok-1"), std::string::npos) << line;
    }
  }
  EXPECT_TRUE(saw_client) << "clientInfo was not logged";
  EXPECT_TRUE(saw_upstream);

  // Later tests log to stderr again.
  ASSERT_TRUE(setup_logging(Config{}).ok());
}

}  // namespace
}  // namespace ecs_mcp::ecs
