// ClientSession over an in-memory transport: correlation by id, server-to-client requests,
// ping, timeouts, cancellation and a transport that closes under waiting requests.
#include "mcp/client_session.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

namespace ecs_mcp::mcp {
namespace {

// A server played by the test: every message the client sends is recorded, and `reply`
// decides what (if anything) the "server" sends back.
class LoopbackTransport final : public ClientTransport {
 public:
  std::function<void(const json& sent, LoopbackTransport& self)> reply;

  Status start(MessageHandler on_message, ClosedHandler on_closed) override {
    on_message_ = std::move(on_message);
    on_closed_ = std::move(on_closed);
    return Status::Ok();
  }
  Status send(const json& message) override {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (closed_) return make_error(ErrorCode::kTransportClosed, "closed");
      sent.push_back(message);
    }
    if (reply) reply(message, *this);
    return Status::Ok();
  }
  void close() override {
    close_with(make_error(ErrorCode::kTransportClosed, "closed by the client"));
  }
  std::string describe() const override { return "loopback"; }

  void deliver(const json& message) { on_message_(message); }
  size_t sent_count() {
    std::lock_guard<std::mutex> lock(mu);
    return sent.size();
  }
  void close_with(const Error& reason) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (closed_) return;
      closed_ = true;
    }
    on_closed_(reason);
  }

  std::mutex mu;
  std::vector<json> sent;

 private:
  MessageHandler on_message_;
  ClosedHandler on_closed_;
  bool closed_ = false;
};

json initialize_answer() {
  return {{"protocolVersion", "2025-11-25"},
          {"capabilities", {{"tools", json::object()}}},
          {"serverInfo", {{"name", "loop"}, {"version", "1"}}},
          {"instructions", "be nice"}};
}

// Answers initialize and tools/list at once; other requests are left to the test.
void standard_replies(const json& m, LoopbackTransport& t) {
  if (m.value("method", "") == "initialize") t.deliver(make_response(m["id"], initialize_answer()));
  if (m.value("method", "") == "tools/list") {
    const bool second = m["params"].contains("cursor");
    json result{{"tools", json::array({{{"name", second ? "b" : "a"}}})}};
    if (!second) result["nextCursor"] = "page2";
    t.deliver(make_response(m["id"], result));
  }
}

TEST(ClientSession, InitializeDeclaresHandlersAndSendsInitialized) {
  auto transport = std::make_unique<LoopbackTransport>();
  auto* t = transport.get();
  t->reply = standard_replies;
  ClientSession session(std::move(transport));
  session.on_request("elicitation/create", {{"elicitation", json::object()}},
                     [](const json&) { return json::object(); });
  auto server = session.initialize();
  ASSERT_TRUE(server.ok()) << server.error().describe();
  EXPECT_EQ(server->instructions, "be nice");
  ASSERT_EQ(t->sent.size(), 2u);
  EXPECT_EQ(t->sent[0]["params"]["capabilities"], (json{{"elicitation", json::object()}}));
  EXPECT_EQ(t->sent[1]["method"], "notifications/initialized");
  auto tools = session.list_tools();
  ASSERT_TRUE(tools.ok());
  ASSERT_EQ(tools->size(), 2u);  // both pages
  EXPECT_EQ((*tools)[1]["name"], "b");
}

TEST(ClientSession, ResponsesFindTheirCallersOutOfOrder) {
  auto transport = std::make_unique<LoopbackTransport>();
  auto* t = transport.get();
  std::mutex held_mu;
  std::vector<json> held;
  t->reply = [&](const json& m, LoopbackTransport& self) {
    standard_replies(m, self);
    if (m.value("method", "") == "tools/call") {
      std::lock_guard<std::mutex> lock(held_mu);
      held.push_back(m);
      if (held.size() == 2) {  // answer the second first
        for (int i = 1; i >= 0; --i) {
          self.deliver(make_response(held[i]["id"], {{"n", held[i]["params"]["name"]}}));
        }
      }
    }
  };
  ClientSession session(std::move(transport));
  ASSERT_TRUE(session.initialize().ok());
  Result<json> first = make_error(ErrorCode::kInternalError, "x"),
               second = make_error(ErrorCode::kInternalError, "x");
  std::thread a([&] { first = session.call_tool("first", json::object()); });
  std::thread b([&] { second = session.call_tool("second", json::object()); });
  a.join();
  b.join();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*first)["n"], "first");
  EXPECT_EQ((*second)["n"], "second");
}

