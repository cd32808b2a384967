#include "mcp/argument_coercion.h"

#include <gtest/gtest.h>

#include "mcp/json_schema.h"
#include "mcp/jsonrpc.h"

namespace ecs_mcp::mcp {
namespace {

using json = nlohmann::json;

const json kSchema = json::parse(R"({
  "type": "object",
  "properties": {
    "name": {"type": "string"},
    "count": {"type": "integer", "minimum": 1},
    "ratio": {"type": "number"},
    "flag": {"type": "boolean"},
    "maybe": {"type": ["integer", "null"]},
    "either": {"type": ["integer", "string"]},
    "ids": {"type": "array", "items": {"type": "integer"}},
    "params": {"type": "object", "additionalProperties": true,
               "properties": {"limit": {"type": "integer"}, "cluster": {"type": "string"}}},
    "free": {"type": "object", "properties": {"a": {"type": "string"}},
             "additionalProperties": {"type": "integer"}}
  },
  "required": ["name"],
  "additionalProperties": false
})");

json coerced(const char* text) { return coerce_arguments(kSchema, json::parse(text)); }

TEST(ArgumentCoercion, NullMeansAbsent) {
  EXPECT_EQ(coerced(R"({"name":"a","count":null,"params":null,"flag":null})"),
            json::parse(R"({"name":"a"})"));
  EXPECT_EQ(coerced(R"({"name":"a","params":{"cluster":null,"limit":2}})"),
            json::parse(R"({"name":"a","params":{"limit":2}})"));
}

TEST(ArgumentCoercion, NullStaysWhereTheSchemaAllowsIt) {
  EXPECT_EQ(coerced(R"({"name":"a","maybe":null})"), json::parse(R"({"name":"a","maybe":null})"));
}

TEST(ArgumentCoercion, NullForARequiredArgumentFailsAsMissing) {
  json args = coerced(R"({"name":null})");
  auto problem = validate_against_schema(kSchema, args);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("name"), std::string::npos) << *problem;
}

TEST(ArgumentCoercion, NumericStringsBecomeNumbers) {
  json args =
      coerced(R"({"name":"a","count":"7200","ratio":"0.5","maybe":" 42 ","ids":["1","2"]})");
  EXPECT_EQ(args["count"], 7200);
  EXPECT_TRUE(args["count"].is_number_integer());
  EXPECT_DOUBLE_EQ(args["ratio"].get<double>(), 0.5);
  EXPECT_EQ(args["maybe"], 42);
  EXPECT_EQ(args["ids"], json::parse("[1,2]"));
  EXPECT_FALSE(validate_against_schema(kSchema, args));
}

TEST(ArgumentCoercion, NestedAndAdditionalMembersAreCoerced) {
  json args =
      coerced(R"({"name":"a","params":{"limit":"5","maxResults":"9"},"free":{"a":"1","b":"2"}})");
  EXPECT_EQ(args["params"]["limit"], 5);
  // additionalProperties: true declares no type, so an unknown member is passed through as sent.
  EXPECT_EQ(args["params"]["maxResults"], "9");
  EXPECT_EQ(args["free"]["a"], "1");
  EXPECT_EQ(args["free"]["b"], 2);
}

TEST(ArgumentCoercion, BooleanWords) {
  EXPECT_EQ(coerced(R"({"name":"a","flag":"true"})")["flag"], true);
  EXPECT_EQ(coerced(R"({"name":"a","flag":"False"})")["flag"], false);
  EXPECT_EQ(coerced(R"({"name":"a","flag":"yes"})")["flag"], "yes");
}

TEST(ArgumentCoercion, JsonTextForAnObjectOrArray) {
  json args =
      coerced(R"({"name":"a","params":"{\"cluster\":\"prod\",\"limit\":\"3\"}","ids":"[4, 5]"})");
  EXPECT_EQ(args["params"], json::parse(R"({"cluster":"prod","limit":3})"));
  EXPECT_EQ(args["ids"], json::parse("[4,5]"));
  EXPECT_EQ(coerced(R"({"name":"a","params":"[1]"})")["params"], "[1]");
  EXPECT_EQ(coerced(R"({"name":"a","params":"{broken"})")["params"], "{broken");
}

// JSON text inside a string is held to the same limits as a message: a string nesting two
// million levels deep once came out parsed, and serializing it for AWS overflowed the stack.
TEST(ArgumentCoercion, JsonTextBeyondTheMessageLimitsStaysAString) {
  const size_t depth = 2'000'000;
  std::string deep = "{\"a\":" + std::string(depth, '[') + std::string(depth, ']') + "}";
  json args = coerce_arguments(kSchema, json{{"name", "a"}, {"params", deep}});
  ASSERT_TRUE(args["params"].is_string());
  auto problem = validate_against_schema(kSchema, args);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("expected"), std::string::npos) << *problem;

  std::string many = "[";
  for (size_t i = 0; i < kMaxMessageValues; ++i) many += "0,";
  many += "0]";
  EXPECT_TRUE(coerce_arguments(kSchema, json{{"name", "a"}, {"ids", many}})["ids"].is_string());

  std::string within = "{\"a\":" + std::string(kMaxNestingDepth - 1, '[') +
                       std::string(kMaxNestingDepth - 1, ']') + "}";
  EXPECT_TRUE(
      coerce_arguments(kSchema, json{{"name", "a"}, {"params", within}})["params"].is_object());
}

TEST(ArgumentCoercion, StringsStayWhereAStringIsAllowed) {
  EXPECT_EQ(coerced(R"({"name":"12"})")["name"], "12");
  EXPECT_EQ(coerced(R"({"name":"a","either":"12"})")["either"], "12");
}

TEST(ArgumentCoercion, AnythingElseStillFailsAsBefore) {
  for (const char* bad :
       {R"({"name":"a","count":"12abc"})", R"({"name":"a","count":"1.5"})",
        R"({"name":"a","count":""})", R"({"name":"a","count":"99999999999999999999999"})",
        R"({"name":"a","ratio":"nan"})", R"({"name":"a","ratio":"inf"})",
        R"({"name":"a","count":true})"}) {
    json args = coerced(bad);
    auto problem = validate_against_schema(kSchema, args);
    ASSERT_TRUE(problem) << bad;
    EXPECT_NE(problem->find("expected"), std::string::npos) << *problem;
  }
}

TEST(ArgumentCoercion, UnknownMembersAreLeftForTheValidator) {
  json args = coerced(R"({"name":"a","other":null})");
  EXPECT_TRUE(args.contains("other"));
  EXPECT_TRUE(validate_against_schema(kSchema, args));
}

}  // namespace
}  // namespace ecs_mcp::mcp
