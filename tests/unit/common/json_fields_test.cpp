#include "common/json_fields.h"

#include <gtest/gtest.h>

namespace ecs_mcp {
namespace {

TEST(JsonFields, StringFieldReadsStringsAndNothingElse) {
  const auto doc = nlohmann::json::parse(
      R"({"name": "web", "count": 3, "flag": true, "nested": {"a": "b"}, "nothing": null})");
  EXPECT_EQ(string_field(doc, "name"), "web");
  EXPECT_EQ(string_field(doc, "count"), "");
  EXPECT_EQ(string_field(doc, "flag"), "");
  EXPECT_EQ(string_field(doc, "nested"), "");
  EXPECT_EQ(string_field(doc, "nothing"), "");
  EXPECT_EQ(string_field(doc, "absent"), "");
  EXPECT_EQ(string_field(doc["nested"], "a"), "b");
}

TEST(JsonFields, NonObjectsReadAsEmpty) {
  EXPECT_EQ(string_field(nlohmann::json::array({"name"}), "name"), "");
  EXPECT_EQ(string_field(nlohmann::json("name"), "name"), "");
  EXPECT_EQ(string_field(nlohmann::json(), "name"), "");
}

}  // namespace
}  // namespace ecs_mcp
