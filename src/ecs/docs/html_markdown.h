// An AWS documentation page (HTML) as markdown: the main content only (the page's
// `#main-col-body`, else `main`, else `#main-content`, else the body), with headings, lists
// (nested), code blocks, inline code, links made absolute, emphasis and tables kept, and
// scripts, navigation and page chrome dropped. Parsing is gumbo's (the HTML5 parsing
// algorithm, so malformed markup is handled as browsers do); only the rendering is ours.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ecs_mcp::ecs {

struct MarkdownPage {
  std::string title;     // the <title>, empty when absent
  std::string markdown;  // the main content
};

MarkdownPage html_to_markdown(std::string_view html, const std::string& page_url);

// One page of a long text: `max_length` bytes from `start_index` (never splitting a UTF-8
// character), and where the next page starts (0 when this is the last).
struct TextPage {
  std::string text;
  size_t next_start_index = 0;
  size_t total_length = 0;
};
TextPage page_of(const std::string& text, size_t start_index, size_t max_length);

}  // namespace ecs_mcp::ecs
