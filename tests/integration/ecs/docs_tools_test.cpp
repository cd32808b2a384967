// The documentation tools against fake servers on loopback: a Knowledge MCP server answering
// JSON, one answering SSE (and keeping the stream open), one that demands a session, one that
// rate limits, a docs.aws.amazon.com stand-in (pages, redirects) and the recommendations API.
// Every fake counts its requests, so "no request was made" is asserted, not assumed.
#include "ecs/docs/docs_tools.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "ecs/config.h"
#include "ecs/product.h"
#include "support/fake_os.h"

namespace ecs_mcp::ecs {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

class FakeServer {
 public:
  FakeServer() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(milliseconds(5));
  }
  ~FakeServer() {
    server_.stop();
    thread_.join();
  }
  httplib::Server& http() { return server_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  int requests() const { return requests_; }
  void count() { ++requests_; }
  std::vector<json> messages() {
    std::lock_guard<std::mutex> lock(mutex_);
    return messages_;
  }
  void record(const json& m) {
    std::lock_guard<std::mutex> lock(mutex_);
    messages_.push_back(m);
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int> requests_{0};
  std::mutex mutex_;
  std::vector<json> messages_;
};

// What the Knowledge server's tools answer, as the text content of a tools/call result.
json tool_answer(const json& request) {
  const json& params = request["params"];
  std::string name = params.value("name", "");
  const json& args = params["arguments"];
  json inner;
  if (name == "aws___search_documentation") {
    inner = {
        {"content",
         {{"result",
           {{{"rank_order", 1},
             {"url",
              "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definitions.html"},
             {"title", "Amazon ECS task definitions"},
             {"context",
              "A task definition is a blueprint for " + args.value("search_phrase", "")}},
            {{"rank_order", 2},
             {"url",
              "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service_limits.html"},
             {"title", "Amazon ECS service quotas"},
             {"context", "Quotas"}}}}}}};
  } else if (name == "aws___read_documentation") {
    std::string text(100, 'x');
    size_t start = args.value("start_index", 0);
    size_t max = args.value("max_length", 10000);
    inner = {
        {"content", {{"result", "# Page\n" + text.substr(std::min(start, text.size()), max)}}}};
  } else {
    return {{"content", {{{"type", "text"}, {"text", "unknown tool " + name}}}}, {"isError", true}};
  }
  return {{"content", {{{"type", "text"}, {"text", inner.dump()}}}}};
}

json rpc_result(const json& request, json result) {
  return {{"jsonrpc", "2.0"}, {"id", request["id"]}, {"result", std::move(result)}};
}

json initialize_result() {
  return {{"protocolVersion", "2025-06-18"},
          {"capabilities", {{"tools", json::object()}}},
          {"serverInfo", {{"name", "fake-knowledge"}, {"version", "1"}}}};
}

void serve_json_knowledge(FakeServer& fake) {
  fake.http().Post("/", [&fake](const httplib::Request& req, httplib::Response& res) {
    fake.count();
    json m = json::parse(req.body);
    fake.record(m);
    res.set_content(rpc_result(m, tool_answer(m)).dump(), "application/json");
  });
}

// Answers as an SSE stream: a notification first, then the answer, then keeps the stream
// open (with keep-alive comments) for a while, as some servers do.
void serve_sse_knowledge(FakeServer& fake) {
  fake.http().Post("/", [&fake](const httplib::Request& req, httplib::Response& res) {
    fake.count();
    json m = json::parse(req.body);
    fake.record(m);
    std::string events =
        "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
        "\"params\":{\"level\":\"info\",\"data\":\"working\"}}\n\n"
        ": keep-alive\r\n\r\n"
        "id: 7\r\nevent: message\r\ndata: " +
        rpc_result(m, tool_answer(m)).dump() + "\r\n\r\n";
    res.set_chunked_content_provider(
        "text/event-stream", [events](size_t, httplib::DataSink& sink) {
          if (!sink.write(events.data(), events.size())) return false;
          for (int i = 0; i < 100; ++i) {  // ten seconds unless the client goes away
            std::this_thread::sleep_for(milliseconds(100));
            if (!sink.write(": ping\n\n", 8)) return false;
          }
          sink.done();
          return true;
        });
  });
}

struct SessionServerState {
  std::atomic<int> initializes{0};
  std::atomic<int> session_counter{0};
  std::mutex mutex;
  std::string live_session;
  bool forget_after_call = false;
};

void serve_session_knowledge(FakeServer& fake, SessionServerState& state) {
  fake.http().Post("/", [&fake, &state](const httplib::Request& req, httplib::Response& res) {
    fake.count();
    json m = json::parse(req.body);
    fake.record(m);
    std::string method = m.value("method", "");
    std::string session = req.get_header_value("Mcp-Session-Id");
    if (method == "initialize") {
      ++state.initializes;
      std::lock_guard<std::mutex> lock(state.mutex);
      state.live_session = "session-" + std::to_string(++state.session_counter);
      res.set_header("Mcp-Session-Id", state.live_session);
      res.set_content(rpc_result(m, initialize_result()).dump(), "application/json");
      return;
    }
    if (session.empty()) {
      res.status = 400;
      res.set_content(
          R"({"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: No valid session ID provided"},"id":null})",
          "application/json");
      return;
    }
    std::lock_guard<std::mutex> lock(state.mutex);
    if (session != state.live_session) {
      res.status = 404;
      res.set_content(
          R"({"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null})",
          "application/json");
      return;
    }
    if (method == "notifications/initialized") {
      res.status = 202;
      return;
    }
    if (req.get_header_value("MCP-Protocol-Version") != "2025-06-18") {
      res.status = 400;
      res.set_content("missing protocol version", "text/plain");
      return;
    }
    res.set_content(rpc_result(m, tool_answer(m)).dump(), "application/json");
    if (state.forget_after_call) state.live_session = "forgotten";
  });
}

