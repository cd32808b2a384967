// SseParser: Server-Sent Events (the WHATWG "event stream" format), parsed incrementally as
// bytes arrive, for the client side of Streamable HTTP.
//
// Written here rather than taken from a library because the format is a dozen lines of the
// specification (fields `data`, `event`, `id`, `retry`, comments, three line endings, an event
// per blank line) and no packaged C++ library offers it without a whole HTTP stack; the
// server side of this project only writes events. Following the specification, an event
// still open when the stream ends is dropped.
//
// Thread-safety: one parser per stream, used by one thread.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace ecs_mcp::mcp {

struct SseEvent {
  std::string type = "message";  // the `event` field, "message" when absent
  std::string data;              // `data` lines joined with '\n'
  std::string id;                // the last `id` seen on the stream
};

class SseParser {
 public:
  // Called once per complete event; returning false stops parsing (feed() returns false).
  using Sink = std::function<bool(const SseEvent& event)>;
  explicit SseParser(Sink sink) : sink_(std::move(sink)) {}

  // Feeds the next bytes; false once the sink asked to stop.
  bool feed(std::string_view bytes);

 private:
  bool line(std::string_view text);

  Sink sink_;
  std::string pending_;    // an unfinished line
  bool after_cr_ = false;  // the last byte was '\r': a following '\n' belongs to it
  bool started_ = false;   // the byte-order mark check is done
  std::string data_;
  std::string type_;
  std::string last_id_;
  bool has_data_ = false;
};

}  // namespace ecs_mcp::mcp
