#include "ecs/troubleshooting/action.h"

#include "aws/services.h"

namespace ecs_mcp::ecs::troubleshooting {

Result<json> AwsReader::call(AwsService service, const std::string& operation, const json& params,
                             const std::string& region) const {
  auto client = aws_->client(service, region);
  if (!client.ok()) {
    Error e = client.error();
    e.message = describe_aws_failure(operation, e);
    return e;
  }
  aws::CallOptions options;
  options.cancelled = cancelled_;
  auto r = (*client)->call(operation, params, options);
  if (!r.ok()) {
    Error e = r.error();
    e.message = describe_aws_failure((*client)->service().name + " " + operation, e);
    return e;
  }
  return r;
}

Result<json> AwsReader::all_pages(AwsService service, const std::string& operation, json params,
                                  size_t max_items, const std::string& region) const {
  auto spec = aws::service_paginator(service, operation);
  if (!spec) return call(service, operation, params, region);
  auto client = aws_->client(service, region);
  if (!client.ok()) {
    Error e = client.error();
    e.message = describe_aws_failure(operation, e);
    return e;
  }
  spec->max_items = max_items;
  aws::CallOptions options;
  options.cancelled = cancelled_;
  auto r = (*client)->paginate(operation, std::move(params), *spec, options);
  if (!r.ok()) {
    Error e = r.error();
    e.message = describe_aws_failure((*client)->service().name + " " + operation, e);
    return e;
  }
  return r;
}

std::string ActionRequest::text(const char* name) const {
  auto it = parameters.find(name);
  if (it == parameters.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

Status ActionRequest::require(std::initializer_list<const char*> names) const {
  for (const char* name : names) {
    if (text(name).empty()) {
      return make_error(ErrorCode::kInvalidArgument,
                        "action " + action + " needs parameters." + name + " (missing)");
    }
  }
  return Status::Ok();
}

Status ActionRequest::require_one_of(std::initializer_list<const char*> names) const {
  std::string list;
  for (const char* name : names) {
    if (!text(name).empty()) return Status::Ok();
    list += list.empty() ? std::string("parameters.") + name : std::string(", parameters.") + name;
  }
  return make_error(ErrorCode::kInvalidArgument,
                    "action " + action + " needs one of " + list + " (all missing)");
}

}  // namespace ecs_mcp::ecs::troubleshooting
