#include "mcp/http_request_head.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <optional>
#include <string>

#include "common/strings.h"

namespace ecs_mcp::mcp::http {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         (c != '\0' && std::strchr("!#$%&'*+-.^_`|~", c));
}

// RFC 9110 field-value characters: visible ASCII, obs-text, space and tab. CR, LF and NUL
// in particular must never reach a handler (or a proxy behind which we might sit).
bool is_field_value_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return c == '\t' || (u >= 0x20 && u != 0x7f);
}

// A request-target has no spaces or control characters.
bool is_target_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u != 0x7f;
}

RequestHead refused(int status, std::string_view why) {
  RequestHead head;
  head.refusal_status = status;
  head.refusal = why;
  return head;
}

}  // namespace

RequestHead parse_request_head(std::string_view head) {
  RequestHead out;
  HttpRequest& req = out.request;
  size_t line_end = head.find("\r\n");
  std::string_view line = head.substr(0, line_end);
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos || sp1 == 0) {
    return refused(400, "malformed request line");
  }
  req.method = std::string(line.substr(0, sp1));
  req.target = std::string(line.substr(sp1 + 1, sp2 - sp1 - 1));
  std::string_view version = line.substr(sp2 + 1);
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return refused(505, "only HTTP/1.1 is supported");
  }
  if (!std::all_of(req.method.begin(), req.method.end(), is_token_char) || req.target.empty() ||
      !std::all_of(req.target.begin(), req.target.end(), is_target_char)) {
    return refused(400, "malformed request line");
  }
  req.path = req.target.substr(0, req.target.find('?'));
  out.keep_alive = version == "HTTP/1.1";
  std::optional<size_t> content_length;
  bool chunked = false;
  int hosts = 0;
  size_t pos = line_end == std::string_view::npos ? head.size() : line_end + 2;
  while (pos < head.size()) {
    size_t next = head.find("\r\n", pos);
    if (next == std::string_view::npos) next = head.size();
    std::string_view h = head.substr(pos, next - pos);
    pos = next + 2;
    size_t colon = h.find(':');
    if (colon == std::string_view::npos || colon == 0 || h.front() == ' ' || h.front() == '\t') {
      return refused(400, "malformed request header");  // includes obsolete line folding
    }
    std::string name = ascii_lower(h.substr(0, colon));
    if (!std::all_of(name.begin(), name.end(), is_token_char)) {
      return refused(400, "malformed request header");
    }
    std::string_view raw_value = h.substr(colon + 1);
    if (!std::all_of(raw_value.begin(), raw_value.end(), is_field_value_char)) {
      // A bare CR or LF would end the line for some other parser: smuggling.
      return refused(400, "malformed request header");
    }
    std::string value(trim(raw_value));
    if (name == "content-length") {
      if (value.empty() || value.size() > 18 ||
          !std::all_of(value.begin(), value.end(),
                       [](char ch) { return ch >= '0' && ch <= '9'; })) {
        return refused(400, "malformed request header");
      }
      size_t n = std::stoull(value);
      if (content_length && *content_length != n) {
        return refused(400, "malformed request header");
      }
      content_length = n;
    } else if (name == "transfer-encoding") {
      chunked = true;
    } else if (name == "connection") {
      std::string v = ascii_lower(value);
      if (v.find("close") != std::string::npos) out.keep_alive = false;
      if (v.find("keep-alive") != std::string::npos) out.keep_alive = true;
    } else if (name == "expect") {
      if (ascii_lower(value) == "100-continue") out.expect_continue = true;
    } else if (name == "host") {
      ++hosts;
    }
    req.headers.emplace_back(std::move(name), std::move(value));
  }
  if (hosts > 1 || (hosts == 0 && version == "HTTP/1.1")) {
    return refused(400, "a request needs exactly one Host header");
  }
  if (chunked) {
    return refused(411, "chunked request bodies are not supported; send Content-Length");
  }
  out.content_length = content_length.value_or(0);
  return out;
}

}  // namespace ecs_mcp::mcp::http
