#include "mcp/json_schema.h"

#include <gtest/gtest.h>

namespace ecs_mcp::mcp {
namespace {

using json = nlohmann::json;

const json kSchema = json::parse(R"({
  "type": "object",
  "properties": {
    "name": {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]+$"},
    "count": {"type": "integer", "minimum": 1, "maximum": 10},
    "mode": {"type": "string", "enum": ["a", "b"]},
    "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
    "ratio": {"type": ["number", "null"], "exclusiveMinimum": 0},
    "nested": {"type": "object", "properties": {"x": {"type": "boolean"}}, "required": ["x"],
               "additionalProperties": false}
  },
  "required": ["name"]
})");

TEST(JsonSchema, AcceptsValidValues) {
  EXPECT_FALSE(validate_against_schema(kSchema, json::parse(R"({"name":"abc"})")));
  EXPECT_FALSE(validate_against_schema(
      kSchema,
      json::parse(
          R"({"name":"ab","count":3.0,"mode":"b","tags":["x"],"ratio":null,"nested":{"x":true},"extra":1})")));
}

struct Bad {
  const char* value;
  const char* expect;  // substring of the message
};

class JsonSchemaRejects : public ::testing::TestWithParam<Bad> {};

TEST_P(JsonSchemaRejects, WithALocatedMessage) {
  auto e = validate_against_schema(kSchema, json::parse(GetParam().value));
  ASSERT_TRUE(e) << GetParam().value;
  EXPECT_NE(e->find(GetParam().expect), std::string::npos) << *e;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, JsonSchemaRejects,
    ::testing::Values(Bad{R"({})", "missing required property \"name\""},
                      Bad{R"([])", "arguments: expected object, got array"},
                      Bad{R"({"name":5})", "name: expected string, got integer"},
                      Bad{R"({"name":""})", "at least 1"}, Bad{R"({"name":"abcdef"})", "at most 5"},
                      Bad{R"({"name":"AB"})", "does not match the pattern"},
                      Bad{R"({"name":"a","count":"3"})", "count: expected integer, got string"},
                      Bad{R"({"name":"a","count":2.5})", "count: expected integer, got number"},
                      Bad{R"({"name":"a","count":0})", "count: must be >= 1"},
                      Bad{R"({"name":"a","count":11})", "count: must be <= 10"},
                      Bad{R"({"name":"a","mode":"c"})", "mode: \"c\" is not one of: \"a\", \"b\""},
                      Bad{R"({"name":"a","tags":[1]})", "tags[0]: expected string"},
                      Bad{R"({"name":"a","tags":["a","b","c"]})", "at most 2"},
                      Bad{R"({"name":"a","ratio":0})", "ratio: must be > 0"},
                      Bad{R"({"name":"a","ratio":"x"})", "expected number or null"},
                      Bad{R"({"name":"a","nested":{}})", "nested: missing required property \"x\""},
                      Bad{R"({"name":"a","nested":{"x":true,"y":1}})", "unknown property \"y\""}));

TEST(JsonSchema, AnyOfAndOneOf) {
  json any = json::parse(R"({"anyOf":[{"type":"string"},{"type":"integer"}]})");
  EXPECT_FALSE(validate_against_schema(any, "x"));
  EXPECT_FALSE(validate_against_schema(any, 1));
  EXPECT_TRUE(validate_against_schema(any, true));
  json one = json::parse(R"({"oneOf":[{"type":"integer"},{"type":"number"}]})");
  EXPECT_FALSE(validate_against_schema(one, 1.5));
  auto both = validate_against_schema(one, 1);
  ASSERT_TRUE(both);
  EXPECT_NE(both->find("more than one"), std::string::npos);
}

TEST(JsonSchema, FindsObjectsWithoutProperties) {
  EXPECT_FALSE(find_object_without_properties(kSchema));
  EXPECT_EQ(find_object_without_properties(json::parse(R"({"type":"object"})")), "/");
  EXPECT_EQ(find_object_without_properties(json::parse(
                R"({"type":"object","properties":{"p":{"type":"object","properties":{}}}})")),
            "/properties/p");
  EXPECT_EQ(
      find_object_without_properties(json::parse(
          R"({"type":"object","properties":{"l":{"type":"array","items":{"type":"object"}}}})")),
      "/properties/l/items");
}

}  // namespace
}  // namespace ecs_mcp::mcp

namespace ecs_mcp::mcp {
namespace {

TEST(JsonSchema, HugeStringsAgainstAPatternAreRefusedWithoutCrashing) {
  json schema = json::parse(R"({"type":"string","pattern":"^[a-z]+$"})");
  auto e = validate_against_schema(schema, std::string(200000, 'a'));
  ASSERT_TRUE(e);
  EXPECT_NE(e->find("too long"), std::string::npos);
}

}  // namespace
}  // namespace ecs_mcp::mcp