void serve_rate_limit(FakeServer& fake) {
  fake.http().Post("/", [&fake](const httplib::Request& req, httplib::Response& res) {
    fake.count();
    json m = json::parse(req.body);
    res.status = 429;
    res.set_header("Retry-After", "7");
    res.set_content(json{{"jsonrpc", "2.0"},
                         {"id", m["id"]},
                         {"error", {{"code", -32004}, {"message", "Rate limit exceeded"}}}}
                        .dump(),
                    "application/json");
  });
}

constexpr const char* kPageHtml = R"(<!DOCTYPE html>
<html><head><title>Task definitions - Amazon ECS</title><script>var x = 1;</script></head>
<body><nav>Skip this navigation</nav>
<div id="main-content"><div id="main-col-body">
<h1>Amazon ECS task definitions</h1>
<p>A <b>task definition</b> is a <a href="/AmazonECS/latest/developerguide/task_definition_parameters.html">blueprint</a>
for your application, see <code>containerDefinitions</code>.</p>
<h2>Launch types</h2>
<ul><li>Fargate<ul><li>platform 1.4.0</li></ul></li><li>EC2</li></ul>
<ol><li>First step</li><li>Second step</li></ol>
<pre class="programlisting"><code class="json">{
  "family": "web"
}</code></pre>
<table><thead><tr><th>Parameter</th><th>Required</th></tr></thead>
<tbody><tr><td>family</td><td>Yes</td></tr><tr><td>cpu</td><td>No | maybe</td></tr></tbody></table>
</div></div>
<footer>Footer text</footer></body></html>)";

void serve_docs_pages(FakeServer& fake) {
  fake.http().Get(R"(/AmazonECS/latest/developerguide/task_definitions\.html)",
                  [&fake](const httplib::Request&, httplib::Response& res) {
                    fake.count();
                    res.set_content(kPageHtml, "text/html");
                  });
  fake.http().Get("/moved.html", [&fake](const httplib::Request&, httplib::Response& res) {
    fake.count();
    res.status = 301;
    res.set_header("Location", "/AmazonECS/latest/developerguide/task_definitions.html");
  });
  fake.http().Get("/escape.html", [&fake](const httplib::Request&, httplib::Response& res) {
    fake.count();
    res.status = 302;
    res.set_header("Location", "https://evil.example.com/steal");
  });
}

