// The deletion workflow behind delete_ecs_infrastructure, as a plain function of a plan.
//
// It removes an app's two stacks and nothing else: a stack is deleted only when it carries
// this server's ownership tags for the app and its deployed template equals the template the
// plan holds for it; any refusal stops the whole run before anything is deleted. What would go
// is confirmed either
//  - by the person, asked through `ask_person` (elicitation) in this run, or
//  - by a confirmation token: a run without one previews and issues a token bound to exactly
//    those stacks (their IDs); a later run with the token deletes them.
// With `require_human_confirmation` only the person can confirm: no token is issued or
// accepted, and without `ask_person` the run refuses.
// The deletion goes the ECS stack first, then the ECR repository's stack (whose images go with
// it), each by stack ID, waiting with progress.
//
// Thread-safety: tokens come from a shared, thread-safe ConfirmationTokens; runs may overlap.
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.h"
#include "ecs/aws_context.h"
#include "ecs/deployment/confirmation.h"
#include "ecs/deployment/workflow.h"
#include "ecs/human_confirmation.h"

namespace ecs_mcp::ecs {

struct DeletePlan {
  std::string app_name;                       // checked against the naming rules
  nlohmann::json ecr_template, ecs_template;  // the templates the stacks must have been made from
  std::string confirmation_token;             // from an earlier preview; empty: none
};

struct DeleteDeps {
  std::shared_ptr<AwsContext> aws;
  std::shared_ptr<ConfirmationTokens> tokens;
  std::chrono::milliseconds poll_interval{std::chrono::seconds(5)};
  std::chrono::milliseconds stack_timeout{std::chrono::minutes(45)};
  Cancellation cancellation;
  AskPerson ask_person;  // empty: the client cannot ask the person
  bool require_human_confirmation = false;
};

struct StackToDelete {
  std::string name, id, status;
  std::vector<std::string> resources;  // "<type> <physical id>"
};

struct DeleteOutcome {
  enum class Phase { kPreview, kDeleted, kDeclined, kNothingToDelete };
  Phase phase = Phase::kNothingToDelete;
  std::vector<StackToDelete> stacks;  // found (preview, declined) or deleted
  std::string confirmation_token;     // preview only
  long long expires_in_seconds = 0;   // preview only
  std::string message;
};

std::string_view to_string(DeleteOutcome::Phase phase);

// An Error when a stack may not be deleted, the confirmation does not hold, AWS fails or a
// stack does not reach DELETE_COMPLETE; its message is ready for the user and says what was
// (not) deleted.
Result<DeleteOutcome> delete_app_stacks(const DeletePlan& plan, const DeleteDeps& deps,
                                        Progress& progress);

}  // namespace ecs_mcp::ecs
