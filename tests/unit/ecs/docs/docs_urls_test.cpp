#include "ecs/docs/docs_urls.h"

#include <gtest/gtest.h>

#include "ecs/docs/html_markdown.h"

namespace ecs_mcp::ecs {
namespace {

TEST(DocsUrlsTest, OnlyHttpsAwsDocumentationHosts) {
  EXPECT_FALSE(
      refuse_docs_url("https://docs.aws.amazon.com/AmazonECS/latest/developerguide/Welcome.html"));
  EXPECT_FALSE(refuse_docs_url("https://aws.amazon.com/blogs/containers/x/"));
  EXPECT_FALSE(refuse_docs_url("HTTPS://Docs.AWS.amazon.com:443/x"));
  for (const char* bad :
       {"http://docs.aws.amazon.com/x", "https://docs.aws.amazon.com.evil.com/x",
        "https://user@docs.aws.amazon.com/x", "https://docs.aws.amazon.com:444/x",
        "https://evil.com#docs.aws.amazon.com", "https://docs.aws.amazon.com\\@evil.com/",
        "https://docs.aws.amazon.com /x", "ftp://docs.aws.amazon.com/", "",
        "https://:pw@docs.aws.amazon.com/x", "https://docs.aws.amazon.com\t/x",
        "docs.aws.amazon.com/x"}) {
    EXPECT_TRUE(refuse_docs_url(bad).has_value()) << bad;
  }
  EXPECT_TRUE(is_docs_page_url("https://docs.aws.amazon.com/x.html"));
  EXPECT_FALSE(is_docs_page_url("https://aws.amazon.com/blogs/x"));
}

TEST(DocsUrlsTest, ResolvesRedirectTargets) {
  const std::string base = "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/a.html?x=1";
  EXPECT_EQ(resolve_location(base, "/b.html"), "https://docs.aws.amazon.com/b.html");
  EXPECT_EQ(resolve_location(base, "c.html"),
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/c.html");
  EXPECT_EQ(resolve_location(base, "//evil.com/x"), "https://evil.com/x");
  EXPECT_EQ(resolve_location(base, "https://evil.com/x"), "https://evil.com/x");
  EXPECT_EQ(resolve_location(base, "../b.html"),
            "https://docs.aws.amazon.com/AmazonECS/latest/b.html");
  EXPECT_EQ(resolve_location(base, "#top"),
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/a.html?x=1#top");
}

TEST(TextPageTest, PagesWithoutSplittingCharacters) {
  const std::string text =
      "ab\xC3\xA9"
      "cd";  // a b é c d: é is two bytes
  auto first = page_of(text, 0, 3);
  EXPECT_EQ(first.text, "ab");
  EXPECT_EQ(first.next_start_index, 2u);
  auto second = page_of(text, 2, 10);
  EXPECT_EQ(second.text,
            "\xC3\xA9"
            "cd");
  EXPECT_EQ(second.next_start_index, 0u);
  EXPECT_TRUE(page_of(text, 99, 10).text.empty());
}

TEST(HtmlMarkdownTest, FallsBackToMainThenBody) {
  auto page = html_to_markdown(
      "<html><body><header>H</header><main><h3>T</h3><p>a<br>b</p></main></body></html>",
      "https://docs.aws.amazon.com/x/y.html");
  EXPECT_EQ(page.markdown, "### T\n\na\nb");
  auto body = html_to_markdown("<p>Only <em>body</em> <a href='z.html'>z</a></p>",
                               "https://docs.aws.amazon.com/x/y.html");
  EXPECT_EQ(body.markdown, "Only *body* [z](https://docs.aws.amazon.com/x/z.html)");
}

}  // namespace
}  // namespace ecs_mcp::ecs
