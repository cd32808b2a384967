#include "mcp/sse_parser.h"

namespace ecs_mcp::mcp {

bool SseParser::feed(std::string_view bytes) {
  for (char c : bytes) {
    if (after_cr_) {
      after_cr_ = false;
      if (c == '\n') continue;
    }
    if (c == '\r' || c == '\n') {
      after_cr_ = c == '\r';
      std::string_view text(pending_);
      if (!started_ && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
      started_ = true;
      bool go_on = line(text);
      pending_.clear();
      if (!go_on) return false;
      continue;
    }
    pending_.push_back(c);
  }
  return true;
}

bool SseParser::line(std::string_view text) {
  if (text.empty()) {
    if (!has_data_) {
      type_.clear();
      return true;
    }
    SseEvent event;
    event.type = type_.empty() ? "message" : type_;
    event.data = std::move(data_);
    event.id = last_id_;
    data_.clear();
    type_.clear();
    has_data_ = false;
    return sink_(event);
  }
  if (text.front() == ':') return true;  // a comment (often a keep-alive)
  std::string_view field = text;
  std::string_view value;
  if (auto colon = text.find(':'); colon != std::string_view::npos) {
    field = text.substr(0, colon);
    value = text.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  }
  if (field == "data") {
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
  } else if (field == "event") {
    type_ = std::string(value);
  } else if (field == "id") {
    if (value.find('\0') == std::string_view::npos) last_id_ = std::string(value);
  }
  // `retry` and unknown fields need nothing from a client that does not reconnect.
  return true;
}

}  // namespace ecs_mcp::mcp
