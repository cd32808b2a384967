// Elicitation: which clients can be asked, how a yes/no question is put and how each answer
// reads; and, through a real Session, that a tool call can send elicitation/create to the
// client and wait for the answer that comes back on the session.
#include "mcp/elicitation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "mcp/server.h"
#include "support/null_tool_context.h"

namespace ecs_mcp::mcp {
namespace {

using namespace std::chrono_literals;

TEST(Elicitation, FormElicitationIsDeclaredEmptyOrWithFormMode) {
  EXPECT_TRUE(client_supports_form_elicitation({{"elicitation", json::object()}}));
  EXPECT_TRUE(client_supports_form_elicitation({{"elicitation", {{"form", json::object()}}}}));
  EXPECT_TRUE(client_supports_form_elicitation(
      {{"elicitation", {{"form", json::object()}, {"url", json::object()}}}}));
  EXPECT_FALSE(client_supports_form_elicitation({{"elicitation", {{"url", json::object()}}}}))
      << "a client offering only URL mode cannot show a form";
  EXPECT_FALSE(client_supports_form_elicitation(json::object()));
  EXPECT_FALSE(client_supports_form_elicitation({{"sampling", json::object()}}));
  EXPECT_FALSE(client_supports_form_elicitation({{"elicitation", true}}));
  EXPECT_FALSE(client_supports_form_elicitation(nullptr));
}

// A client that declared `capabilities` and answers every request with `answer`.
class ScriptedClient : public testing::NullToolContext {
 public:
  ScriptedClient(json capabilities, Result<json> answer)
      : capabilities_(std::move(capabilities)), answer_(std::move(answer)) {}
  json client_capabilities() const override { return capabilities_; }
  Result<json> request_client(const std::string& method, json params,
                              std::chrono::milliseconds timeout) override {
    requests.push_back({{"method", method}, {"params", params}});
    timeouts.push_back(timeout);
    return answer_;
  }
  std::vector<json> requests;
  std::vector<std::chrono::milliseconds> timeouts;

