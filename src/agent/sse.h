// SseParser: incremental parser of a text/event-stream body (the HTML Server-Sent Events
// format that OpenAI and Anthropic stream in).
//
// Bytes go in as they arrive, split anywhere; each complete event comes out as its event
// name ("message" when none was given) and its data lines joined by '\n'. Comments and
// unknown fields are skipped.
//
// Thread-safety: one parser per stream.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace ecs_mcp::agent {

class SseParser {
 public:
  using EventHandler = std::function<void(const std::string& event, const std::string& data)>;
  void feed(std::string_view bytes, const EventHandler& on_event);
  // Dispatches an event left without its closing blank line at end of stream.
  void finish(const EventHandler& on_event);

 private:
  void line(std::string_view text, const EventHandler& on_event);
  void dispatch(const EventHandler& on_event);

  std::string buffer_;
  std::string event_;
  std::string data_;
  bool has_data_ = false;
};

}  // namespace ecs_mcp::agent
