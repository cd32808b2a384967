// AWS event-stream frames as Bedrock's ConverseStream (or anything posing as it) sends them:
// decoded whole and again split byte by byte; both must agree. Half the inputs get their
// prelude and message CRCs fixed up, so the decoder is exercised past its checksums.
#include "agent/event_stream.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using namespace ecs_mcp::agent;

namespace {

void put_u32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xff);
}
uint32_t get_u32(std::string_view s, size_t at) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}

// Makes every frame's CRCs right, walking frames by their declared lengths.
void fix_crcs(std::string& s) {
  size_t at = 0;
  while (at + 16 <= s.size()) {
    uint32_t total = get_u32(s, at);
    if (total < 16 || at + total > s.size()) return;
    put_u32(s, at + 8, crc32(std::string_view(s).substr(at, 8)));
    put_u32(s, at + total - 4, crc32(std::string_view(s).substr(at, total - 4)));
    at += total;
  }
}

std::vector<std::string> decode(std::string_view bytes, size_t step, bool& ok) {
  std::vector<std::string> out;
  EventStreamParser parser;
  auto sink = [&](const EventStreamMessage& m) {
    std::string flat;
    for (const auto& [k, v] : m.headers) flat += k + '\x01' + v + '\x02';
    out.push_back(flat + '\x03' + m.payload);
    return ecs_mcp::Status{};
  };
  ok = true;
  for (size_t i = 0; i < bytes.size() && ok; i += step) {
    ok = parser.feed(bytes.substr(i, step), sink).ok();
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] & 1) fix_crcs(bytes);
  bool whole_ok = false, split_ok = false;
  auto whole = decode(bytes, bytes.size() + 1, whole_ok);
  auto split = decode(bytes, 1, split_ok);
  if (whole_ok != split_ok || whole != split) __builtin_trap();
  return 0;
}
