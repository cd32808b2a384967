// One JSON-RPC message as a client sends it: the size estimate and id lookup that run before
// parsing, then parse_message, and a response to whatever it was serialised back.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mcp/jsonrpc.h"

using namespace ecs_mcp::mcp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)estimated_message_bytes(text);
  json id = message_id_of(text);
  Message m = parse_message(text);
  if (m.kind == MessageKind::kInvalid && !m.error) __builtin_trap();  // invalid says why
  if (m.kind == MessageKind::kRequest || m.kind == MessageKind::kResponse) (void)id_key(m.id);
  json answer = m.error ? make_error_response(m.id, *m.error) : make_response(m.id, m.params);
  std::string out = serialize(answer);
  // What we write must parse back as a response.
  if (parse_message(out).kind != MessageKind::kResponse) __builtin_trap();
  (void)serialize(id);
  return 0;
}
