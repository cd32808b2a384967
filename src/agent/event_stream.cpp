#include "agent/event_stream.h"

#include <array>

namespace ecs_mcp::agent {
namespace {

constexpr size_t kPreludeBytes = 12;
constexpr size_t kMaxMessageBytes = 24u << 20;

std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

uint32_t be32(std::string_view data, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(data[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(data[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(data[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(data[at + 3]));
}

Error framing_error(const std::string& what) {
  return make_error(ErrorCode::kInvalidResponse, "event stream: " + what);
}

// Parses the headers block; only string values are kept, the others are skipped.
Status parse_headers(std::string_view block, std::map<std::string, std::string>& out) {
  size_t at = 0;
  while (at < block.size()) {
    const size_t name_length = static_cast<unsigned char>(block[at++]);
    if (at + name_length + 1 > block.size()) return framing_error("truncated header");
    std::string name(block.substr(at, name_length));
    at += name_length;
    const int type = static_cast<unsigned char>(block[at++]);
    size_t value_length = 0;
    switch (type) {
      case 0:
      case 1:
        value_length = 0;
        break;  // bool true / false
      case 2:
        value_length = 1;
        break;
      case 3:
        value_length = 2;
        break;
      case 4:
        value_length = 4;
        break;
      case 5:
      case 8:
        value_length = 8;
        break;  // int64, timestamp
      case 9:
        value_length = 16;
        break;  // uuid
      case 6:
      case 7: {  // bytes, string: 2-byte length first
        if (at + 2 > block.size()) return framing_error("truncated header");
        value_length = (static_cast<size_t>(static_cast<unsigned char>(block[at])) << 8) |
                       static_cast<unsigned char>(block[at + 1]);
        at += 2;
        break;
      }
      default:
        return framing_error("unknown header type " + std::to_string(type));
    }
    if (at + value_length > block.size()) return framing_error("truncated header value");
    if (type == 7) out[name] = std::string(block.substr(at, value_length));
    at += value_length;
  }
  return Status::Ok();
}

}  // namespace

uint32_t crc32(std::string_view data, uint32_t crc) {
  static const std::array<uint32_t, 256> table = make_crc_table();
  crc = ~crc;
  for (char ch : data) crc = table[(crc ^ static_cast<unsigned char>(ch)) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

Status EventStreamParser::feed(std::string_view bytes, const Handler& on_message) {
  buffer_.append(bytes);
  size_t start = 0;
  while (buffer_.size() - start >= kPreludeBytes) {
    std::string_view rest(buffer_.data() + start, buffer_.size() - start);
    const uint32_t total = be32(rest, 0);
    const uint32_t headers_length = be32(rest, 4);
    if (crc32(rest.substr(0, 8)) != be32(rest, 8))
      return framing_error("prelude checksum mismatch");
    if (total < kPreludeBytes + 4 || total > kMaxMessageBytes ||
        headers_length > total - kPreludeBytes - 4) {
      return framing_error("impossible message length");
    }
    if (rest.size() < total) break;
    if (crc32(rest.substr(0, total - 4)) != be32(rest, total - 4))
      return framing_error("message checksum mismatch");
    EventStreamMessage message;
    if (auto st = parse_headers(rest.substr(kPreludeBytes, headers_length), message.headers);
        !st.ok())
      return st;
    message.payload = std::string(
        rest.substr(kPreludeBytes + headers_length, total - kPreludeBytes - headers_length - 4));
    start += total;
    ECS_MCP_RETURN_IF_ERROR(on_message(message));
  }
  buffer_.erase(0, start);
  return Status::Ok();
}

}  // namespace ecs_mcp::agent
