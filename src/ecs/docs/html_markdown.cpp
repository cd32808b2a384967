#include "ecs/docs/html_markdown.h"

#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <memory>
#include <vector>

#include "ecs/docs/docs_urls.h"

namespace ecs_mcp::ecs {
namespace {

using Nodes = std::vector<const GumboNode*>;

Nodes children_of(const GumboNode* node) {
  Nodes out;
  const GumboVector* v = nullptr;
  if (node->type == GUMBO_NODE_ELEMENT || node->type == GUMBO_NODE_TEMPLATE)
    v = &node->v.element.children;
  if (node->type == GUMBO_NODE_DOCUMENT) v = &node->v.document.children;
  if (v == nullptr) return out;
  for (unsigned i = 0; i < v->length; ++i) out.push_back(static_cast<const GumboNode*>(v->data[i]));
  return out;
}

bool is_element(const GumboNode* node) { return node->type == GUMBO_NODE_ELEMENT; }
GumboTag tag_of(const GumboNode* node) {
  return is_element(node) ? node->v.element.tag : GUMBO_TAG_UNKNOWN;
}

std::string attribute(const GumboNode* node, const char* name) {
  if (!is_element(node)) return {};
  const GumboAttribute* a = gumbo_get_attribute(&node->v.element.attributes, name);
  return a == nullptr ? std::string() : std::string(a->value);
}

bool skipped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_INPUT:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_TEXTAREA:
    case GUMBO_TAG_IMG:
      return true;
    default:
      return false;
  }
}

bool is_inline(const GumboNode* node) {
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
      node->type == GUMBO_NODE_CDATA)
    return true;
  if (!is_element(node)) return false;
  switch (node->v.element.tag) {
    case GUMBO_TAG_A:
    case GUMBO_TAG_ABBR:
    case GUMBO_TAG_B:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_CITE:
    case GUMBO_TAG_CODE:
    case GUMBO_TAG_EM:
    case GUMBO_TAG_I:
    case GUMBO_TAG_KBD:
    case GUMBO_TAG_LABEL:
    case GUMBO_TAG_MARK:
    case GUMBO_TAG_Q:
    case GUMBO_TAG_S:
    case GUMBO_TAG_SAMP:
    case GUMBO_TAG_SMALL:
    case GUMBO_TAG_SPAN:
    case GUMBO_TAG_STRONG:
    case GUMBO_TAG_SUB:
    case GUMBO_TAG_SUP:
    case GUMBO_TAG_TIME:
    case GUMBO_TAG_U:
    case GUMBO_TAG_VAR:
    case GUMBO_TAG_IMG:
    case GUMBO_TAG_WBR:
      return true;
    default:
      return false;
  }
}

// Collapses runs of spaces, trims every line, drops empty lines.
std::string tidy(const std::string& text) {
  std::string out;
  std::string line;
  auto flush = [&] {
    size_t b = line.find_first_not_of(' ');
    if (b != std::string::npos) {
      size_t e = line.find_last_not_of(' ');
      if (!out.empty()) out += '\n';
      out += line.substr(b, e - b + 1);
    }
    line.clear();
  };
  for (char c : text) {
    if (c == '\n') {
      flush();
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      if (!line.empty() && line.back() != ' ') line += ' ';
    } else {
      line += c;
    }
  }
  flush();
  return out;
}

std::string raw_text(const GumboNode* node) {
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
      node->type == GUMBO_NODE_CDATA) {
    return node->v.text.text;
  }
  if (tag_of(node) == GUMBO_TAG_BR) return "\n";
  std::string out;
  for (const GumboNode* child : children_of(node)) out += raw_text(child);
  return out;
}

// Prefixes the first line with `first` and every later non-empty line with `rest`.
std::string indent(const std::string& text, const std::string& first, const std::string& rest) {
  std::string out = first;
  for (size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '\n' && i + 1 < text.size() && text[i + 1] != '\n') out += rest;
  }
  return out;
}