class NoopContext : public mcp::ToolContext {
 public:
  bool cancelled() const override { return false; }
  void progress(double, std::optional<double>, const std::string&) override {}
  void log(mcp::LogLevel, const std::string&, const json&) override {}
};

// A port where nothing listens (bound, then closed).
std::string refused_url() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t size = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  close(fd);
  return "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
}

class DocsToolsTest : public ::testing::Test {
 protected:
  DocsSettings settings(const std::string& knowledge,
                        const std::string& pages = "http://127.0.0.1:1",
                        const std::string& recommend = "http://127.0.0.1:1") {
    DocsSettings s;
    s.knowledge_url = knowledge;
    s.pages_url = pages;
    s.recommend_url = recommend;
    s.connect_timeout = milliseconds(1000);
    s.timeout = milliseconds(3000);
    return s;
  }

  mcp::ToolResult call(const std::vector<mcp::Tool>& tools, const std::string& name,
                       const json& args) {
    for (const auto& t : tools) {
      if (t.name == name) return t.handler(args, context_);
    }
    ADD_FAILURE() << "no tool " << name;
    return mcp::ToolResult::error("no tool");
  }

  static std::string text_of(const mcp::ToolResult& r) {
    return r.content.at(0).at("text").get<std::string>();
  }

  NoopContext context_;
};

const char* kSearch = "aws_knowledge_aws___search_documentation";
const char* kRead = "aws_knowledge_aws___read_documentation";
const char* kRecommend = "aws_knowledge_aws___recommend";

TEST_F(DocsToolsTest, SearchOverJsonIsOneBareRequestAndIsCached) {
  FakeServer knowledge;
  serve_json_knowledge(knowledge);
  auto tools = make_docs_tools(settings(knowledge.url()));
  auto r = call(tools, kSearch,
                {{"search_phrase", "task definition"}, {"topics", {"reference_documentation"}}});
  ASSERT_FALSE(r.is_error) << text_of(r);
  ASSERT_TRUE(r.structured.has_value());
  const json& results = (*r.structured)["results"];
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0]["rank_order"], 1);
  EXPECT_EQ(results[0]["title"], "Amazon ECS task definitions");
  EXPECT_EQ(json::parse(text_of(r)), *r.structured);  // compact JSON text mirrors structuredContent
  EXPECT_EQ(knowledge.requests(), 1);
  auto sent = knowledge.messages().at(0);
  EXPECT_EQ(sent["method"], "tools/call");  // bare: no initialize first
  EXPECT_EQ(sent["params"]["name"], "aws___search_documentation");
  EXPECT_EQ(sent["params"]["arguments"]["topics"], json({"reference_documentation"}));

  auto again =
      call(tools, kSearch,
           {{"search_phrase", "task definition"}, {"topics", {"reference_documentation"}}});
  EXPECT_FALSE(again.is_error);
  EXPECT_EQ(knowledge.requests(), 1) << "a repeated search is answered from the cache";
}

TEST_F(DocsToolsTest, SearchOverSseStopsReadingOnceAnswered) {
  FakeServer knowledge;
  serve_sse_knowledge(knowledge);
  auto tools = make_docs_tools(settings(knowledge.url()));
  auto start = std::chrono::steady_clock::now();
  auto r = call(tools, kSearch, {{"search_phrase", "fargate"}});
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.is_error) << text_of(r);
  EXPECT_EQ((*r.structured)["results"].size(), 2u);
  EXPECT_LT(took, milliseconds(2000)) << "the open stream was not abandoned after the answer";
  EXPECT_EQ(knowledge.requests(), 1);
}

