// Resources, resource templates, prompts and completions: optional, declared as data like
// tools, and the requests that read them (resources/list, resources/templates/list,
// resources/read, prompts/list, prompts/get, completion/complete).
//
// A capability is announced in initialize only when something of its kind is registered;
// until then its methods answer "Method not found". Handlers run on the thread that delivers
// the request and should be quick.
//
// Thread-safety: a catalog is immutable once the server holds it; the functions below only
// read it and may run on any number of threads.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "mcp/rpc_outcome.h"

namespace ecs_mcp::mcp {

struct Resource {
  std::string uri;
  std::string name;
  std::string title;
  std::string description;
  std::string mime_type;
  // The resources/read "contents" array for `uri`.
  std::function<Result<json>(const std::string& uri)> read;
};

struct ResourceTemplate {
  std::string uri_template;  // RFC 6570 level 1: "test://items/{id}/data"
  std::string name;
  std::string title;
  std::string description;
  std::string mime_type;
  // The "contents" array for a URI that matched, with the template's variables.
  std::function<Result<json>(const std::string& uri,
                             const std::map<std::string, std::string>& vars)>
      read;
};

struct PromptArgument {
  std::string name;
  std::string description;
  bool required = false;
};

struct Prompt {
  std::string name;
  std::string title;
  std::string description;
  std::vector<PromptArgument> arguments;
  // The prompts/get result ({"messages": [...]}) for the given arguments; required ones are
  // checked before the call.
  std::function<Result<json>(const std::map<std::string, std::string>& arguments)> get;
};

struct ServerCatalog {
  std::vector<Resource> resources;
  std::vector<ResourceTemplate> resource_templates;
  std::vector<Prompt> prompts;
  // completion/complete: the "completion" object ({values, total?, hasMore?}) for a
  // reference (ref/prompt or ref/resource) and the argument being typed.
  std::function<json(const json& ref, const json& argument)> complete;

  bool has_resources() const { return !resources.empty() || !resource_templates.empty(); }
  // The "capabilities" members this catalog adds to the initialize result.
  json capabilities() const;
};

// Matches `uri` against a level-1 template; fills `vars` on success.
bool match_uri_template(std::string_view uri_template, std::string_view uri,
                        std::map<std::string, std::string>& vars);

// The results of the catalog's methods for the request `params`.
RpcOutcome list_resources(const ServerCatalog& catalog);
RpcOutcome list_resource_templates(const ServerCatalog& catalog);
RpcOutcome read_resource(const ServerCatalog& catalog, const json& params);
RpcOutcome list_prompts(const ServerCatalog& catalog);
RpcOutcome get_prompt(const ServerCatalog& catalog, const json& params);
RpcOutcome complete(const ServerCatalog& catalog, const json& params);

// The URI a resources/subscribe or resources/unsubscribe request (`method`) names.
RpcResult<std::string> subscription_uri(const ServerCatalog& catalog, const json& params,
                                        std::string_view method);

}  // namespace ecs_mcp::mcp
