// ECS_MCP_REQUIRE_HUMAN_CONFIRMATION: with it on, a destructive operation runs only after the
// person at the client said yes to exactly that operation, asked through MCP elicitation
// (elicitation/create) during the call. A confirmation token handed to the assistant is not
// enough, as the assistant could pass it back itself. A client that cannot elicit, a refusal,
// a dismissed question and a failed one all mean nothing is done, with a message naming the
// variable.
//
// What this guards against is the assistant confirming its own request; the client is trusted
// to show the question to the person (a client that answers elicitations by itself defeats it).
//
// Thread-safety: AskPerson runs on the call's worker and blocks it until the client answers.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/result.h"
#include "mcp/elicitation.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs {

inline constexpr const char* kRequireHumanConfirmationVariable =
    "ECS_MCP_REQUIRE_HUMAN_CONFIRMATION";

// How long the person has to answer.
inline constexpr std::chrono::minutes kHumanConfirmationTimeout{5};

// Asks the person a yes/no question; empty when the client declared no form elicitation.
using AskPerson = std::function<Result<mcp::Confirmation>(const mcp::ConfirmationRequest&)>;

// The question channel of a tool call (empty when its client cannot elicit).
AskPerson ask_person_through(mcp::ToolContext& context, std::chrono::milliseconds timeout);

// Under the switch: Ok only when the person confirmed `request`; otherwise an Error
// ("ConfirmationRequired", "ConfirmationDeclined" or "ConfirmationFailed") whose message
// names the variable, says that `operation` did nothing and why.
Status confirm_with_person(const AskPerson& ask, const std::string& operation,
                           const mcp::ConfirmationRequest& request);

// The refusal for a client that cannot ask the person.
std::string no_elicitation_refusal(const std::string& operation);

}  // namespace ecs_mcp::ecs
