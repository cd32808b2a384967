#include "ecs/human_confirmation.h"

namespace ecs_mcp::ecs {

AskPerson ask_person_through(mcp::ToolContext& context, std::chrono::milliseconds timeout) {
  if (!mcp::client_supports_form_elicitation(context.client_capabilities())) return {};
  return [&context, timeout](const mcp::ConfirmationRequest& request) {
    return mcp::ask_confirmation(context, request, timeout);
  };
}

std::string no_elicitation_refusal(const std::string& operation) {
  return "Operation " + operation + " needs the confirmation of the person using this client (" +
         kRequireHumanConfirmationVariable +
         "=true), asked through MCP elicitation, and this client did not declare the "
         "elicitation capability. Nothing was done. Use a client that supports elicitation, or "
         "ask whoever runs the server to unset " +
         kRequireHumanConfirmationVariable + ".";
}

Status confirm_with_person(const AskPerson& ask, const std::string& operation,
                           const mcp::ConfirmationRequest& request) {
  if (!ask) return make_error(ErrorCode::kConfirmationRequired, no_elicitation_refusal(operation));
  auto answer = ask(request);
  const std::string rule = std::string(" (") + kRequireHumanConfirmationVariable +
                           "=true: only the person can confirm it)";
  if (!answer.ok()) {
    return make_error(ErrorCode::kConfirmationFailed,
                      "Operation " + operation + " was not confirmed: asking the person failed (" +
                          answer.error().message + "). Nothing was done" + rule + ".");
  }
  switch (*answer) {
    case mcp::Confirmation::kConfirmed:
      return {};
    case mcp::Confirmation::kDeclined:
      return make_error(ErrorCode::kConfirmationDeclined,
                        "The person declined operation " + operation + ". Nothing was done" + rule +
                            ". Do not retry unless they ask for it.");
    case mcp::Confirmation::kCancelled:
      break;
  }
  return make_error(ErrorCode::kConfirmationDeclined,
                    "The person dismissed the confirmation of operation " + operation +
                        ". Nothing was done" + rule + ".");
}

}  // namespace ecs_mcp::ecs
