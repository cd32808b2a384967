// The pinned toolchain table (templates/toolchains.json): its shape, how a requested release
// line picks a pinned version, and that no pinned line has reached its end of life.
#include "ecs/deployment/detection/toolchains.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

namespace ecs_mcp::ecs::detection {
namespace {

// Today's date in UTC as YYYY-MM-DD, which orders like the dates in the table.
std::string today_utc() {
  const auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd{days};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

TEST(Toolchains, TheEmbeddedTableParsesAndHasEveryToolchainTheDetectorsUse) {
  const auto& table = load_toolchains();
  ASSERT_TRUE(table.ok()) << table.error().message;
  for (auto name : Toolchains::required()) {
    EXPECT_NE(table->find(name), nullptr) << name;
  }
  EXPECT_EQ(table->get("dotnet").pick("10.0").sdk, "10.0.100");
  // A line past its end of life is sent to a supported one.
  EXPECT_EQ(table->get("dotnet").pick("8.0").version, "10.0.0");
  EXPECT_EQ(table->get("node").pick("18").version, table->get("node").pick("22").version);
}

TEST(Toolchains, ARequestedLinePicksItsPinAnAliasOrTheDefault) {
  auto t = Toolchains::parse(R"({"toolchains": {"go": {
      "default": "1.23", "aliases": {"1.21": "1.22"},
      "lines": {"1.22": {"version": "1.22.10", "eol": "2025-02-11"},
                "1.23": {"version": "1.23.4", "eol": null}}}}})");
  // The table above lacks the other required toolchains.
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("no toolchain"), std::string::npos) << t.error().message;

  Toolchain go;
  go.default_line = "1.23";
  go.aliases = {{"1.21", "1.22"}};
  go.lines = {{"1.22", {"1.22", "1.22.10", "", "2025-02-11"}},
              {"1.23", {"1.23", "1.23.4", "", std::nullopt}}};
  EXPECT_EQ(go.pick("1.22").version, "1.22.10");
  EXPECT_EQ(go.pick("1.21").version, "1.22.10");
  EXPECT_EQ(go.pick("1.19").version, "1.23.4");
  EXPECT_EQ(go.pick("").version, "1.23.4");
  EXPECT_EQ(go.version(), "1.23.4");
  EXPECT_TRUE(go.has_line("1.22"));
  EXPECT_FALSE(go.has_line("1.21"));
}

TEST(Toolchains, MalformedDataIsRefusedWithTheReason) {
  auto refused = [](const char* text) {
    auto t = Toolchains::parse(text);
    return t.ok() ? std::string() : t.error().message;
  };
  EXPECT_NE(refused("not json").find("toolchains"), std::string::npos);
  EXPECT_NE(refused(R"({"toolchains": {"x": {"default": "2", "lines": {
                "1": {"version": "1.0", "eol": null}}}}})")
                .find("default line 2"),
            std::string::npos);
  EXPECT_NE(refused(R"({"toolchains": {"x": {"default": "1", "lines": {
                "1": {"version": "1.0"}}}}})")
                .find("eol"),
            std::string::npos);
  EXPECT_NE(refused(R"({"toolchains": {"x": {"default": "1", "lines": {
                "1": {"version": "1.0", "eol": "soon"}}}}})")
                .find("YYYY-MM-DD"),
            std::string::npos);
  EXPECT_NE(refused(R"({"toolchains": {"x": {"default": "1", "aliases": {"0": "9"}, "lines": {
                "1": {"version": "1.0", "eol": null}}}}})")
                .find("alias 0"),
            std::string::npos);
}

TEST(Toolchains, NoPinnedLineIsPastItsEndOfLife) {
  const auto& table = load_toolchains();
  ASSERT_TRUE(table.ok()) << table.error().message;
  const std::string today = today_utc();
  for (const auto& t : table->all()) {
    for (const auto& [line, pin] : t.lines) {
      if (!pin.eol) continue;
      EXPECT_GT(*pin.eol, today) << t.name << " " << line << " (pinned " << pin.version
                                 << ") reached its end of life on " << *pin.eol
                                 << ": pin a supported release in templates/toolchains.json";
    }
  }
}

}  // namespace
}  // namespace ecs_mcp::ecs::detection