// A list item's text and its nested list stay together (a tight list): the blank line
// between them goes.
std::string tighten(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "\n\n") == 0) {
      size_t next = i + 2;
      size_t digits = next;
      while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits])))
        ++digits;
      bool list_follows =
          text.compare(next, 2, "- ") == 0 || (digits > next && text.compare(digits, 2, ". ") == 0);
      if (list_follows) {
        out += '\n';
        ++i;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

class Renderer {
 public:
  explicit Renderer(std::string base) : base_(std::move(base)) {}

  std::string blocks(const GumboNode* parent) {
    std::vector<std::string> parts;
    std::string run;
    auto flush = [&] {
      std::string t = tidy(run);
      if (!t.empty()) parts.push_back(t);
      run.clear();
    };
    for (const GumboNode* child : children_of(parent)) {
      if (is_inline(child)) {
        run += inline_text(child);
      } else if (is_element(child)) {
        flush();
        std::string b = block(child);
        if (!b.empty()) parts.push_back(b);
      }
    }
    flush();
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "\n\n") + p;
    return out;
  }

 private:
  std::string inline_text(const GumboNode* node) {
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
        node->type == GUMBO_NODE_CDATA) {
      std::string t = node->v.text.text;
      std::replace(t.begin(), t.end(), '\n', ' ');
      return t;
    }
    if (!is_element(node)) return {};
    GumboTag tag = node->v.element.tag;
    if (skipped(tag)) return {};
    if (tag == GUMBO_TAG_BR) return "\n";
    if (tag == GUMBO_TAG_CODE || tag == GUMBO_TAG_KBD || tag == GUMBO_TAG_SAMP) {
      std::string t = raw_text(node);
      std::replace(t.begin(), t.end(), '\n', ' ');
      return t.find_first_not_of(' ') == std::string::npos ? t : "`" + t + "`";
    }
    std::string inner;
    for (const GumboNode* child : children_of(node)) inner += inline_text(child);
    if (!is_inline(node))
      return " " + inner + " ";  // a block inside inline context (a <p> in a cell)
    bool blank = inner.find_first_not_of(" \n") == std::string::npos;
    if (blank) return inner;
    switch (tag) {
      case GUMBO_TAG_STRONG:
      case GUMBO_TAG_B:
        return "**" + inner + "**";
      case GUMBO_TAG_EM:
      case GUMBO_TAG_I:
        return "*" + inner + "*";
      case GUMBO_TAG_A: {
        std::string href = attribute(node, "href");
        if (href.empty() || href[0] == '#' || href.rfind("javascript:", 0) == 0) return inner;
        return "[" + inner + "](" + resolve_location(base_, href) + ")";
      }
      default:
        return inner;
    }
  }

  std::string block(const GumboNode* node) {
    GumboTag tag = node->v.element.tag;
    if (skipped(tag) || attribute(node, "aria-hidden") == "true" ||
        gumbo_get_attribute(&node->v.element.attributes, "hidden") != nullptr)
      return {};
    switch (tag) {
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_H4:
      case GUMBO_TAG_H5:
      case GUMBO_TAG_H6: {
        std::string text = tidy(inline_children(node));
        std::replace(text.begin(), text.end(), '\n', ' ');
        if (text.empty()) return {};
        return std::string(static_cast<size_t>(tag - GUMBO_TAG_H1 + 1), '#') + " " + text;
      }
      case GUMBO_TAG_PRE:
        return code_block(node);
      case GUMBO_TAG_UL:
      case GUMBO_TAG_OL:
        return list(node, tag == GUMBO_TAG_OL);
      case GUMBO_TAG_TABLE:
        return table(node);
      case GUMBO_TAG_HR:
        return "---";
      case GUMBO_TAG_BLOCKQUOTE: {
        std::string inner = blocks(node);
        return inner.empty() ? inner : indent(inner, "> ", "> ");
      }
      case GUMBO_TAG_DT: {
        std::string text = tidy(inline_children(node));
        return text.empty() ? text : "**" + text + "**";
      }
      default:
        return blocks(node);
    }
  }

  std::string inline_children(const GumboNode* node) {
    std::string out;
    for (const GumboNode* child : children_of(node)) out += inline_text(child);
    return out;
  }

  std::string code_block(const GumboNode* node) {
    std::string text = raw_text(node);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    while (!text.empty() && text.front() == '\n') text.erase(0, 1);
    std::string language;
    for (const GumboNode* child : children_of(node)) {
      if (tag_of(child) == GUMBO_TAG_CODE) language = attribute(child, "class");
    }
    if (language.find_first_of(" -") != std::string::npos || language.size() > 20) language.clear();
    std::string fence = text.find("```") == std::string::npos ? "```" : "~~~~";
    return fence + language + "\n" + text + "\n" + fence;
  }

  std::string list(const GumboNode* node, bool ordered) {
    std::string out;
    int n = 0;
    for (const GumboNode* item : children_of(node)) {
      if (tag_of(item) != GUMBO_TAG_LI) continue;
      std::string marker = ordered ? std::to_string(++n) + ". " : "- ";
      std::string content = tighten(blocks(item));
      if (content.empty()) continue;
      out += (out.empty() ? "" : "\n") + indent(content, marker, std::string(marker.size(), ' '));
    }
    return out;
  }

  void rows_of(const GumboNode* node, std::vector<std::vector<std::string>>& rows) {
    for (const GumboNode* child : children_of(node)) {
      GumboTag tag = tag_of(child);
      if (tag == GUMBO_TAG_THEAD || tag == GUMBO_TAG_TBODY || tag == GUMBO_TAG_TFOOT) {
        rows_of(child, rows);
      } else if (tag == GUMBO_TAG_TR) {
        std::vector<std::string> cells;
        for (const GumboNode* cell : children_of(child)) {
          GumboTag ct = tag_of(cell);
          if (ct != GUMBO_TAG_TD && ct != GUMBO_TAG_TH) continue;
          std::string text = tidy(inline_children(cell));
          std::replace(text.begin(), text.end(), '\n', ' ');
          std::string escaped;
          for (char c : text) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
          cells.push_back(escaped);
        }
        if (!cells.empty()) rows.push_back(std::move(cells));
      }
    }
  }

  std::string table(const GumboNode* node) {
    std::vector<std::vector<std::string>> rows;
    rows_of(node, rows);
    if (rows.empty()) return {};
    size_t columns = 0;
    for (const auto& r : rows) columns = std::max(columns, r.size());
    std::string out;
    for (size_t i = 0; i < rows.size(); ++i) {
      rows[i].resize(columns);
      out += "|";
      for (const auto& cell : rows[i]) out += " " + cell + " |";
      out += "\n";
      if (i == 0) {
        out += "|";
        for (size_t c = 0; c < columns; ++c) out += " --- |";
        out += "\n";
      }
    }
    out.pop_back();
    return out;
  }

  std::string base_;
};

