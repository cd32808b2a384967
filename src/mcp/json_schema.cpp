#include "mcp/json_schema.h"

#include <cmath>
#include <regex>

namespace ecs_mcp::mcp {
namespace {

using json = nlohmann::json;

std::string type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "integer";
    case json::value_t::number_float:
      return "number";
    case json::value_t::string:
      return "string";
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    default:
      return "unknown";
  }
}

bool matches_type(const std::string& type, const json& v) {
  if (type == "integer") {
    if (v.is_number_integer()) return true;
    // 3.0 is an integer in JSON Schema's eyes.
    if (!v.is_number_float()) return false;
    double d = v.get<double>();
    return std::isfinite(d) && std::floor(d) == d;
  }
  if (type == "number") return v.is_number();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_boolean();
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "null") return v.is_null();
  return false;
}

std::string where(const std::string& path) { return path.empty() ? "arguments" : path; }

std::string child(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

std::string shorten(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

std::optional<std::string> validate(const json& schema, const json& v, const std::string& path);

std::optional<std::string> validate_type(const json& schema, const json& v,
                                         const std::string& path) {
  auto t = schema.find("type");
  if (t == schema.end()) return std::nullopt;
  if (t->is_string()) {
    if (!matches_type(t->get<std::string>(), v)) {
      return where(path) + ": expected " + t->get<std::string>() + ", got " + type_name(v);
    }
  } else if (t->is_array()) {
    std::string names;
    for (const auto& one : *t) {
      if (one.is_string() && matches_type(one.get<std::string>(), v)) return std::nullopt;
      if (one.is_string()) names += (names.empty() ? "" : " or ") + one.get<std::string>();
    }
    return where(path) + ": expected " + names + ", got " + type_name(v);
  }
  return std::nullopt;
}

std::optional<std::string> validate_object(const json& schema, const json& v,
                                           const std::string& path) {
  if (auto req = schema.find("required"); req != schema.end() && req->is_array()) {
    for (const auto& name : *req) {
      if (name.is_string() && !v.contains(name.get<std::string>())) {
        return where(path) + ": missing required property \"" + name.get<std::string>() + "\"";
      }
    }
  }
  const json* props = nullptr;
  if (auto p = schema.find("properties"); p != schema.end() && p->is_object()) props = &*p;
  auto additional = schema.find("additionalProperties");
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (props && props->contains(it.key())) {
      if (auto e = validate((*props)[it.key()], it.value(), child(path, it.key()))) return e;
      continue;
    }
    if (additional == schema.end()) continue;
    if (additional->is_boolean() && !additional->get<bool>()) {
      std::string known;
      if (props) {
        for (auto p = props->begin(); p != props->end(); ++p)
          known += (known.empty() ? "" : ", ") + p.key();
      }
      return where(path) + ": unknown property \"" + it.key() + "\"" +
             (known.empty() ? "" : " (expected one of: " + known + ")");
    }
    if (additional->is_object()) {
      if (auto e = validate(*additional, it.value(), child(path, it.key()))) return e;
    }
  }
  return std::nullopt;
}

std::optional<std::string> validate_array(const json& schema, const json& v,
                                          const std::string& path) {
  if (auto n = schema.find("minItems");
      n != schema.end() && n->is_number() && v.size() < n->get<size_t>()) {
    return where(path) + ": needs at least " + std::to_string(n->get<size_t>()) + " item(s)";
  }
  if (auto n = schema.find("maxItems");
      n != schema.end() && n->is_number() && v.size() > n->get<size_t>()) {
    return where(path) + ": allows at most " + std::to_string(n->get<size_t>()) + " item(s)";
  }
  if (auto items = schema.find("items"); items != schema.end() && items->is_object()) {
    for (size_t i = 0; i < v.size(); ++i) {
      if (auto e = validate(*items, v[i], where(path) + "[" + std::to_string(i) + "]")) return e;
    }
  }
  return std::nullopt;
}

// Length in code points, as JSON Schema counts it.
size_t utf8_length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::optional<std::string> validate_string(const json& schema, const json& v,
                                           const std::string& path) {
  const auto& s = v.get_ref<const std::string&>();
  if (auto n = schema.find("minLength");
      n != schema.end() && n->is_number() && utf8_length(s) < n->get<size_t>()) {
    return where(path) + ": must be at least " + std::to_string(n->get<size_t>()) +
           " character(s) long";
  }
  if (auto n = schema.find("maxLength");
      n != schema.end() && n->is_number() && utf8_length(s) > n->get<size_t>()) {
    return where(path) + ": must be at most " + std::to_string(n->get<size_t>()) +
           " characters long";
  }
  if (auto p = schema.find("pattern"); p != schema.end() && p->is_string()) {
    // std::regex recurses per repeated character: a huge value would exhaust the stack.
    if (s.size() > 4096) {
      return where(path) + ": is too long (" + std::to_string(s.size()) +
             " characters) to match the pattern " + p->get<std::string>();
    }
    try {
      std::regex re(p->get<std::string>(), std::regex::ECMAScript);
      if (!std::regex_search(s, re)) {
        return where(path) + ": " + shorten(v) + " does not match the pattern " +
               p->get<std::string>();
      }
    } catch (const std::regex_error&) {
      return where(path) + ": the schema's pattern is not a valid regular expression";
    }
  }
  return std::nullopt;
}

std::optional<std::string> validate_number(const json& schema, const json& v,
                                           const std::string& path) {
  double x = v.get<double>();
  auto bound = [&](const char* key) -> std::optional<double> {
    auto it = schema.find(key);
    if (it == schema.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
  };
  auto fmt = [](double d) {
    bool whole = std::isfinite(d) && std::floor(d) == d && std::fabs(d) < 9e15;
    return whole ? std::to_string(static_cast<long long>(d)) : json(d).dump();
  };
  if (auto m = bound("minimum"); m && x < *m) return where(path) + ": must be >= " + fmt(*m);
  if (auto m = bound("maximum"); m && x > *m) return where(path) + ": must be <= " + fmt(*m);
  if (auto m = bound("exclusiveMinimum"); m && x <= *m)
    return where(path) + ": must be > " + fmt(*m);
  if (auto m = bound("exclusiveMaximum"); m && x >= *m)
    return where(path) + ": must be < " + fmt(*m);
  return std::nullopt;
}

std::optional<std::string> validate(const json& schema, const json& v, const std::string& path) {
  if (schema.is_boolean()) {
    if (schema.get<bool>()) return std::nullopt;
    return where(path) + ": no value is allowed here";
  }
  if (!schema.is_object()) return std::nullopt;
  if (auto e = validate_type(schema, v, path)) return e;
  if (auto c = schema.find("const"); c != schema.end() && *c != v) {
    return where(path) + ": must be " + shorten(*c);
  }
  if (auto en = schema.find("enum"); en != schema.end() && en->is_array()) {
    bool found = false;
    for (const auto& option : *en) found = found || option == v;
    if (!found && en->size() > 12) {
      return where(path) + ": " + shorten(v) + " is not one of the " + std::to_string(en->size()) +
             " values the schema allows";
    }
    if (!found) {
      std::string options;
      for (const auto& option : *en) options += (options.empty() ? "" : ", ") + shorten(option);
      return where(path) + ": " + shorten(v) + " is not one of: " + options;
    }
  }
  if (auto any = schema.find("anyOf"); any != schema.end() && any->is_array()) {
    std::optional<std::string> first;
    bool matched = false;
    for (const auto& option : *any) {
      auto e = validate(option, v, path);
      if (!e) {
        matched = true;
        break;
      }
      if (!first) first = e;
    }
    if (!matched && first) return first;
  }
  if (auto one = schema.find("oneOf"); one != schema.end() && one->is_array()) {
    int matches = 0;
    std::optional<std::string> first;
    for (const auto& option : *one) {
      auto e = validate(option, v, path);
      if (!e)
        ++matches;
      else if (!first)
        first = e;
    }
    if (matches == 0 && first) return first;
    if (matches > 1) return where(path) + ": matches more than one allowed form";
  }
  if (v.is_object()) return validate_object(schema, v, path);
  if (v.is_array()) return validate_array(schema, v, path);
  if (v.is_string()) return validate_string(schema, v, path);
  if (v.is_number()) return validate_number(schema, v, path);
  return std::nullopt;
}

bool declares_object(const json& schema) {
  auto t = schema.find("type");
  if (t == schema.end()) return false;
  if (t->is_string()) return *t == "object";
  if (t->is_array()) {
    for (const auto& one : *t)
      if (one == "object") return true;
  }
  return false;
}

std::optional<std::string> find_empty_object(const json& schema, const std::string& pointer) {
  if (!schema.is_object()) return std::nullopt;
  if (declares_object(schema)) {
    auto p = schema.find("properties");
    if (p == schema.end() || !p->is_object() || p->empty()) return pointer.empty() ? "/" : pointer;
  }
  for (const char* key : {"properties"}) {
    if (auto p = schema.find(key); p != schema.end() && p->is_object()) {
      for (auto it = p->begin(); it != p->end(); ++it) {
        if (auto e = find_empty_object(it.value(), pointer + "/" + key + "/" + it.key())) return e;
      }
    }
  }
  for (const char* key : {"items", "additionalProperties"}) {
    if (auto p = schema.find(key); p != schema.end()) {
      if (auto e = find_empty_object(*p, pointer + "/" + key)) return e;
    }
  }
  for (const char* key : {"anyOf", "oneOf", "allOf"}) {
    if (auto p = schema.find(key); p != schema.end() && p->is_array()) {
      for (size_t i = 0; i < p->size(); ++i) {
        if (auto e = find_empty_object((*p)[i], pointer + "/" + key + "/" + std::to_string(i)))
          return e;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> validate_against_schema(const json& schema, const json& value) {
  return validate(schema, value, "");
}

std::optional<std::string> find_object_without_properties(const json& schema) {
  return find_empty_object(schema, "");
}

}  // namespace ecs_mcp::mcp
