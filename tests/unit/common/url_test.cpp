#include "common/url.h"

#include <gtest/gtest.h>

namespace ecs_mcp {
namespace {

TEST(Url, SplitsTheParts) {
  auto url = parse_url("HTTPS://ecs.us-east-1.amazonaws.com:443/a/b?x=1&y=2#frag");
  ASSERT_TRUE(url.ok()) << url.error().describe();
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "ecs.us-east-1.amazonaws.com");
  EXPECT_EQ(url->port, "443");
  EXPECT_EQ(url->path, "/a/b");
  EXPECT_EQ(url->query, "x=1&y=2");
  EXPECT_EQ(url->host_header(), "ecs.us-east-1.amazonaws.com");
}

TEST(Url, DefaultsAndIpv6) {
  auto url = parse_url("http://[::1]:5000");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "[::1]");
  EXPECT_EQ(url->bare_host(), "::1");
  EXPECT_EQ(url->host_header(), "[::1]:5000");
  EXPECT_EQ(url->path, "/");
  EXPECT_EQ(url->query, "");
  url = parse_url("http://127.0.0.1/creds");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->port, "");
  EXPECT_EQ(url->host_header(), "127.0.0.1");
}

TEST(Url, PathIsKeptAsWritten) {
  auto url = parse_url("https://example.com/a/../b/%2F/c");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->path, "/a/../b/%2F/c");
}

TEST(Url, UserInfoIsNotTheHost) {
  auto url = parse_url("http://169.254.170.2@evil.example:80@127.0.0.1/creds");
  // Whatever libcurl decides, bare_host() is the host it would connect to.
  if (url.ok()) {
    EXPECT_NE(url->bare_host(), "169.254.170.2");
  }
  url = parse_url("http://user:pw@Example.COM/x#frag");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->bare_host(), "example.com");
  EXPECT_EQ(url->user, "user");
  EXPECT_EQ(url->password, "pw");
  EXPECT_EQ(url->fragment, "frag");
  url = parse_url("https://example.com/x");
  ASSERT_TRUE(url.ok());
  EXPECT_TRUE(url->user.empty());
  EXPECT_TRUE(url->password.empty());
  EXPECT_TRUE(url->fragment.empty());
}

TEST(Url, ResolvesReferences) {
  const std::string base = "https://example.com/a/b/c.html?q=1";
  EXPECT_EQ(*resolve_url(base, "d.html"), "https://example.com/a/b/d.html");
  EXPECT_EQ(*resolve_url(base, "../d.html"), "https://example.com/a/d.html");
  EXPECT_EQ(*resolve_url(base, "/d"), "https://example.com/d");
  EXPECT_EQ(*resolve_url(base, "//other.example/d"), "https://other.example/d");
  EXPECT_EQ(*resolve_url(base, "http://other.example/d"), "http://other.example/d");
  EXPECT_EQ(*resolve_url(base, "?r=2"), "https://example.com/a/b/c.html?r=2");
  EXPECT_EQ(*resolve_url(base, "#part"), "https://example.com/a/b/c.html?q=1#part");
  EXPECT_EQ(*resolve_url(base + "#old", "#new"), "https://example.com/a/b/c.html?q=1#new");
  EXPECT_FALSE(resolve_url("not a base", "d.html").ok());
}

TEST(Url, RejectsWhatIsNotAnAbsoluteUrl) {
  EXPECT_FALSE(parse_url("localhost:5000").ok());
  EXPECT_FALSE(parse_url("/relative/path").ok());
  EXPECT_FALSE(parse_url("").ok());
  EXPECT_FALSE(parse_url("http://").ok());
  EXPECT_EQ(parse_url("no url").error().code, ErrorCode::kInvalidUrl);
}

TEST(Loopback, HostsOfThisMachineOnly) {
  for (const char* host :
       {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "127.255.255.255", "::1", "[::1]"}) {
    EXPECT_TRUE(is_loopback_host(host)) << host;
  }
  for (const char* host :
       {"", "0.0.0.0", "::", "10.0.0.5", "example.com", "127.0.0.1.example.com", "127.0.0",
        "127.0.0.256", "127.0.0.1.", "127..0.1", "128.0.0.1", "localhost.example.com", "[::2]"}) {
    EXPECT_FALSE(is_loopback_host(host)) << host;
  }
}

}  // namespace
}  // namespace ecs_mcp
