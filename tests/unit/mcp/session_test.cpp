#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "mcp/server.h"

namespace ecs_mcp::mcp {
namespace {

using namespace std::chrono_literals;

// Collects everything the session sends, and lets a test wait for a given message.
class Recorder : public Outbound {
 public:
  void send(const json& message) override {
    std::lock_guard lock(mu_);
    messages_.push_back(message);
    cv_.notify_all();
  }
  std::vector<json> messages() {
    std::lock_guard lock(mu_);
    return messages_;
  }
  // Waits for the response with `id`; fails the test after a generous timeout.
  json response(const json& id, std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mu_);
    json found;
    cv_.wait_for(lock, timeout, [&] {
      for (const auto& m : messages_) {
        if (m.contains("id") && m["id"] == id && !m.contains("method")) {
          found = m;
          return true;
        }
      }
      return false;
    });
    return found;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<json> messages_;
};

json obj_schema(json properties, json required = json::array()) {
  return {
      {"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)}};
}

Tool echo_tool() {
  Tool t;
  t.name = "echo";
  t.title = "Echo";
  t.description = "Echoes text";
  t.input_schema = obj_schema({{"text", {{"type", "string"}}}}, {"text"});
  t.output_schema = obj_schema({{"echoed", {{"type", "string"}}}}, {"echoed"});
  t.handler = [](const json& args, ToolContext&) {
    return ToolResult::structured_result({{"echoed", args["text"]}});
  };
  return t;
}

// Blocks until cancelled or released, reporting progress and logs on the way.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool released = false;
  bool started = false;
};

Tool blocking_tool(std::shared_ptr<Gate> gate) {
  Tool t;
  t.name = "block";
  t.title = "Block";
  t.description = "Blocks";
  t.input_schema = obj_schema({{"note", {{"type", "string"}}}});
  t.handler = [gate](const json&, ToolContext& ctx) {
    ctx.progress(1, 3, "started");
    ctx.progress(1, 3, "not increasing: dropped");
    ctx.log(LogLevel::kInfo, "block", "working");
    ctx.log(LogLevel::kDebug, "block", "details");
    {
      std::lock_guard lock(gate->mu);
      gate->started = true;
    }
    gate->cv.notify_all();
    std::unique_lock lock(gate->mu);
    while (!gate->released && !ctx.cancelled()) gate->cv.wait_for(lock, 5ms);
    if (ctx.cancelled()) {
      // Work that carries on after a cancellation must not reach the client.
      ctx.log(LogLevel::kError, "block", "after cancel");
      ctx.progress(2, 3, "after cancel");
    }
    return ctx.cancelled() ? ToolResult::error("cancelled") : ToolResult::text("done");
  };
  return t;
}

Tool guarded_tool() {
  Tool t;
  t.name = "multi";
  t.title = "Multi";
  t.description = "Multi";
  t.input_schema = obj_schema({{"operation", {{"type", "string"}}}}, {"operation"});
  t.access_classes = {AccessClass::kRead, AccessClass::kWrite};
  t.operation_argument = "operation";
  t.access_for = [](const json& args) -> Result<AccessClass> {
    if (args["operation"] == "Get") return AccessClass::kRead;
    if (args["operation"] == "Put") return AccessClass::kWrite;
    return make_error(ErrorCode::kUnknownOperation,
                      "unknown operation " + args["operation"].get<std::string>());
  };
  t.handler = [](const json& args, ToolContext&) {
    return ToolResult::text("ran " + args["operation"].get<std::string>());
  };
  return t;
}

Tool throwing_tool() {
  Tool t;
  t.name = "throws";
  t.title = "Throws";
  t.description = "Throws";
  t.input_schema = obj_schema({{"x", {{"type", "string"}}}});
  t.handler = [](const json&, ToolContext&) -> ToolResult { throw std::runtime_error("boom"); };
  return t;
}

Tool bad_output_tool() {
  Tool t = echo_tool();
  t.name = "bad_output";
  t.handler = [](const json&, ToolContext&) {
    return ToolResult::structured_result({{"echoed", 5}});
  };
  return t;
}

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override { make({}); }

  void make(ServerOptions options, size_t fillers = 0) {
    ToolRegistry registry;
    ASSERT_TRUE(registry.add(echo_tool()).ok());
    ASSERT_TRUE(registry.add(blocking_tool(gate_)).ok());
    ASSERT_TRUE(registry.add(guarded_tool()).ok());
    ASSERT_TRUE(registry.add(throwing_tool()).ok());
    ASSERT_TRUE(registry.add(bad_output_tool()).ok());
    for (size_t i = 0; i < fillers; ++i) {
      Tool t = echo_tool();
      t.name = "filler_" + std::to_string(i);
      ASSERT_TRUE(registry.add(std::move(t)).ok());
    }
    CallGuard guard = [](const Tool& tool, const json& args,
                         AccessClass a) -> std::optional<std::string> {
      if (a == AccessClass::kWrite)
        return "Operation " + tool.operation_name(args) + " requires WRITE";
      return std::nullopt;
    };
    session_.reset();
    server_ = std::make_unique<Server>(ServerInfo{"srv", "Server", "1.2.3", "Use the tools."},
                                       std::move(registry), guard, options);
    out_ = std::make_shared<Recorder>();
    session_ = Session::create(*server_, out_);
  }

  void TearDown() override {
    {
      std::lock_guard lock(gate_->mu);
      gate_->released = true;
    }
    if (session_) {
      session_->cancel_all();
      session_->wait_until_idle(5s);
    }
  }

  json request(const json& id, const std::string& method, json params = nullptr) {
    session_->handle_text(serialize(make_request(id, method, std::move(params))));
    return out_->response(id);
  }

  void initialize(const std::string& version = "2025-11-25") {
    auto r = request(0, "initialize",
                     {{"protocolVersion", version},
                      {"capabilities", json::object()},
                      {"clientInfo", {{"name", "test"}, {"version", "1"}}}});
    ASSERT_TRUE(r.contains("result")) << r;
    session_->handle_text(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  }

  json call(const json& id, const std::string& tool, json args, json meta = nullptr) {
    json params{{"name", tool}, {"arguments", std::move(args)}};
    if (!meta.is_null()) params["_meta"] = meta;
    return request(id, "tools/call", params);
  }

  std::shared_ptr<Gate> gate_ = std::make_shared<Gate>();
  std::unique_ptr<Server> server_;
  std::shared_ptr<Recorder> out_;
  std::shared_ptr<Session> session_;
};

TEST_F(SessionTest, InitializeAgreesOnSupportedVersions) {
  for (std::string v : {"2025-11-25", "2025-06-18", "2025-03-26"}) {
    make({});
    auto r = request(1, "initialize", {{"protocolVersion", v}, {"capabilities", json::object()}});
    EXPECT_EQ(r["result"]["protocolVersion"], v);
    EXPECT_EQ(r["result"]["serverInfo"]["name"], "srv");
    EXPECT_EQ(r["result"]["serverInfo"]["title"], "Server");
    EXPECT_EQ(r["result"]["serverInfo"]["version"], "1.2.3");
    EXPECT_EQ(r["result"]["instructions"], "Use the tools.");
    EXPECT_TRUE(r["result"]["capabilities"].contains("tools"));
    EXPECT_TRUE(r["result"]["capabilities"].contains("logging"));
    EXPECT_EQ(session_->protocol_version(), v);
  }
}

TEST_F(SessionTest, InitializeWithUnknownVersionAnswersLatest) {
  auto r = request(1, "initialize",
                   {{"protocolVersion", "1999-01-01"}, {"capabilities", json::object()}});
  EXPECT_EQ(r["result"]["protocolVersion"], "2025-11-25");
}

TEST_F(SessionTest, InitializeNeedsAVersionAndHappensOnce) {
  auto r = request(1, "initialize", {{"capabilities", json::object()}});
  EXPECT_EQ(r["error"]["code"], rpc_error::kInvalidParams);
  initialize();
  auto again = request(2, "initialize", {{"protocolVersion", "2025-11-25"}});
  EXPECT_EQ(again["error"]["code"], rpc_error::kInvalidRequest);
}

TEST_F(SessionTest, OnlyPingBeforeInitialize) {
  EXPECT_TRUE(request(1, "ping")["result"].is_object());
  EXPECT_EQ(request(2, "tools/list")["error"]["code"], rpc_error::kInvalidRequest);
}

TEST_F(SessionTest, UnknownMethodIs32601AndNotificationsGetNoAnswer) {
  initialize();
  EXPECT_EQ(request(1, "resources/list")["error"]["code"], rpc_error::kMethodNotFound);
  size_t before = out_->messages().size();
  session_->handle_text(R"({"jsonrpc":"2.0","method":"notifications/whatever"})");
  session_->handle_text(
      R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":99}})");
  session_->handle_text(R"({"jsonrpc":"2.0","id":5,"result":{}})");  // stray response
  EXPECT_EQ(out_->messages().size(), before);
}

TEST_F(SessionTest, MalformedInputIsAnsweredNotFatal) {
  session_->handle_text("{oops");
  session_->handle_text(R"({"jsonrpc":"2.0","id":9,"method":"tools/list","params":"x"})");
  auto msgs = out_->messages();
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0]["error"]["code"], rpc_error::kParseError);
  EXPECT_TRUE(msgs[0]["id"].is_null());
  EXPECT_EQ(msgs[1]["error"]["code"], rpc_error::kInvalidParams);
  EXPECT_EQ(msgs[1]["id"], 9);
}

TEST_F(SessionTest, ToolsListDeclaresEverything) {
  initialize();
  auto r = request(1, "tools/list");
  auto tools = r["result"]["tools"];
  ASSERT_EQ(tools.size(), 5u);
  EXPECT_FALSE(r["result"].contains("nextCursor"));
  for (const auto& t : tools) {
    for (const char* hint :
         {"readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"}) {
      EXPECT_TRUE(t["annotations"][hint].is_boolean()) << t["name"] << " " << hint;
    }
    EXPECT_TRUE(t["title"].is_string());
    EXPECT_EQ(t["inputSchema"]["type"], "object");
  }
  EXPECT_EQ(tools[0]["outputSchema"]["required"][0], "echoed");
}

TEST_F(SessionTest, ToolsListPaginates) {
  make(ServerOptions{.tools_page_size = 2}, 4);  // 9 tools
  initialize();
  std::set<std::string> seen;
  json cursor = nullptr;
  int pages = 0;
  do {
    json params = cursor.is_null() ? json::object() : json{{"cursor", cursor}};
    auto r = request(100 + pages, "tools/list", params);
    for (const auto& t : r["result"]["tools"]) EXPECT_TRUE(seen.insert(t["name"]).second);
    cursor = r["result"].value("nextCursor", json());
    ++pages;
  } while (!cursor.is_null() && pages < 20);
  EXPECT_EQ(seen.size(), 9u);
  EXPECT_EQ(pages, 5);
  int id = 200;
  for (json bad : {json("garbage"), json("t0"), json("t999"), json(5)}) {
    EXPECT_EQ(request(id++, "tools/list", {{"cursor", bad}})["error"]["code"],
              rpc_error::kInvalidParams)
        << bad;
  }
}

TEST_F(SessionTest, CallReturnsStructuredContentMirroredAsText) {
  initialize();
  auto r = call(1, "echo", {{"text", "hi"}});
  EXPECT_EQ(r["result"]["structuredContent"]["echoed"], "hi");
  EXPECT_FALSE(r["result"].contains("isError"));
  auto text = json::parse(r["result"]["content"][0]["text"].get<std::string>());
  EXPECT_EQ(text["echoed"], "hi");
}

TEST_F(SessionTest, UnknownToolIsAProtocolError) {
  initialize();
  EXPECT_EQ(call(1, "nope", json::object())["error"]["code"], rpc_error::kInvalidParams);
  EXPECT_EQ(request(2, "tools/call", {{"arguments", json::object()}})["error"]["code"],
            rpc_error::kInvalidParams);
}

TEST_F(SessionTest, BadArgumentsAreToolErrors) {
  initialize();
  auto r = call(1, "echo", {{"text", 5}});
  EXPECT_EQ(r["result"]["isError"], true);
  EXPECT_NE(r["result"]["content"][0]["text"].get<std::string>().find("text: expected string"),
            std::string::npos);
  auto r2 = call(2, "echo", json::array());
  EXPECT_EQ(r2["result"]["isError"], true);
  auto r3 = call(3, "echo", json::object());
  EXPECT_NE(r3["result"]["content"][0]["text"].get<std::string>().find("missing required"),
            std::string::npos);
}

TEST_F(SessionTest, GuardRefusesByOperationAndClassifierRejectsUnknown) {
  initialize();
  EXPECT_EQ(call(1, "multi", {{"operation", "Get"}})["result"]["content"][0]["text"], "ran Get");
  auto put = call(2, "multi", {{"operation", "Put"}});
  EXPECT_EQ(put["result"]["isError"], true);
  EXPECT_EQ(put["result"]["content"][0]["text"], "Operation Put requires WRITE");
  auto unknown = call(3, "multi", {{"operation", "Zap"}});
  EXPECT_EQ(unknown["result"]["isError"], true);
  EXPECT_NE(
      unknown["result"]["content"][0]["text"].get<std::string>().find("unknown operation Zap"),
      std::string::npos);
}

TEST_F(SessionTest, ExceptionsAndBadOutputBecomeToolErrors) {
  initialize();
  auto r = call(1, "throws", json::object());
  EXPECT_EQ(r["result"]["isError"], true);
  EXPECT_NE(r["result"]["content"][0]["text"].get<std::string>().find("boom"), std::string::npos);
  auto b = call(2, "bad_output", {{"text", "x"}});
  EXPECT_EQ(b["result"]["isError"], true);
  EXPECT_NE(b["result"]["content"][0]["text"].get<std::string>().find("output schema"),
            std::string::npos);
}

TEST_F(SessionTest, EveryAnswerPassesTheAnswerFilterAndAFailingFilterWithholdsIt) {
  ServerOptions options;
  std::vector<std::string> seen;
  std::mutex seen_mu;
  options.answer_filter = [&](const Tool& tool, ToolResult& result) {
    {
      std::lock_guard lock(seen_mu);
      seen.push_back(tool.name);
    }
    if (result.structured && result.structured->value("echoed", "") == "explode") {
      throw std::runtime_error("cannot read it");
    }
    for (auto& block : result.content) {
      std::string text = block["text"];
      for (size_t at; (at = text.find("secret")) != std::string::npos;)
        text.replace(at, 6, "******");
      block["text"] = text;
    }
    if (result.structured) (*result.structured)["echoed"] = "******";
  };
  make(options);
  initialize();
  auto r = call(1, "echo", {{"text", "secret"}});
  EXPECT_EQ(r["result"]["structuredContent"]["echoed"], "******");
  EXPECT_EQ(r["result"]["content"][0]["text"], R"({"echoed":"******"})");
  // Errors, refusals and exceptions leave through the same filter.
  EXPECT_EQ(call(2, "multi", {{"operation", "Put secret"}})["result"]["content"][0]["text"],
            "Invalid arguments for multi: unknown operation Put ******");
  EXPECT_EQ(call(3, "echo", {{"text", 5}})["result"]["isError"], true);
  EXPECT_EQ(call(4, "throws", json::object())["result"]["isError"], true);
  auto withheld = call(5, "echo", {{"text", "explode"}});
  EXPECT_EQ(withheld["result"]["isError"], true);
  EXPECT_EQ(withheld.dump().find("explode"), std::string::npos) << withheld;
  EXPECT_NE(withheld["result"]["content"][0]["text"].get<std::string>().find("withheld"),
            std::string::npos);
  std::lock_guard lock(seen_mu);
  EXPECT_EQ(seen, (std::vector<std::string>{"echo", "multi", "echo", "throws", "echo"}));
}

TEST_F(SessionTest, SlowCallDoesNotBlockPingOrOtherCalls) {
  initialize();
  session_->handle_text(serialize(
      make_request(10, "tools/call", {{"name", "block"}, {"arguments", json::object()}})));
  EXPECT_TRUE(request(11, "ping").contains("result"));
  EXPECT_EQ(call(12, "echo", {{"text", "x"}})["result"]["structuredContent"]["echoed"], "x");
  EXPECT_TRUE(out_->response(10, 50ms).is_null());  // still running
  {
    std::lock_guard lock(gate_->mu);
    gate_->released = true;
  }
  EXPECT_EQ(out_->response(10)["result"]["content"][0]["text"], "done");
}

TEST_F(SessionTest, CancellationStopsTheWorkAndSuppressesTheReply) {
  initialize();
  session_->handle_text(serialize(
      make_request("c1", "tools/call", {{"name", "block"}, {"arguments", json::object()}})));
  {
    std::unique_lock lock(gate_->mu);
    gate_->cv.wait_for(lock, 5s, [&] { return gate_->started; });
  }
  EXPECT_EQ(session_->in_flight(), 1u);
  session_->handle_text(
      R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"c1","reason":"user"}})");
  EXPECT_TRUE(session_->wait_until_idle(5s));
  EXPECT_TRUE(out_->response("c1", 100ms).is_null());
  for (const auto& m : out_->messages())
    EXPECT_EQ(m.dump().find("after cancel"), std::string::npos) << m;
  EXPECT_TRUE(request(2, "ping").contains("result"));
}

