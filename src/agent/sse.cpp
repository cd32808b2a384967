#include "agent/sse.h"

namespace ecs_mcp::agent {

void SseParser::feed(std::string_view bytes, const EventHandler& on_event) {
  buffer_.append(bytes);
  size_t start = 0;
  for (size_t nl; (nl = buffer_.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string_view text(buffer_.data() + start, nl - start);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    line(text, on_event);
  }
  buffer_.erase(0, start);
}

void SseParser::finish(const EventHandler& on_event) {
  if (!buffer_.empty()) {
    std::string rest = std::move(buffer_);
    buffer_.clear();
    line(rest, on_event);
  }
  dispatch(on_event);
}

void SseParser::line(std::string_view text, const EventHandler& on_event) {
  if (text.empty()) {
    dispatch(on_event);
    return;
  }
  if (text.front() == ':') return;
  size_t colon = text.find(':');
  std::string_view field = text.substr(0, colon);
  std::string_view value =
      colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "event") {
    event_ = std::string(value);
  } else if (field == "data") {
    if (has_data_) data_.push_back('\n');
    data_.append(value);
    has_data_ = true;
  }
}

void SseParser::dispatch(const EventHandler& on_event) {
  if (has_data_) on_event(event_.empty() ? "message" : event_, data_);
  event_.clear();
  data_.clear();
  has_data_ = false;
}

}  // namespace ecs_mcp::agent
