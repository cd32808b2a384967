// The request-head parser on its own: what it accepts, and each way of refusing a head that
// could be read differently by another parser in front of or behind this server.
#include "mcp/http_request_head.h"

#include <gtest/gtest.h>

namespace ecs_mcp::mcp::http {
namespace {

TEST(HttpRequestHead, ParsesRequestLineAndHeaders) {
  RequestHead h = parse_request_head(
      "POST /mcp?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nContent-Length:  12 \r\n"
      "Mcp-Session-Id: abc\r\nExpect: 100-Continue");
  ASSERT_EQ(h.refusal_status, 0) << h.refusal;
  EXPECT_EQ(h.request.method, "POST");
  EXPECT_EQ(h.request.target, "/mcp?x=1");
  EXPECT_EQ(h.request.path, "/mcp");
  EXPECT_EQ(h.content_length, 12u);
  EXPECT_TRUE(h.keep_alive);
  EXPECT_TRUE(h.expect_continue);
  ASSERT_NE(h.request.header("mcp-session-id"), nullptr);
  EXPECT_EQ(*h.request.header("mcp-session-id"), "abc");
}

TEST(HttpRequestHead, ConnectionHeaderDecidesKeepAlive) {
  EXPECT_FALSE(parse_request_head("GET / HTTP/1.1\r\nHost: a\r\nConnection: close").keep_alive);
  EXPECT_FALSE(parse_request_head("GET / HTTP/1.0").keep_alive);
  EXPECT_TRUE(parse_request_head("GET / HTTP/1.0\r\nConnection: Keep-Alive").keep_alive);
}

TEST(HttpRequestHead, RefusesWhatCouldBeSmuggled) {
  struct Case {
    const char* head;
    int status;
  };
  for (const Case& c : {
           Case{"GET /", 400},
           Case{" / HTTP/1.1\r\nHost: a", 400},
           Case{"GET / HTTP/2.0\r\nHost: a", 505},
           Case{"GET /a\x01 HTTP/1.1\r\nHost: a", 400},
           Case{"G(T / HTTP/1.1\r\nHost: a", 400},
           Case{"GET / HTTP/1.1", 400},
           Case{"GET / HTTP/1.1\r\nHost: a\r\nHost: b", 400},
           Case{"GET / HTTP/1.1\r\nHost: a\r\n folded", 400},
           Case{"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb", 400},
           Case{"GET / HTTP/1.1\r\nHost: a\r\nX: a\nb", 400},
           Case{"GET / HTTP/1.1\r\nHost: a\r\nBad Name: a", 400},
           Case{"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2", 400},
           Case{"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: -1", 400},
           Case{"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1234567890123456789", 400},
           Case{"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked", 411},
       }) {
    RequestHead h = parse_request_head(c.head);
    EXPECT_EQ(h.refusal_status, c.status) << c.head;
    EXPECT_FALSE(h.refusal.empty()) << c.head;
  }
  std::string nul("GET / HTTP/1.1\r\nHost: a\r\nX: a\0b", 32);
  EXPECT_EQ(parse_request_head(nul).refusal_status, 400);
}

TEST(HttpRequestHead, RepeatedEqualContentLengthsAreOne) {
  RequestHead h =
      parse_request_head("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3");
  EXPECT_EQ(h.refusal_status, 0);
  EXPECT_EQ(h.content_length, 3u);
}

}  // namespace
}  // namespace ecs_mcp::mcp::http