TEST_F(SessionTest, DuplicateInFlightIdIsRejected) {
  initialize();
  auto params = json{{"name", "block"}, {"arguments", json::object()}};
  session_->handle_text(serialize(make_request(7, "tools/call", params)));
  session_->handle_text(serialize(make_request(7, "tools/call", params)));
  auto r = out_->response(7);
  EXPECT_EQ(r["error"]["code"], rpc_error::kInvalidRequest);
}

TEST_F(SessionTest, ProgressOnlyWithTokenAndOnlyIncreasing) {
  initialize();
  {
    std::lock_guard lock(gate_->mu);
    gate_->released = true;
  }
  call(1, "block", json::object());  // no token: no progress
  call(2, "block", json::object(), {{"progressToken", "tok"}});
  int progress = 0;
  for (const auto& m : out_->messages()) {
    if (m.value("method", "") == "notifications/progress") {
      ++progress;
      EXPECT_EQ(m["params"]["progressToken"], "tok");
      EXPECT_EQ(m["params"]["progress"], 1);
      EXPECT_EQ(m["params"]["total"], 3);
      EXPECT_EQ(m["params"]["message"], "started");
    }
  }
  EXPECT_EQ(progress, 1);
}

TEST_F(SessionTest, LogLevelFiltersToolLogs) {
  initialize();
  {
    std::lock_guard lock(gate_->mu);
    gate_->released = true;
  }
  auto count_logs = [&](const std::string& level) {
    int n = 0;
    for (const auto& m : out_->messages()) {
      if (m.value("method", "") == "notifications/message" && m["params"]["level"] == level) ++n;
    }
    return n;
  };
  call(1, "block", json::object());
  EXPECT_EQ(count_logs("info"), 1);
  EXPECT_EQ(count_logs("debug"), 0);
  EXPECT_TRUE(request(2, "logging/setLevel", {{"level", "debug"}})["result"].is_object());
  call(3, "block", json::object());
  EXPECT_EQ(count_logs("debug"), 1);
  EXPECT_TRUE(request(4, "logging/setLevel", {{"level", "error"}})["result"].is_object());
  call(5, "block", json::object());
  EXPECT_EQ(count_logs("info"), 2);
  EXPECT_EQ(request(6, "logging/setLevel", {{"level", "loud"}})["error"]["code"],
            rpc_error::kInvalidParams);
}

