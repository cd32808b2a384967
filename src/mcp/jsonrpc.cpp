#include "mcp/jsonrpc.h"

#include <algorithm>

namespace ecs_mcp::mcp {
namespace {

bool is_valid_id(const json& id) {
  // MCP narrows JSON-RPC: ids are strings or integers, never null.
  return id.is_string() || id.is_number_integer() || id.is_number_unsigned();
}

Message invalid(json id, int code, std::string message) {
  Message m;
  m.kind = MessageKind::kInvalid;
  m.id = std::move(id);
  m.error = RpcError{code, std::move(message), nullptr};
  return m;
}

struct TextShape {
  int depth = 0;      // deepest nesting of arrays and objects
  size_t values = 1;  // an upper bound on the values (and member names) the text holds
};

// One pass over the text, outside strings: brackets give the nesting, separators the values.
// Deeply nested input would make later recursive walks (validation, serialization) exhaust the
// stack, and many small values cost far more once parsed than their bytes; both are refused
// before parsing.
TextShape shape_of(std::string_view text) {
  TextShape shape;
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      ++shape.values;
      shape.depth = std::max(shape.depth, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (c == ',' || c == ':') {
      ++shape.values;
    }
  }
  return shape;
}

// What one parsed value costs: the json node, and the container or map entry holding it.
constexpr size_t kBytesPerValue = 64;

}  // namespace

Message classify_message(const json& value) {
  if (value.is_array()) {
    return invalid(nullptr, rpc_error::kInvalidRequest,
                   "JSON-RPC batches are not supported; send one message at a time");
  }
  if (!value.is_object()) {
    return invalid(nullptr, rpc_error::kInvalidRequest, "a JSON-RPC message must be a JSON object");
  }
  // Echo the id back only when it is one we could have been sent legitimately.
  json id = nullptr;
  auto id_it = value.find("id");
  bool has_id = id_it != value.end();
  if (has_id && is_valid_id(*id_it)) id = *id_it;

  auto version = value.find("jsonrpc");
  if (version == value.end() || !version->is_string() || *version != "2.0") {
    return invalid(id, rpc_error::kInvalidRequest, "\"jsonrpc\" must be exactly \"2.0\"");
  }

  auto method = value.find("method");
  if (method != value.end()) {
    if (!method->is_string()) {
      return invalid(id, rpc_error::kInvalidRequest, "\"method\" must be a string");
    }
    if (has_id && !is_valid_id(*id_it)) {
      return invalid(nullptr, rpc_error::kInvalidRequest, "\"id\" must be a string or an integer");
    }
    Message m;
    m.kind = has_id ? MessageKind::kRequest : MessageKind::kNotification;
    m.id = id;
    m.method = method->get<std::string>();
    auto params = value.find("params");
    if (params != value.end() && !params->is_null()) {
      if (!params->is_object()) {
        if (!has_id)
          return invalid(nullptr, rpc_error::kInvalidParams, "\"params\" must be an object");
        return invalid(id, rpc_error::kInvalidParams, "\"params\" must be an object");
      }
      m.params = *params;
    }
    return m;
  }

  auto result = value.find("result");
  auto error = value.find("error");
  if (has_id && (result != value.end() || error != value.end())) {
    Message m;
    m.kind = MessageKind::kResponse;
    m.id = id;
    if (result != value.end()) m.result = *result;
    if (error != value.end()) {
      RpcError e;
      if (error->is_object()) {
        if (auto c = error->find("code"); c != error->end() && c->is_number_integer()) {
          e.code = c->get<int>();
        }
        if (auto msg = error->find("message"); msg != error->end() && msg->is_string()) {
          e.message = msg->get<std::string>();
        }
        if (auto d = error->find("data"); d != error->end()) e.data = *d;
      }
      m.error = std::move(e);
    }
    return m;
  }
  return invalid(id, rpc_error::kInvalidRequest,
                 "not a JSON-RPC request, notification or response (no \"method\")");
}

Message parse_message(std::string_view text) {
  TextShape shape = shape_of(text);
  if (shape.depth > kMaxNestingDepth) {
    return invalid(nullptr, rpc_error::kParseError,
                   "Parse error: the message nests deeper than " +
                       std::to_string(kMaxNestingDepth) + " levels");
  }
  if (shape.values > kMaxMessageValues) {
    return invalid(nullptr, rpc_error::kParseError,
                   "Parse error: the message holds more than " + std::to_string(kMaxMessageValues) +
                       " values");
  }
  json value = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return invalid(nullptr, rpc_error::kParseError, "Parse error: the message is not valid JSON");
  }
  return classify_message(value);
}

bool within_message_limits(std::string_view text) {
  TextShape shape = shape_of(text);
  return shape.depth <= kMaxNestingDepth && shape.values <= kMaxMessageValues;
}

size_t estimated_message_bytes(std::string_view text) {
  return text.size() + kBytesPerValue * shape_of(text).values;
}

json message_id_of(std::string_view text) {
  if (shape_of(text).depth > kMaxNestingDepth) return nullptr;
  // Top-level members only: every nested array or object is skipped as it is parsed.
  json::parser_callback_t top_level_only = [](int depth, json::parse_event_t event, json&) {
    return depth == 0 || (event != json::parse_event_t::object_start &&
                          event != json::parse_event_t::array_start);
  };
  json value = json::parse(text.begin(), text.end(), top_level_only, /*allow_exceptions=*/false);
  if (!value.is_object()) return nullptr;
  auto id = value.find("id");
  return id != value.end() && is_valid_id(*id) ? *id : json(nullptr);
}

json make_response(const json& id, json result) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json make_error_response(const json& id, const RpcError& error) {
  json err{{"code", error.code}, {"message", error.message}};
  if (!error.data.is_null()) err["data"] = error.data;
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(err)}};
}

json make_notification(std::string_view method, json params) {
  json m{{"jsonrpc", "2.0"}, {"method", method}};
  if (!params.is_null()) m["params"] = std::move(params);
  return m;
}

json make_request(const json& id, std::string_view method, json params) {
  json m{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
  if (!params.is_null()) m["params"] = std::move(params);
  return m;
}

std::string serialize(const json& message) {
  return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string id_key(const json& id) {
  if (id.is_string()) return "s:" + id.get<std::string>();
  return "n:" + id.dump();
}

}  // namespace ecs_mcp::mcp
