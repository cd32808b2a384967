// JSON-RPC 2.0 message classification and construction, as MCP uses it.
//
// parse_message() turns one serialized message into a Message: a request (method + id), a
// notification (method, no id), a response to a server-initiated request, or an invalid
// message together with the error to answer it with. It never throws, whatever the input.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ecs_mcp::mcp {

using json = nlohmann::json;

namespace rpc_error {
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
}  // namespace rpc_error

// Limits on one message, checked on the text before it is parsed. No MCP message this server
// needs nests deeper or holds more values; beyond them a message costs memory, not meaning.
inline constexpr int kMaxNestingDepth = 64;
inline constexpr size_t kMaxMessageValues = 100'000;

// Whether JSON text stays within kMaxNestingDepth and kMaxMessageValues, checked on the text
// without parsing it. Anything that parses JSON text a client wrote checks this first.
bool within_message_limits(std::string_view text);

struct RpcError {
  int code = rpc_error::kInternalError;
  std::string message;
  json data;  // null when absent
};

enum class MessageKind { kRequest, kNotification, kResponse, kInvalid };

struct Message {
  MessageKind kind = MessageKind::kInvalid;
  json id;                        // string or integer for requests/responses; null otherwise
  std::string method;             // requests and notifications
  json params;                    // object, or null when absent
  json result;                    // responses: the result, or null
  std::optional<RpcError> error;  // responses carrying an error, and invalid messages
};

// Classifies an already-parsed JSON value.
Message classify_message(const json& value);

// Parses text and classifies it. Unparseable text, or text beyond the limits above, gives
// kInvalid with a -32700 error.
Message parse_message(std::string_view text);

// What `text` will cost in memory once parsed, estimated from its size and the number of
// values in it (each parsed value costs far more than the bytes that spell it), without
// parsing it: the amount a transport reserves from its PendingBudget.
size_t estimated_message_bytes(std::string_view text);

// The id of a request that is refused unparsed (too large for the memory budget), read without
// keeping any nested value; null when it has none or the text is not JSON.
json message_id_of(std::string_view text);

json make_response(const json& id, json result);
json make_error_response(const json& id, const RpcError& error);
json make_notification(std::string_view method, json params);
json make_request(const json& id, std::string_view method, json params);

// Compact serialization; invalid UTF-8 in strings is replaced rather than thrown on.
std::string serialize(const json& message);

// A stable key for an id (string ids and integer ids never collide).
std::string id_key(const json& id);

}  // namespace ecs_mcp::mcp
