#include "mcp/catalog.h"

#include <optional>

namespace ecs_mcp::mcp {

namespace {

std::optional<std::string> string_param(const json& params, const char* name) {
  if (!params.is_object()) return std::nullopt;
  auto it = params.find(name);
  if (it == params.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

void put_if(json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

}  // namespace

json ServerCatalog::capabilities() const {
  json capabilities = json::object();
  if (has_resources()) capabilities["resources"] = {{"subscribe", true}, {"listChanged", false}};
  if (!prompts.empty()) capabilities["prompts"] = {{"listChanged", false}};
  if (complete) capabilities["completions"] = json::object();
  return capabilities;
}

bool match_uri_template(std::string_view uri_template, std::string_view uri,
                        std::map<std::string, std::string>& vars) {
  std::map<std::string, std::string> found;
  size_t t = 0, u = 0;
  while (t < uri_template.size()) {
    if (uri_template[t] != '{') {
      if (u >= uri.size() || uri[u] != uri_template[t]) return false;
      ++t;
      ++u;
      continue;
    }
    size_t close = uri_template.find('}', t);
    if (close == std::string_view::npos) return false;
    std::string name(uri_template.substr(t + 1, close - t - 1));
    t = close + 1;
    // A variable runs to the next literal character of the template (or the end); it never
    // spans a '/', and it is never empty.
    char stop = t < uri_template.size() ? uri_template[t] : '\0';
    size_t end = u;
    while (end < uri.size() && uri[end] != '/' && (stop == '\0' || uri[end] != stop)) ++end;
    if (end == u) return false;
    found[name] = std::string(uri.substr(u, end - u));
    u = end;
  }
  if (u != uri.size()) return false;
  vars = std::move(found);
  return true;
}

RpcOutcome list_resources(const ServerCatalog& catalog) {
  if (!catalog.has_resources()) return method_not_found("resources/list");
  json list = json::array();
  for (const auto& r : catalog.resources) {
    json j{{"uri", r.uri}, {"name", r.name}};
    put_if(j, "title", r.title);
    put_if(j, "description", r.description);
    put_if(j, "mimeType", r.mime_type);
    list.push_back(std::move(j));
  }
  return json{{"resources", std::move(list)}};
}

RpcOutcome list_resource_templates(const ServerCatalog& catalog) {
  if (!catalog.has_resources()) return method_not_found("resources/templates/list");
  json list = json::array();
  for (const auto& r : catalog.resource_templates) {
    json j{{"uriTemplate", r.uri_template}, {"name", r.name}};
    put_if(j, "title", r.title);
    put_if(j, "description", r.description);
    put_if(j, "mimeType", r.mime_type);
    list.push_back(std::move(j));
  }
  return json{{"resourceTemplates", std::move(list)}};
}

RpcOutcome read_resource(const ServerCatalog& catalog, const json& params) {
  if (!catalog.has_resources()) return method_not_found("resources/read");
  auto uri = string_param(params, "uri");
  if (!uri) return invalid_params("resources/read needs params.uri (a string)");
  std::optional<Result<json>> contents;
  for (const auto& r : catalog.resources) {
    if (r.uri == *uri && r.read) {
      contents = r.read(*uri);
      break;
    }
  }
  for (size_t i = 0; !contents && i < catalog.resource_templates.size(); ++i) {
    const auto& t = catalog.resource_templates[i];
    std::map<std::string, std::string> vars;
    if (t.read && match_uri_template(t.uri_template, *uri, vars)) contents = t.read(*uri, vars);
  }
  if (!contents) {
    // -32002 is MCP's "resource not found".
    return RpcError{-32002, "Resource not found: " + *uri, json{{"uri", *uri}}};
  }
  if (!contents->ok()) {
    return RpcError{rpc_error::kInternalError, contents->error().describe(), nullptr};
  }
  return json{{"contents", **contents}};
}

RpcResult<std::string> subscription_uri(const ServerCatalog& catalog, const json& params,
                                        std::string_view method) {
  if (!catalog.has_resources()) return method_not_found(method);
  auto uri = string_param(params, "uri");
  if (!uri) return invalid_params("params.uri (a string) is required");
  return *uri;
}

RpcOutcome list_prompts(const ServerCatalog& catalog) {
  if (catalog.prompts.empty()) return method_not_found("prompts/list");
  json list = json::array();
  for (const auto& p : catalog.prompts) {
    json j{{"name", p.name}};
    put_if(j, "title", p.title);
    put_if(j, "description", p.description);
    if (!p.arguments.empty()) {
      json args = json::array();
      for (const auto& a : p.arguments) {
        json aj{{"name", a.name}, {"required", a.required}};
        put_if(aj, "description", a.description);
        args.push_back(std::move(aj));
      }
      j["arguments"] = std::move(args);
    }
    list.push_back(std::move(j));
  }
  return json{{"prompts", std::move(list)}};
}

RpcOutcome get_prompt(const ServerCatalog& catalog, const json& params) {
  if (catalog.prompts.empty()) return method_not_found("prompts/get");
  auto name = string_param(params, "name");
  const Prompt* prompt = nullptr;
  for (const auto& p : catalog.prompts) {
    if (name && p.name == *name) prompt = &p;
  }
  if (!prompt || !prompt->get) {
    return invalid_params("Unknown prompt: " + name.value_or("(none)"));
  }
  std::map<std::string, std::string> args;
  if (auto a = params.find("arguments"); a != params.end() && a->is_object()) {
    for (const auto& [k, v] : a->items()) {
      args[k] = v.is_string() ? v.get<std::string>() : v.dump();
    }
  }
  for (const auto& a : prompt->arguments) {
    if (a.required && !args.count(a.name)) {
      return invalid_params("prompt " + prompt->name + " needs argument \"" + a.name + "\"");
    }
  }
  auto result = prompt->get(args);
  if (!result.ok()) return RpcError{rpc_error::kInternalError, result.error().describe(), nullptr};
  return std::move(result).value();
}

RpcOutcome complete(const ServerCatalog& catalog, const json& params) {
  if (!catalog.complete) return method_not_found("completion/complete");
  if (!params.is_object() || !params.contains("ref") || !params["ref"].is_object() ||
      !params.contains("argument") || !params["argument"].is_object()) {
    return invalid_params("completion/complete needs params.ref and params.argument");
  }
  json completion = catalog.complete(params["ref"], params["argument"]);
  if (!completion.is_object()) completion = json::object();
  if (!completion.contains("values")) completion["values"] = json::array();
  return json{{"completion", std::move(completion)}};
}

}  // namespace ecs_mcp::mcp
