// Elicitation (MCP 2025-06-18 and later): during a tool call the server asks the person at the
// client a question through a server-to-client `elicitation/create` request and waits for the
// answer. Only form mode is used here: a flat object schema the client renders as a form.
//
// A client that supports it declares `elicitation` in initialize: `{}` (2025-06-18, form
// only) or `{"form":{}, "url":{}}` (2025-11-25). The answer is an action, "accept" (with the
// form's `content`), "decline" or "cancel".
//
// Thread-safety: the functions use only the call's ToolContext; they block the calling worker
// until the client answers, the timeout passes or the call is cancelled.
#pragma once

#include <chrono>
#include <string>

#include "common/result.h"
#include "mcp/tool.h"

namespace ecs_mcp::mcp {

// True when the client declared form-mode elicitation.
bool client_supports_form_elicitation(const json& client_capabilities);

enum class ElicitationAction { kAccept, kDecline, kCancel };

struct ElicitationAnswer {
  ElicitationAction action = ElicitationAction::kCancel;
  json content = json::object();  // the form's values when accepted
};

// Sends elicitation/create with `message` and `requested_schema` and waits for the answer. An
// Error ("Unsupported") when the client did not declare form elicitation, or when the request
// failed: a JSON-RPC error, no answer within `timeout`, the call's cancellation, or an answer
// that is not an elicitation result.
Result<ElicitationAnswer> elicit(ToolContext& context, const std::string& message,
                                 const json& requested_schema, std::chrono::milliseconds timeout);

// A yes/no question to the person: a form with one required boolean, `field`.
struct ConfirmationRequest {
  std::string message;  // what is about to happen, in full
  std::string field = "confirm";
  std::string field_title;  // the checkbox's label
  std::string field_description;
};

enum class Confirmation {
  kConfirmed,  // accepted with the field set to true
  kDeclined,   // declined, or accepted without ticking the field
  kCancelled,  // dismissed without a choice
};

// Asks `request` through elicit(); only an accepted form whose field is true confirms.
Result<Confirmation> ask_confirmation(ToolContext& context, const ConfirmationRequest& request,
                                      std::chrono::milliseconds timeout);

}  // namespace ecs_mcp::mcp
