#include "mcp/jsonrpc.h"

#include <gtest/gtest.h>

namespace ecs_mcp::mcp {
namespace {

TEST(JsonRpc, ClassifiesRequestWithStringOrIntegerId) {
  auto m = parse_message(R"({"jsonrpc":"2.0","id":"a1","method":"ping"})");
  EXPECT_EQ(m.kind, MessageKind::kRequest);
  EXPECT_EQ(m.id, "a1");
  EXPECT_EQ(m.method, "ping");
  EXPECT_TRUE(m.params.is_null());

  auto n =
      parse_message(R"({"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"cursor":"x"}})");
  EXPECT_EQ(n.kind, MessageKind::kRequest);
  EXPECT_EQ(n.id, 7);
  EXPECT_EQ(n.params["cursor"], "x");
}

TEST(JsonRpc, ClassifiesNotification) {
  auto m = parse_message(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  EXPECT_EQ(m.kind, MessageKind::kNotification);
  EXPECT_TRUE(m.id.is_null());
}

TEST(JsonRpc, ClassifiesResponsesWithResultOrError) {
  auto r = parse_message(R"({"jsonrpc":"2.0","id":3,"result":{"ok":true}})");
  EXPECT_EQ(r.kind, MessageKind::kResponse);
  EXPECT_EQ(r.result["ok"], true);
  auto e = parse_message(R"({"jsonrpc":"2.0","id":3,"error":{"code":-1,"message":"no"}})");
  EXPECT_EQ(e.kind, MessageKind::kResponse);
  ASSERT_TRUE(e.error);
  EXPECT_EQ(e.error->code, -1);
  EXPECT_EQ(e.error->message, "no");
}

TEST(JsonRpc, ParseErrorHasNullIdAndCode32700) {
  for (const char* text : {"", "{", "not json", "{\"jsonrpc\":\"2.0\",", "\xff\xfe"}) {
    auto m = parse_message(text);
    EXPECT_EQ(m.kind, MessageKind::kInvalid) << text;
    ASSERT_TRUE(m.error);
    EXPECT_EQ(m.error->code, rpc_error::kParseError) << text;
    EXPECT_TRUE(m.id.is_null());
  }
}

TEST(JsonRpc, InvalidRequestsGetCode32600) {
  struct Case {
    const char* text;
    bool keeps_id;
  };
  for (auto c : {Case{R"(42)", false}, Case{R"("x")", false}, Case{R"(null)", false},
                 Case{R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])", false},
                 Case{R"({"id":1,"method":"ping"})", true},
                 Case{R"({"jsonrpc":"1.0","id":1,"method":"ping"})", true},
                 Case{R"({"jsonrpc":"2.0","id":1,"method":5})", true},
                 Case{R"({"jsonrpc":"2.0","id":{"x":1},"method":"ping"})", false},
                 Case{R"({"jsonrpc":"2.0","id":null,"method":"ping"})", false},
                 Case{R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})", false},
                 Case{R"({"jsonrpc":"2.0","id":1})", true}}) {
    auto m = parse_message(c.text);
    EXPECT_EQ(m.kind, MessageKind::kInvalid) << c.text;
    ASSERT_TRUE(m.error) << c.text;
    EXPECT_EQ(m.error->code, rpc_error::kInvalidRequest) << c.text;
    EXPECT_EQ(!m.id.is_null(), c.keeps_id) << c.text;
  }
}

TEST(JsonRpc, NonObjectParamsAreInvalidParams) {
  auto m = parse_message(R"({"jsonrpc":"2.0","id":2,"method":"tools/list","params":[1,2]})");
  EXPECT_EQ(m.kind, MessageKind::kInvalid);
  EXPECT_EQ(m.error->code, rpc_error::kInvalidParams);
  EXPECT_EQ(m.id, 2);
}

TEST(JsonRpc, DeepNestingIsRefusedNotOverflowed) {
  std::string deep = R"({"jsonrpc":"2.0","id":1,"method":"x","params":{"a":)";
  deep += std::string(100000, '[') + std::string(100000, ']') + "}}";
  auto m = parse_message(deep);
  EXPECT_EQ(m.kind, MessageKind::kInvalid);
  EXPECT_EQ(m.error->code, rpc_error::kParseError);
  // Brackets inside strings do not count.
  std::string in_string =
      R"({"jsonrpc":"2.0","id":1,"method":"x","params":{"a":")" + std::string(1000, '[') + R"("}})";
  EXPECT_EQ(parse_message(in_string).kind, MessageKind::kRequest);
}

TEST(JsonRpc, ManySmallValuesAreRefusedBeforeParsing) {
  std::string wide = R"({"jsonrpc":"2.0","id":1,"method":"x","params":{"a":[)";
  for (size_t i = 0; i < kMaxMessageValues; ++i) wide += "[],";
  wide += "[]]}}";
  auto m = parse_message(wide);
  EXPECT_EQ(m.kind, MessageKind::kInvalid);
  EXPECT_EQ(m.error->code, rpc_error::kParseError);
  EXPECT_NE(m.error->message.find("values"), std::string::npos);
}

TEST(JsonRpc, EstimatedSizeGrowsWithValuesNotOnlyBytes) {
  std::string wide = "[";
  for (int i = 0; i < 999; ++i) wide += "[],";
  wide += "[]]";
  EXPECT_LT(estimated_message_bytes("\"" + std::string(3000, 'a') + "\""), 4000u);
  EXPECT_GT(estimated_message_bytes(wide), 20 * wide.size())
      << "1,000 arrays cost far more than 3,000 bytes";
}

TEST(JsonRpc, TheIdOfARefusedMessageIsReadWithoutItsContents) {
  EXPECT_EQ(message_id_of(R"({"jsonrpc":"2.0","params":{"a":[[1],[2]]},"id":7,"method":"x"})"), 7);
  EXPECT_EQ(message_id_of(R"({"id":"s","x":[{"id":3}]})"), "s");
  EXPECT_TRUE(message_id_of(R"({"method":"x"})").is_null());
  EXPECT_TRUE(message_id_of(R"({"id":[1]})").is_null());
  EXPECT_TRUE(message_id_of("not json").is_null());
}

TEST(JsonRpc, BuildsResponsesAndNotifications) {
  EXPECT_EQ(make_response(1, {{"a", 1}}),
            (json{{"jsonrpc", "2.0"}, {"id", 1}, {"result", {{"a", 1}}}}));
  auto err = make_error_response(nullptr, RpcError{-32700, "bad", nullptr});
  EXPECT_TRUE(err["id"].is_null());
  EXPECT_EQ(err["error"]["code"], -32700);
  EXPECT_FALSE(err["error"].contains("data"));
  auto n = make_notification("notifications/progress", {{"progress", 1}});
  EXPECT_FALSE(n.contains("id"));
  EXPECT_EQ(n["method"], "notifications/progress");
}

TEST(JsonRpc, SerializeIsOneLineAndSurvivesInvalidUtf8) {
  json v{{"text", std::string("line1\nline2 \xff")}};
  std::string s = serialize(v);
  EXPECT_EQ(s.find('\n'), std::string::npos);
  EXPECT_NE(s.find("\\n"), std::string::npos);
}

TEST(JsonRpc, IdKeysDistinguishStringAndNumber) {
  EXPECT_NE(id_key(json(1)), id_key(json("1")));
  EXPECT_EQ(id_key(json(1)), id_key(json(1)));
}

}  // namespace
}  // namespace ecs_mcp::mcp