TEST_F(DocsToolsTest, SessionIsCreatedOnlyWhenDemandedAndRenewedOn404) {
  FakeServer knowledge;
  SessionServerState state;
  serve_session_knowledge(knowledge, state);
  auto tools = make_docs_tools(settings(knowledge.url()));
  auto r = call(tools, kSearch, {{"search_phrase", "one"}});
  ASSERT_FALSE(r.is_error) << text_of(r);
  EXPECT_EQ(state.initializes, 1);
  // bare call (400), initialize, notifications/initialized, the call again
  EXPECT_EQ(knowledge.requests(), 4);

  auto second = call(tools, kSearch, {{"search_phrase", "two"}});
  ASSERT_FALSE(second.is_error) << text_of(second);
  EXPECT_EQ(state.initializes, 1) << "the session is kept";
  EXPECT_EQ(knowledge.requests(), 5) << "no bare attempt once a session is known to be needed";

  {
    std::lock_guard<std::mutex> lock(state.mutex);
    state.live_session = "expired";
  }
  auto third = call(tools, kSearch, {{"search_phrase", "three"}});
  ASSERT_FALSE(third.is_error) << text_of(third);
  EXPECT_EQ(state.initializes, 2) << "a 404 starts a new session";
}

TEST_F(DocsToolsTest, RateLimitIsAnErrorWithRetryAdviceAfterOneRequest) {
  FakeServer knowledge;
  serve_rate_limit(knowledge);
  auto tools = make_docs_tools(settings(knowledge.url()));
  auto r = call(tools, kSearch, {{"search_phrase", "quotas"}});
  ASSERT_TRUE(r.is_error);
  EXPECT_NE(text_of(r).find("rate limit"), std::string::npos) << text_of(r);
  EXPECT_NE(text_of(r).find("retry in 7 s"), std::string::npos) << text_of(r);
  EXPECT_EQ(knowledge.requests(), 1) << "no session fallback, no retry storm";
}

TEST_F(DocsToolsTest, ReadPassesPagingToTheKnowledgeServer) {
  FakeServer knowledge;
  serve_json_knowledge(knowledge);
  auto tools = make_docs_tools(settings(knowledge.url()));
  auto r =
      call(tools, kRead,
           {{"url", "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/Welcome.html"},
            {"start_index", 90},
            {"max_length", 5}});
  ASSERT_FALSE(r.is_error) << text_of(r);
  EXPECT_EQ((*r.structured)["content"], "# Page\nxxxxx");
  EXPECT_EQ((*r.structured)["source"], "knowledge");
  auto sent = knowledge.messages().at(0)["params"]["arguments"];
  EXPECT_EQ(sent["start_index"], 90);
  EXPECT_EQ(sent["max_length"], 5);
}

