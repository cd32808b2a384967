// EventStreamParser: incremental decoder of the AWS event stream binary framing
// (application/vnd.amazon.eventstream), in which Bedrock's ConverseStream answers.
//
// Each message is: total length and headers length (big-endian uint32), a CRC32 of those
// eight bytes, the headers (name, type, value), the payload, and a CRC32 of everything
// before it. Bytes go in as they arrive, split anywhere; each complete message comes out
// with its string headers (":event-type", ":message-type", ...) and its payload. A bad CRC or
// an impossible length is an error: the stream cannot be trusted after it.
//
// Thread-safety: one parser per stream.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "common/result.h"

namespace ecs_mcp::agent {

struct EventStreamMessage {
  std::map<std::string, std::string> headers;  // string-valued headers only
  std::string payload;
};

class EventStreamParser {
 public:
  using Handler = std::function<Status(const EventStreamMessage& message)>;
  Status feed(std::string_view bytes, const Handler& on_message);
  // True when no partial message is left over.
  bool idle() const { return buffer_.empty(); }

 private:
  std::string buffer_;
};

uint32_t crc32(std::string_view data, uint32_t crc = 0);

}  // namespace ecs_mcp::agent
