#include "mcp/argument_coercion.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mcp/jsonrpc.h"

namespace ecs_mcp::mcp {
namespace {

using json = nlohmann::json;

struct Wanted {
  std::optional<std::string> type;  // the one non-null type, when there is exactly one
  bool allows_null = false;
  bool allows_string = false;
};

Wanted wanted_of(const json& schema) {
  Wanted w;
  if (!schema.is_object()) return w;
  auto t = schema.find("type");
  if (t == schema.end()) return w;
  std::vector<std::string> types;
  if (t->is_string()) {
    types.push_back(t->get<std::string>());
  } else if (t->is_array()) {
    for (const auto& e : *t) {
      if (e.is_string()) types.push_back(e.get<std::string>());
    }
  }
  std::vector<std::string> non_null;
  for (const auto& s : types) {
    if (s == "null") {
      w.allows_null = true;
    } else {
      non_null.push_back(s);
      if (s == "string") w.allows_string = true;
    }
  }
  if (non_null.size() == 1) w.type = non_null.front();
  return w;
}

std::string_view trimmed(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::optional<json> integer_from(std::string_view text) {
  std::string_view s = trimmed(text);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return json(v);
}

std::optional<json> number_from(std::string_view text) {
  if (auto i = integer_from(text)) return i;
  std::string_view s = trimmed(text);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return json(v);
}

std::optional<json> boolean_from(std::string_view text) {
  std::string s(trimmed(text));
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  if (s == "true") return json(true);
  if (s == "false") return json(false);
  return std::nullopt;
}

std::optional<json> structure_from(std::string_view text, const std::string& type) {
  std::string_view s = trimmed(text);
  const char open = type == "object" ? '{' : '[';
  if (s.empty() || s.front() != open) return std::nullopt;
  // The message's own limits hold inside a string too: text nested a million levels deep
  // would otherwise reach the tools, whose recursive walks and serialization overflow the stack.
  if (!within_message_limits(s)) return std::nullopt;
  json parsed = json::parse(s, nullptr, /*allow_exceptions=*/false);
  if (type == "object" ? parsed.is_object() : parsed.is_array()) return parsed;
  return std::nullopt;
}

// A string where the schema wants exactly one other scalar or structured type.
json coerce_string(const Wanted& w, json value) {
  if (!w.type || w.allows_string) return value;
  const std::string& text = value.get_ref<const std::string&>();
  std::optional<json> converted;
  if (*w.type == "integer") {
    converted = integer_from(text);
  } else if (*w.type == "number") {
    converted = number_from(text);
  } else if (*w.type == "boolean") {
    converted = boolean_from(text);
  } else if (*w.type == "object" || *w.type == "array") {
    converted = structure_from(text, *w.type);
  }
  return converted ? std::move(*converted) : std::move(value);
}

json coerce(const json& schema, json value, int depth);

void coerce_members(const json& schema, json& object, int depth) {
  const json* properties = nullptr;
  if (auto p = schema.find("properties"); p != schema.end() && p->is_object()) properties = &*p;
  const json* additional = nullptr;
  if (auto a = schema.find("additionalProperties"); a != schema.end() && a->is_object()) {
    additional = &*a;
  }
  for (auto it = object.begin(); it != object.end();) {
    const json* member_schema = nullptr;
    if (properties) {
      if (auto p = properties->find(it.key()); p != properties->end()) member_schema = &*p;
    }
    if (!member_schema) member_schema = additional;
    if (!member_schema) {
      ++it;
      continue;
    }
    if (it->is_null() && !wanted_of(*member_schema).allows_null) {
      it = object.erase(it);
      continue;
    }
    *it = coerce(*member_schema, std::move(*it), depth + 1);
    ++it;
  }
}

json coerce(const json& schema, json value, int depth) {
  // Schemas here are shallow; the bound only keeps a hostile schema from recursing forever.
  if (depth > 64 || !schema.is_object()) return value;
  const Wanted w = wanted_of(schema);
  if (value.is_string()) value = coerce_string(w, std::move(value));
  if (value.is_object()) {
    coerce_members(schema, value, depth);
  } else if (value.is_array()) {
    if (auto items = schema.find("items"); items != schema.end() && items->is_object()) {
      for (auto& element : value) element = coerce(*items, std::move(element), depth + 1);
    }
  }
  return value;
}

}  // namespace

nlohmann::json coerce_arguments(const nlohmann::json& schema, nlohmann::json value) {
  return coerce(schema, std::move(value), 0);
}

}  // namespace ecs_mcp::mcp