 private:
  json capabilities_;
  Result<json> answer_;
};

const json kEliciting{{"elicitation", json::object()}};

ConfirmationRequest delete_question() {
  ConfirmationRequest q;
  q.message = "Delete cluster prod?";
  q.field = "confirm";
  q.field_title = "Delete it";
  q.field_description = "Delete cluster prod and its services";
  return q;
}

TEST(Elicitation, AYesNoQuestionIsAFormWithOneRequiredBoolean) {
  ScriptedClient client(kEliciting, json{{"action", "accept"}, {"content", {{"confirm", true}}}});
  auto answer = ask_confirmation(client, delete_question(), 42s);
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(*answer, Confirmation::kConfirmed);
  ASSERT_EQ(client.requests.size(), 1u);
  EXPECT_EQ(client.requests[0]["method"], "elicitation/create");
  const json& params = client.requests[0]["params"];
  EXPECT_EQ(params["message"], "Delete cluster prod?");
  const json& schema = params["requestedSchema"];
  EXPECT_EQ(schema["type"], "object");
  EXPECT_EQ(schema["required"], json({"confirm"}));
  EXPECT_EQ(schema["properties"]["confirm"],
            (json{{"type", "boolean"},
                  {"title", "Delete it"},
                  {"description", "Delete cluster prod and its services"}}));
  EXPECT_EQ(schema["properties"].size(), 1u) << "a flat form with nothing else to fill in";
  EXPECT_EQ(client.timeouts[0], 42s);
}

TEST(Elicitation, OnlyAnAcceptedFormWithTheBoxTickedIsAYes) {
  struct Case {
    json answer;
    Confirmation expected;
  };
  for (const auto& c : std::vector<Case>{
           {{{"action", "accept"}, {"content", {{"confirm", false}}}}, Confirmation::kDeclined},
           {{{"action", "accept"}, {"content", {{"confirm", "true"}}}}, Confirmation::kDeclined},
           {{{"action", "accept"}, {"content", json::object()}}, Confirmation::kDeclined},
           {{{"action", "accept"}}, Confirmation::kDeclined},
           {{{"action", "accept"}, {"content", {{"other", true}}}}, Confirmation::kDeclined},
           {{{"action", "decline"}}, Confirmation::kDeclined},
           {{{"action", "cancel"}}, Confirmation::kCancelled},
       }) {
    ScriptedClient client(kEliciting, c.answer);
    auto answer = ask_confirmation(client, delete_question(), 1s);
    ASSERT_TRUE(answer.ok()) << c.answer.dump() << ": " << answer.error().message;
    EXPECT_EQ(*answer, c.expected) << c.answer.dump();
  }
}

TEST(Elicitation, AClientThatCannotElicitIsNotAsked) {
  for (const json& caps : {json::object(), json{{"elicitation", {{"url", json::object()}}}}}) {
    ScriptedClient client(caps, json{{"action", "accept"}, {"content", {{"confirm", true}}}});
    auto answer = ask_confirmation(client, delete_question(), 1s);
    ASSERT_FALSE(answer.ok()) << caps.dump();
    EXPECT_EQ(answer.error().code, ErrorCode::kUnsupported);
    EXPECT_TRUE(client.requests.empty()) << caps.dump();
  }
}

TEST(Elicitation, FailedOrMalformedAnswersAreErrors) {
  for (const Result<json>& reply :
       {Result<json>(make_error(ErrorCode::kTimeout,
                                "the client did not answer elicitation/create in time")),
        Result<json>(make_error(ErrorCode::kRpcError, "Method not found")),
        Result<json>(json::object()), Result<json>(json{{"action", 1}}),
        Result<json>(json{{"action", "maybe"}}), Result<json>(json("accept"))}) {
    ScriptedClient client(kEliciting, reply);
    auto answer = ask_confirmation(client, delete_question(), 1s);
    EXPECT_FALSE(answer.ok()) << (reply.ok() ? reply->dump() : reply.error().message);
  }
}

// --- Through a Session: the request goes out on the call's channel and the answer comes back.

class Recorder : public Outbound {
 public:
  explicit Recorder(bool carries_requests = true) : carries_requests_(carries_requests) {}
  bool carries_requests() const override { return carries_requests_; }
  void send(const json& message) override {
    std::lock_guard lock(mu_);
    messages_.push_back(message);
    cv_.notify_all();
  }
  // The first message matching `pred`, waiting up to five seconds.
  json wait_for(const std::function<bool(const json&)>& pred) {
    std::unique_lock lock(mu_);
    json found;
    cv_.wait_for(lock, 5s, [&] {
      for (const auto& m : messages_) {
        if (pred(m)) {
          found = m;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  // Whether a message matching `pred` was sent, without waiting.
  bool has(const std::function<bool(const json&)>& pred) {
    std::lock_guard lock(mu_);
    return std::any_of(messages_.begin(), messages_.end(), pred);
  }

 private:
  bool carries_requests_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<json> messages_;
};

Tool confirming_tool() {
  Tool t;
  t.name = "remove";
  t.title = "Remove";
  t.description = "Removes something after asking";
  t.input_schema = {{"type", "object"}, {"properties", {{"what", {{"type", "string"}}}}}};
  t.handler = [](const json& args, ToolContext& ctx) {
    ConfirmationRequest q;
    q.message = "Remove " + args.value("what", "") + "?";
    auto answer = ask_confirmation(ctx, q, 5s);
    if (!answer.ok()) return ToolResult::error("not asked: " + answer.error().message);
    return ToolResult::text(*answer == Confirmation::kConfirmed ? "removed" : "kept");
  };
  return t;
}

class SessionElicitationTest : public ::testing::Test {
 protected:
  void SetUp() override { make(true); }
  void make(bool carries_requests) {
    if (session_) TearDown();
    ToolRegistry registry;
    ASSERT_TRUE(registry.add(confirming_tool()).ok());
    server_ = std::make_unique<Server>(ServerInfo{"srv", "Server", "1", ""}, std::move(registry),
                                       CallGuard{});
    out_ = std::make_shared<Recorder>(carries_requests);
    session_ = Session::create(*server_, out_);
  }
  void TearDown() override {
    session_->cancel_all();
    session_->wait_until_idle(5s);
  }
  void initialize(json capabilities) {
    session_->handle_text(
        serialize(make_request(0, "initialize",
                               {{"protocolVersion", "2025-11-25"},
                                {"capabilities", std::move(capabilities)},
                                {"clientInfo", {{"name", "t"}, {"version", "1"}}}})));
    ASSERT_TRUE(out_->wait_for([](const json& m) { return m.value("id", json()) == 0; })
                    .contains("result"));
    session_->handle_text(R"({"jsonrpc":"2.0","method":"notifications/initialized"})");
  }
  json result_of(int id) {
    return out_->wait_for(
        [id](const json& m) { return m.value("id", json()) == id && !m.contains("method"); });
  }

  std::unique_ptr<Server> server_;
  std::shared_ptr<Recorder> out_;
  std::shared_ptr<Session> session_;
};

TEST_F(SessionElicitationTest, TheCallWaitsForThePersonsAnswer) {
  initialize({{"elicitation", json::object()}});
  session_->handle_text(serialize(make_request(
      7, "tools/call", {{"name", "remove"}, {"arguments", {{"what", "the cluster"}}}})));
  json asked =
      out_->wait_for([](const json& m) { return m.value("method", "") == "elicitation/create"; });
  ASSERT_FALSE(asked.is_null()) << "no elicitation/create reached the client";
  EXPECT_EQ(asked["params"]["message"], "Remove the cluster?");
  ASSERT_TRUE(asked.contains("id"));
  // Nothing is answered before the person is.
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(out_->has([](const json& m) { return m.value("id", json()) == 7; }));
  session_->handle_text(serialize(
      make_response(asked["id"], {{"action", "accept"}, {"content", {{"confirm", true}}}})));
  json r = result_of(7);
  ASSERT_TRUE(r.contains("result")) << r;
  EXPECT_EQ(r["result"]["content"][0]["text"], "removed");
}

TEST_F(SessionElicitationTest, ADeclineComesBackAsSuch) {
  initialize({{"elicitation", {{"form", json::object()}}}});
  session_->handle_text(serialize(
      make_request(8, "tools/call", {{"name", "remove"}, {"arguments", {{"what", "x"}}}})));
  json asked =
      out_->wait_for([](const json& m) { return m.value("method", "") == "elicitation/create"; });
  ASSERT_TRUE(asked.contains("id"));
  session_->handle_text(serialize(make_response(asked["id"], {{"action", "decline"}})));
  json r = result_of(8);
  ASSERT_TRUE(r.contains("result")) << r;
  EXPECT_EQ(r["result"]["content"][0]["text"], "kept");
}

TEST_F(SessionElicitationTest, AClientWithoutElicitationIsNeverSentTheRequest) {
  initialize(json::object());
  session_->handle_text(serialize(
      make_request(9, "tools/call", {{"name", "remove"}, {"arguments", {{"what", "x"}}}})));
  json r = result_of(9);
  ASSERT_TRUE(r.contains("result")) << r;
  EXPECT_TRUE(r["result"].value("isError", false));
  EXPECT_NE(r["result"]["content"][0]["text"].get<std::string>().find("elicitation capability"),
            std::string::npos);
  EXPECT_FALSE(
      out_->has([](const json& m) { return m.value("method", "") == "elicitation/create"; }));
}

TEST_F(SessionElicitationTest, AChannelThatCannotCarryRequestsFailsAtOnce) {
  make(/*carries_requests=*/false);  // as an HTTP client that accepts only JSON
  initialize({{"elicitation", json::object()}});
  const auto start = std::chrono::steady_clock::now();
  session_->handle_text(serialize(
      make_request(10, "tools/call", {{"name", "remove"}, {"arguments", {{"what", "x"}}}})));
  json r = result_of(10);
  ASSERT_TRUE(r.contains("result")) << r;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s)
      << "no wait for an answer that cannot come";
  EXPECT_NE(r["result"]["content"][0]["text"].get<std::string>().find("accepts no event stream"),
            std::string::npos)
      << r;
  EXPECT_FALSE(
      out_->has([](const json& m) { return m.value("method", "") == "elicitation/create"; }));
}

}  // namespace
}  // namespace ecs_mcp::mcp