TEST_F(DocsToolsTest, ReadFallsBackToThePageAsMarkdownWithPaging) {
  FakeServer pages;
  serve_docs_pages(pages);
  auto tools = make_docs_tools(settings(refused_url(), pages.url()));
  const std::string url =
      "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definitions.html";
  auto r = call(tools, kRead, {{"url", url}});
  ASSERT_FALSE(r.is_error) << text_of(r);
  const std::string md = (*r.structured)["content"];
  EXPECT_EQ((*r.structured)["source"], "docs.aws.amazon.com");
  EXPECT_NE(md.find("Title: Task definitions - Amazon ECS"), std::string::npos) << md;
  EXPECT_NE(md.find("# Amazon ECS task definitions"), std::string::npos) << md;
  EXPECT_NE(md.find("## Launch types"), std::string::npos) << md;
  EXPECT_NE(md.find("- Fargate\n  - platform 1.4.0\n- EC2"), std::string::npos) << md;
  EXPECT_NE(md.find("1. First step\n2. Second step"), std::string::npos) << md;
  EXPECT_NE(md.find("```json\n{\n  \"family\": \"web\"\n}\n```"), std::string::npos) << md;
  EXPECT_NE(
      md.find("| Parameter | Required |\n| --- | --- |\n| family | Yes |\n| cpu | No \\| maybe |"),
      std::string::npos)
      << md;
  EXPECT_NE(md.find("[blueprint](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/"
                    "task_definition_parameters.html)"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("**task definition**"), std::string::npos) << md;
  EXPECT_NE(md.find("`containerDefinitions`"), std::string::npos) << md;
  EXPECT_EQ(md.find("navigation"), std::string::npos) << md;
  EXPECT_EQ(md.find("Footer"), std::string::npos) << md;
  EXPECT_EQ(md.find("var x"), std::string::npos) << md;
  EXPECT_FALSE(r.structured->contains("next_start_index"));

  auto first = call(tools, kRead, {{"url", url}, {"max_length", 40}});
  ASSERT_FALSE(first.is_error);
  EXPECT_EQ((*first.structured)["content"], md.substr(0, 40));
  EXPECT_EQ((*first.structured)["next_start_index"], 40);
  EXPECT_NE((*first.structured)["note"].get<std::string>().find("start_index=40"),
            std::string::npos);
  auto second = call(tools, kRead, {{"url", url}, {"max_length", 40}, {"start_index", 40}});
  EXPECT_EQ((*second.structured)["content"], md.substr(40, 40));
  EXPECT_EQ(pages.requests(), 1) << "later parts come from the cache";
}

TEST_F(DocsToolsTest, FallbackFollowsRedirectsWithinTheDocsOnly) {
  FakeServer pages;
  serve_docs_pages(pages);
  auto tools = make_docs_tools(settings(refused_url(), pages.url()));
  auto moved = call(tools, kRead, {{"url", "https://docs.aws.amazon.com/moved.html"}});
  ASSERT_FALSE(moved.is_error) << text_of(moved);
  EXPECT_EQ((*moved.structured)["url"],
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definitions.html");
  auto escaped = call(tools, kRead, {{"url", "https://docs.aws.amazon.com/escape.html"}});
  ASSERT_TRUE(escaped.is_error);
  EXPECT_NE(text_of(escaped).find("redirects outside"), std::string::npos) << text_of(escaped);
  EXPECT_EQ(pages.requests(), 3);
}

TEST_F(DocsToolsTest, UrlsOutsideTheDocsAreRefusedBeforeAnyRequest) {
  FakeServer knowledge;
  serve_json_knowledge(knowledge);
  FakeServer recs;
  recs.http().Get("/", [&recs](const httplib::Request&, httplib::Response& res) {
    recs.count();
    res.set_content("{}", "application/json");
  });
  auto tools = make_docs_tools(settings(knowledge.url(), knowledge.url(), recs.url()));
  for (const std::string url :
       {"https://example.com/x.html",
        "http://docs.aws.amazon.com/AmazonECS/latest/developerguide/Welcome.html",
        "https://docs.aws.amazon.com.evil.com/a", "https://docs.aws.amazon.com@evil.com/a",
        "https://docs.aws.amazon.com:8443/a", "file:///etc/passwd",
        "https://evil.com\\@docs.aws.amazon.com/"}) {
    auto r = call(tools, kRead, {{"url", url}});
    EXPECT_TRUE(r.is_error) << url;
    EXPECT_NE(text_of(r).find("Refused"), std::string::npos) << url;
    auto rec = call(tools, kRecommend, {{"url", url}});
    EXPECT_TRUE(rec.is_error) << url;
  }
  EXPECT_EQ(knowledge.requests(), 0);
  EXPECT_EQ(recs.requests(), 0);
}

TEST_F(DocsToolsTest, RecommendReturnsTheFourGroups) {
  FakeServer recs;
  std::string seen_path;
  recs.http().Get("/v1/recommendations", [&](const httplib::Request& req, httplib::Response& res) {
    recs.count();
    seen_path = req.get_param_value("path");
    json body = {
        {"highlyRated",
         {{"items",
           {{{"url", "https://docs.aws.amazon.com/a.html"},
             {"assetTitle", "A"},
             {"abstract", "About A\nmore"}}}}}},
        {"new",
         {{"items",
           {{{"url", "https://docs.aws.amazon.com/n.html"},
             {"assetTitle", "N"},
             {"dateCreated", "2026-01-02"}}}}}},
        {"similar",
         {{"items",
           {{{"url", "https://docs.aws.amazon.com/s.html"},
             {"assetTitle", "S"},
             {"abstract", "Like it"}}}}}},
        {"journey",
         {{"items",
           {{{"intent", "Deploy"},
             {"urls", {{{"url", "https://docs.aws.amazon.com/j.html"}, {"assetTitle", "J"}}}}}}}}}};
    res.set_content(body.dump(), "application/json");
  });
  auto tools = make_docs_tools(
      settings("http://127.0.0.1:1", "http://127.0.0.1:1", recs.url() + "/v1/recommendations"));
  const std::string url =
      "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/Welcome.html";
  auto r = call(tools, kRecommend, {{"url", url}});
  ASSERT_FALSE(r.is_error) << text_of(r);
  EXPECT_EQ(seen_path, url);
  const json& pages = (*r.structured)["pages"];
  ASSERT_EQ(pages.size(), 4u) << pages.dump();
  EXPECT_EQ(pages[0], json({{"group", "highly_rated"},
                            {"url", "https://docs.aws.amazon.com/a.html"},
                            {"title", "A"},
                            {"context", "About A more"}}));
  EXPECT_EQ(pages[1]["group"], "new");
  EXPECT_EQ(pages[1]["context"], "added 2026-01-02");
  EXPECT_EQ(pages[2]["title"], "S");
  EXPECT_EQ(pages[3], json({{"group", "journey"},
                            {"url", "https://docs.aws.amazon.com/j.html"},
                            {"title", "J"},
                            {"context", "Deploy"}}));
  call(tools, kRecommend, {{"url", url}});
  EXPECT_EQ(recs.requests(), 1);
}

TEST_F(DocsToolsTest, UnansweredEndpointFailsWithinTheTimeout) {
  // A listener that never accepts: connections hang until the client gives up.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t size = sizeof(address);
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  listen(fd, 8);
  auto s = settings("http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)));
  s.timeout = milliseconds(1000);
  auto tools = make_docs_tools(s);
  auto start = std::chrono::steady_clock::now();
  auto r = call(tools, kSearch, {{"search_phrase", "anything"}});
  auto took = std::chrono::steady_clock::now() - start;
  close(fd);
  ASSERT_TRUE(r.is_error);
  EXPECT_NE(text_of(r).find("HttpTimeout"), std::string::npos) << text_of(r);
  EXPECT_NE(text_of(r).find("ECS_MCP_DOCS=off"), std::string::npos) << text_of(r);
  EXPECT_LT(took, milliseconds(2500));
}

TEST(DocsProductTest, ListingTheToolsMakesNoRequestAndOffRemovesThem) {
  FakeServer knowledge;
  serve_json_knowledge(knowledge);
  std::vector<std::string> warnings;
  ecs_mcp::testing::FakeOs os;
  os.set("ECS_MCP_KNOWLEDGE_URL", knowledge.url())
      .set("ECS_MCP_DOCS_RECOMMEND_URL", knowledge.url())
      .set("ECS_MCP_DOCS_PAGES_URL", knowledge.url())
      .set("AWS_REGION", "us-east-1");
  auto config = load_config({}, os);
  ASSERT_TRUE(config.ok());
  auto server = make_product_server(*config);
  ASSERT_TRUE(server.ok());
  int docs_tools = 0;
  for (const auto& t : (*server)->tools().tools()) {
    json listed = t.to_json();
    if (t.name.rfind("aws_knowledge_aws___", 0) == 0) {
      ++docs_tools;
      EXPECT_LE(t.name.size(), 40u);
      EXPECT_LE(t.description.size(), 1024u);
      EXPECT_LE(listed.dump().size(), 1100u) << t.name << " is not lean";
      EXPECT_TRUE(listed["annotations"]["readOnlyHint"].get<bool>());
      EXPECT_TRUE(listed["annotations"]["openWorldHint"].get<bool>());
    }
  }
  EXPECT_EQ(docs_tools, 3);
  EXPECT_EQ(knowledge.requests(), 0);

  ecs_mcp::testing::FakeOs off_os;
  off_os.set("ECS_MCP_DOCS", "off");
  auto off = load_config({}, off_os);
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->docs.enabled);
  auto without = make_product_server(*off);
  ASSERT_TRUE(without.ok());
  for (const auto& t : (*without)->tools().tools())
    EXPECT_NE(t.name.rfind("aws_knowledge_", 0), 0u) << t.name;
}

}  // namespace
}  // namespace ecs_mcp::ecs
