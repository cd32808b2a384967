#include "mcp/elicitation.h"

namespace ecs_mcp::mcp {

bool client_supports_form_elicitation(const json& client_capabilities) {
  if (!client_capabilities.is_object()) return false;
  auto it = client_capabilities.find("elicitation");
  if (it == client_capabilities.end() || !it->is_object()) return false;
  // 2025-11-25: modes are listed; an empty object is the earlier form-only declaration.
  return it->empty() || it->contains("form");
}

Result<ElicitationAnswer> elicit(ToolContext& context, const std::string& message,
                                 const json& requested_schema, std::chrono::milliseconds timeout) {
  if (!client_supports_form_elicitation(context.client_capabilities())) {
    return make_error(ErrorCode::kUnsupported,
                      "the client did not declare the elicitation capability");
  }
  auto answer = context.request_client(
      "elicitation/create", {{"message", message}, {"requestedSchema", requested_schema}}, timeout);
  if (!answer.ok()) return answer.error();
  if (!answer->is_object() || !answer->contains("action") || !(*answer)["action"].is_string()) {
    return make_error(ErrorCode::kInvalidResponse,
                      "the client's answer to elicitation/create has no action");
  }
  const std::string action = (*answer)["action"].get<std::string>();
  ElicitationAnswer out;
  if (action == "accept") {
    out.action = ElicitationAction::kAccept;
    if (auto c = answer->find("content"); c != answer->end() && c->is_object()) out.content = *c;
  } else if (action == "decline") {
    out.action = ElicitationAction::kDecline;
  } else if (action == "cancel") {
    out.action = ElicitationAction::kCancel;
  } else {
    return make_error(ErrorCode::kInvalidResponse,
                      "the client answered elicitation/create with action \"" + action + "\"");
  }
  return out;
}

Result<Confirmation> ask_confirmation(ToolContext& context, const ConfirmationRequest& request,
                                      std::chrono::milliseconds timeout) {
  json field{{"type", "boolean"}};
  if (!request.field_title.empty()) field["title"] = request.field_title;
  if (!request.field_description.empty()) field["description"] = request.field_description;
  json schema{{"type", "object"},
              {"properties", {{request.field, std::move(field)}}},
              {"required", {request.field}}};
  auto answer = elicit(context, request.message, schema, timeout);
  if (!answer.ok()) return answer.error();
  switch (answer->action) {
    case ElicitationAction::kDecline:
      return Confirmation::kDeclined;
    case ElicitationAction::kCancel:
      return Confirmation::kCancelled;
    case ElicitationAction::kAccept:
      break;
  }
  // Submitting the form without ticking the box is not a yes.
  auto value = answer->content.find(request.field);
  const bool yes = value != answer->content.end() && value->is_boolean() && value->get<bool>();
  return yes ? Confirmation::kConfirmed : Confirmation::kDeclined;
}

}  // namespace ecs_mcp::mcp