TEST(ClientSession, ServerRequestsAreAnsweredByHandlersPingAndMethodNotFound) {
  auto transport = std::make_unique<LoopbackTransport>();
  auto* t = transport.get();
  t->reply = standard_replies;
  ClientSession session(std::move(transport));
  session.on_request("elicitation/create", {{"elicitation", json::object()}},
                     [](const json& params) -> Result<json> {
                       return json{{"action", "accept"}, {"echo", params["message"]}};
                     });
  ASSERT_TRUE(session.initialize().ok());
  t->deliver(make_request("s1", "ping", nullptr));
  t->deliver(make_request("s2", "sampling/createMessage", json::object()));
  t->deliver(make_request("s3", "elicitation/create", {{"message", "sure?"}}));
  for (int i = 0; i < 400 && t->sent_count() < 5; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::lock_guard<std::mutex> lock(t->mu);
  ASSERT_EQ(t->sent.size(), 5u);
  std::map<std::string, json> by_id;
  for (size_t i = 2; i < 5; ++i) by_id[t->sent[i]["id"].get<std::string>()] = t->sent[i];
  EXPECT_EQ(by_id["s1"]["result"], json::object());
  EXPECT_EQ(by_id["s2"]["error"]["code"], rpc_error::kMethodNotFound);
  EXPECT_EQ(by_id["s3"]["result"]["echo"], "sure?");
}

TEST(ClientSession, TimeoutAndCancellationTellTheServer) {
  auto transport = std::make_unique<LoopbackTransport>();
  auto* t = transport.get();
  t->reply = standard_replies;
  ClientSession session(std::move(transport));
  ASSERT_TRUE(session.initialize().ok());
  RequestOptions quick;
  quick.timeout = std::chrono::milliseconds(50);
  auto timed_out = session.call_tool("never", json::object(), quick);
  ASSERT_FALSE(timed_out.ok());
  EXPECT_EQ(timed_out.error().code, ErrorCode::kTimeout);

  std::atomic<bool> cancel{false};
  RequestOptions cancellable;
  cancellable.cancelled = [&] { return cancel.load(); };
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    cancel = true;
  });
  auto cancelled = session.call_tool("never", json::object(), cancellable);
  canceller.join();
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error().code, ErrorCode::kCancelled);
  std::lock_guard<std::mutex> lock(t->mu);
  EXPECT_EQ(t->sent.back()["method"], "notifications/cancelled");
  EXPECT_EQ(t->sent.back()["params"]["requestId"], t->sent[t->sent.size() - 2]["id"]);
}

TEST(ClientSession, ClosingFailsWaitingAndLaterRequestsWithTheReason) {
  auto transport = std::make_unique<LoopbackTransport>();
  auto* t = transport.get();
  t->reply = standard_replies;
  ClientSession session(std::move(transport));
  ASSERT_TRUE(session.initialize().ok());
  std::thread closer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    t->close_with(make_error(ErrorCode::kServerExited, "the server exited with status 3"));
  });
  auto waiting = session.call_tool("x", json::object());
  closer.join();
  ASSERT_FALSE(waiting.ok());
  EXPECT_EQ(waiting.error().code, ErrorCode::kServerExited);
  EXPECT_FALSE(session.connected());
  auto later = session.call_tool("x", json::object());
  ASSERT_FALSE(later.ok());
  EXPECT_EQ(later.error().message, "the server exited with status 3");
}

TEST(ClientSession, JsonRpcErrorsBecomeRpcErrorValues) {
  auto transport = std::make_unique<LoopbackTransport>();
  transport->reply = [](const json& m, LoopbackTransport& self) {
    standard_replies(m, self);
    if (m.value("method", "") == "tools/call") {
      self.deliver(make_error_response(
          m["id"], RpcError{rpc_error::kInvalidParams, "Unknown tool: x", json()}));
    }
  };
  ClientSession session(std::move(transport));
  ASSERT_TRUE(session.initialize().ok());
  auto result = session.call_tool("x", json::object());
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kRpcError);
  EXPECT_NE(result.error().message.find("Unknown tool: x"), std::string::npos);
  EXPECT_NE(result.error().message.find("-32602"), std::string::npos);
}

}  // namespace
}  // namespace ecs_mcp::mcp