TEST(ToolRegistry, RefusesBadDeclarations) {
  ToolRegistry r;
  Tool ok = echo_tool();
  EXPECT_TRUE(r.add(ok).ok());
  EXPECT_FALSE(r.add(ok).ok());  // duplicate
  Tool bad_name = echo_tool();
  bad_name.name = "has space";
  EXPECT_FALSE(r.add(bad_name).ok());
  Tool long_name = echo_tool();
  long_name.name = std::string(65, 'a');
  EXPECT_FALSE(r.add(long_name).ok());
  Tool no_handler = echo_tool();
  no_handler.name = "no_handler";
  no_handler.handler = nullptr;
  EXPECT_FALSE(r.add(no_handler).ok());
  Tool empty_object = echo_tool();
  empty_object.name = "empty_object";
  empty_object.input_schema = {{"type", "object"}};
  auto st = r.add(empty_object);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("declares no properties"), std::string::npos);
  Tool nested_empty = echo_tool();
  nested_empty.name = "nested_empty";
  nested_empty.input_schema["properties"]["p"] = {{"type", "object"}};
  EXPECT_FALSE(r.add(nested_empty).ok());
  EXPECT_EQ(r.tools().size(), 1u);
}

}  // namespace
}  // namespace ecs_mcp::mcp

namespace ecs_mcp::mcp {
namespace {

// Any JSON may arrive where the protocol expects a string; none of it may crash the server.
TEST(SessionRobustness, OddlyTypedInitializeFieldsAreAnsweredNotFatal) {
  ToolRegistry registry;
  Server server(ServerInfo{"s", "S", "1", ""}, std::move(registry), nullptr);
  for (const char* params :
       {R"({"protocolVersion":"2025-11-25","clientInfo":{"name":5,"version":{"x":1}}})",
        R"({"protocolVersion":"2025-11-25","clientInfo":"me","capabilities":[]})",
        R"({"protocolVersion":7})"}) {
    auto out = std::make_shared<Recorder>();
    auto session = Session::create(server, out);
    session->handle_text(std::string(R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":)") +
                         params + "}");
    auto r = out->response(1);
    EXPECT_TRUE(r.contains("result") || r.contains("error")) << params << " -> " << r;
    session->handle_text(R"({"jsonrpc":"2.0","id":2,"method":"ping"})");
    EXPECT_TRUE(out->response(2).contains("result")) << params;
  }
}

}  // namespace
}  // namespace ecs_mcp::mcp