const GumboNode* find(const GumboNode* node, const std::function<bool(const GumboNode*)>& match) {
  if (is_element(node) && match(node)) return node;
  for (const GumboNode* child : children_of(node)) {
    if (const GumboNode* found = find(child, match)) return found;
  }
  return nullptr;
}

}  // namespace

MarkdownPage html_to_markdown(std::string_view html, const std::string& page_url) {
  std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> output(
      gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()),
      [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
  MarkdownPage page;
  if (const GumboNode* title =
          find(output->root, [](const GumboNode* n) { return tag_of(n) == GUMBO_TAG_TITLE; })) {
    page.title = tidy(raw_text(title));
  }
  const GumboNode* main =
      find(output->root, [](const GumboNode* n) { return attribute(n, "id") == "main-col-body"; });
  if (!main)
    main = find(output->root, [](const GumboNode* n) { return tag_of(n) == GUMBO_TAG_MAIN; });
  if (!main)
    main =
        find(output->root, [](const GumboNode* n) { return attribute(n, "id") == "main-content"; });
  if (!main)
    main = find(output->root, [](const GumboNode* n) { return tag_of(n) == GUMBO_TAG_BODY; });
  if (!main) main = output->root;
  page.markdown = Renderer(page_url).blocks(main);
  return page;
}

TextPage page_of(const std::string& text, size_t start_index, size_t max_length) {
  TextPage page;
  page.total_length = text.size();
  if (start_index >= text.size()) return page;
  size_t end = std::min(text.size(), start_index + std::max<size_t>(max_length, 1));
  // Back off to a character boundary (continuation bytes are 10xxxxxx).
  while (end < text.size() && end > start_index + 1 &&
         (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
    --end;
  page.text = text.substr(start_index, end - start_index);
  page.next_start_index = end < text.size() ? end : 0;
  return page;
}

}  // namespace ecs_mcp::ecs
