#include "ecs/deployment/delete_workflow.h"

#include "ecs/deployment/deploy_workflow.h"
#include "ecs/deployment/stacks.h"

namespace ecs_mcp::ecs {

using nlohmann::json;

namespace {

constexpr const char* kPurpose = "delete_ecs_infrastructure";

// "shop-ecs-infrastructure (12 resources), shop-ecr-infrastructure (1 resources)"
std::string stack_list(const std::vector<StackToDelete>& stacks) {
  std::string list;
  for (const auto& c : stacks) {
    list += (list.empty() ? "" : ", ") + c.name + " (" + std::to_string(c.resources.size()) +
            " resources)";
  }
  return list;
}

mcp::ConfirmationRequest question(const std::string& app, const std::string& region,
                                  const std::vector<StackToDelete>& stacks) {
  mcp::ConfirmationRequest q;
  q.message = "Delete the ECS infrastructure of app \"" + app + "\" in " + region +
              "? This permanently deletes these CloudFormation stacks and all their resources: " +
              stack_list(stacks) + ". The ECR repository's images are deleted with it.";
  q.field = "confirm";
  q.field_title = "Delete these stacks";
  q.field_description = "Delete " + stack_list(stacks) + " and everything in them";
  return q;
}

// Vets both stacks before anything is deleted: ours, made from the given templates, not busy.
// `absent` collects the names of stacks that do not exist.
Result<std::vector<StackToDelete>> find_stacks(const aws::AwsClient& cfn, const DeletePlan& plan,
                                               const aws::CallOptions& call,
                                               std::vector<std::string>& absent) {
  const std::string& app = plan.app_name;
  const StackNames names = stack_names_for(app);
  std::vector<StackToDelete> found;
  for (const auto& [name, expected] : std::vector<std::pair<std::string, const json*>>{
           {names.ecs, &plan.ecs_template}, {names.ecr, &plan.ecr_template}}) {
    auto stack = describe_stack(cfn, name, call);
    if (!stack.ok())
      return make_error(ErrorCode::kAwsError,
                        describe_aws_failure("DescribeStacks " + name, stack.error()));
    if (!stack->has_value() || (**stack).value("StackStatus", "") == "DELETE_COMPLETE") {
      absent.push_back(name);
      continue;
    }
    const json& s = **stack;
    if (!stack_is_ours(s, app)) {
      return make_error(ErrorCode::kNotOurs, "refusing to delete stack " + name +
                                                 ": it was not created by ecs-mcp for app \"" +
                                                 app + "\" (it lacks the tags " + kManagedByTagKey +
                                                 "=" + kManagedByTagValue + " and " + kAppTagKey +
                                                 "=" + app + "). Nothing was deleted.");
    }
    auto deployed =
        cfn.call("GetTemplate", {{"StackName", name}, {"TemplateStage", "Original"}}, call);
    if (!deployed.ok())
      return make_error(ErrorCode::kAwsError,
                        describe_aws_failure("GetTemplate " + name, deployed.error()));
    json body = (*deployed)["TemplateBody"];
    if (body.is_string()) body = json::parse(body.get<std::string>(), nullptr, false);
    if (body != *expected) {
      return make_error(
          ErrorCode::kTemplateMismatch,
          "refusing to delete stack " + name +
              ": its deployed template differs from the "
              "template file given for it. Pass the template files create_ecs_infrastructure "
              "wrote for this app (" +
              std::string(kTemplatesDirectory) + "/" + name + ".json). Nothing was deleted.");
    }
    StackToDelete c{name, s.value("StackId", name), s.value("StackStatus", ""), {}};
    if (stack_status_in_progress(c.status) && c.status != "DELETE_IN_PROGRESS") {
      return make_error(ErrorCode::kStackBusy,
                        "stack " + name + " is " + c.status +
                            "; wait for it to finish, then ask again. Nothing was "
                            "deleted.");
    }
    auto resources = cfn.call("ListStackResources", {{"StackName", name}}, call);
    if (resources.ok()) {
      for (const auto& r : resources->value("StackResourceSummaries", json::array())) {
        // Blank entries stand for resources a condition left out (moto lists them so).
        const std::string type = r.value("ResourceType", "");
        if (type.empty()) continue;
        std::string id = r.value("PhysicalResourceId", "");
        if (id.empty()) id = r.value("LogicalResourceId", "");
        c.resources.push_back(type + " " + id);
      }
    }
    found.push_back(std::move(c));
  }
  return found;
}

// Deletes the vetted stacks in order, by ID, waiting for each.
Result<std::vector<StackToDelete>> delete_stacks(const aws::AwsClient& cfn,
                                                 const std::vector<StackToDelete>& stacks,
                                                 const DeleteDeps& deps, Progress& progress) {
  const aws::CallOptions call = deps.cancellation.call_options();
  const double total = static_cast<double>(stacks.size() * 10 + 1);
  double at = 0;
  std::vector<StackToDelete> deleted;
  for (size_t i = 0; i < stacks.size(); ++i) {
    const auto& c = stacks[i];
    if (c.status != "DELETE_IN_PROGRESS") {
      // The stack ID, not the name: it cannot have been replaced by another stack since the
      // preview.
      auto r = start_stack_deletion(cfn, c.id, call);
      if (!r.ok())
        return make_error(ErrorCode::kAwsError,
                          describe_aws_failure("DeleteStack " + c.name, r.error()));
    }
    at += 1;
    progress.report(at, total, "Deleting " + c.name);
    StackWaitOptions w = deps.cancellation.stack_wait(deps.poll_interval, deps.stack_timeout);
    w.on_status = [&](const std::string& status) {
      at += 1;
      progress.report(at, total, c.name + ": " + status);
    };
    auto done = wait_for_stack(cfn, c.id, w);
    if (!done.ok()) return done.error();
    std::string final_status =
        done->has_value() ? (**done).value("StackStatus", "") : "DELETE_COMPLETE";
    if (final_status != "DELETE_COMPLETE") {
      std::string reasons;
      for (const auto& r : stack_failure_reasons(cfn, c.id, call)) reasons += "\n  - " + r;
      return make_error(
          ErrorCode::kStackFailed,
          "stack " + c.name + " ended " + final_status + reasons +
              (i + 1 < stacks.size() ? "\n" + stacks[i + 1].name + " was not deleted." : ""));
    }
    StackToDelete gone = c;
    gone.status = final_status;
    deleted.push_back(std::move(gone));
    at = static_cast<double>((i + 1) * 10);
  }
  return deleted;
}

}  // namespace

std::string_view to_string(DeleteOutcome::Phase phase) {
  switch (phase) {
    case DeleteOutcome::Phase::kPreview:
      return "preview";
    case DeleteOutcome::Phase::kDeleted:
      return "deleted";
    case DeleteOutcome::Phase::kDeclined:
      return "declined";
    case DeleteOutcome::Phase::kNothingToDelete:
      return "nothing-to-delete";
  }
  return "preview";
}

Result<DeleteOutcome> delete_app_stacks(const DeletePlan& plan, const DeleteDeps& deps,
                                        Progress& progress) {
  const std::string& app = plan.app_name;
  auto cfn = deps.aws->client(AwsService::kCloudFormation);
  if (!cfn.ok())
    return make_error(ErrorCode::kAwsError, describe_aws_failure("CloudFormation", cfn.error()));
  const StackNames names = stack_names_for(app);

  std::vector<std::string> absent;
  auto found = find_stacks(**cfn, plan, deps.cancellation.call_options(), absent);
  if (!found.ok()) return found.error();
  DeleteOutcome out;
  out.stacks = *found;
  if (out.stacks.empty()) {
    out.phase = DeleteOutcome::Phase::kNothingToDelete;
    out.message = "Neither " + names.ecs + " nor " + names.ecr + " exists in " +
                  deps.aws->region() + "; nothing to delete.";
    return out;
  }
  std::vector<std::string> bound{"app=" + app};
  for (const auto& c : out.stacks) bound.push_back(c.id);

  const std::string rule = std::string(" (") + kRequireHumanConfirmationVariable +
                           "=true: only the person can confirm it)";
  // A token is enough unless only the person may confirm; otherwise the person is asked when
  // the client can ask.
  const bool token_confirms = !plan.confirmation_token.empty() && !deps.require_human_confirmation;
  bool confirmed_by_person = false;
  std::string elicitation_failure;
  if (!token_confirms && deps.require_human_confirmation && !deps.ask_person) {
    return make_error(ErrorCode::kConfirmationRequired,
                      no_elicitation_refusal("delete_ecs_infrastructure") +
                          " It would have removed: " + stack_list(out.stacks) + ".");
  }
  if (!token_confirms && deps.ask_person &&
      (plan.confirmation_token.empty() || deps.require_human_confirmation)) {
    auto answer = deps.ask_person(question(app, deps.aws->region(), out.stacks));
    if (!answer.ok() && deps.cancellation.requested())
      return make_error(ErrorCode::kCancelled, "the call was cancelled. Nothing was deleted.");
    if (!answer.ok() && deps.require_human_confirmation) {
      return make_error(ErrorCode::kConfirmationFailed,
                        "Asking the person to confirm failed: " + answer.error().message +
                            ". Nothing was deleted" + rule + ".");
    }
    if (!answer.ok()) {
      elicitation_failure =
          "Asking the user to confirm (elicitation) failed: " + answer.error().message + ". ";
    } else if (*answer == mcp::Confirmation::kConfirmed) {
      confirmed_by_person = true;
    } else {
      out.phase = DeleteOutcome::Phase::kDeclined;
      out.message =
          std::string(*answer == mcp::Confirmation::kDeclined
                          ? "The user declined the deletion"
                          : "The user dismissed the confirmation") +
          "; nothing was deleted. Would have removed: " + stack_list(out.stacks) + "." +
          (deps.require_human_confirmation ? std::string(" Only the person can confirm "
                                                         "it (") +
                                                 kRequireHumanConfirmationVariable + "=true)."
                                           : std::string());
      return out;
    }
  }
  if (!token_confirms && !confirmed_by_person) {
    out.phase = DeleteOutcome::Phase::kPreview;
    out.confirmation_token = deps.tokens->issue(kPurpose, bound);
    out.expires_in_seconds = deps.tokens->lifetime().count();
    std::string list;
    for (const auto& c : out.stacks)
      list += " " + c.name + " (" + std::to_string(c.resources.size()) + " resources)";
    out.message =
        elicitation_failure + "PREVIEW, nothing deleted yet. Deleting would remove:" + list +
        (absent.empty() ? ""
                        : "; already absent: " + absent.front() +
                              (absent.size() > 1 ? ", " + absent[1] : "")) +
        ". The ECR repository's images are deleted with it. Show this to the user; if they "
        "confirm, call "
        "delete_ecs_infrastructure again with the same arguments and confirmation_token within " +
        std::to_string(deps.tokens->lifetime().count() / 60) + " minutes." +
        (deps.tokens->persistent_key()
             ? ""
             : " (The token is valid only while this server process runs.)");
    return out;
  }
  if (token_confirms) {
    if (auto st = deps.tokens->verify(plan.confirmation_token, kPurpose, bound); !st.ok())
      return make_error(st.error().code, st.error().message + ". Nothing was deleted.");
  }

  auto deleted = delete_stacks(**cfn, out.stacks, deps, progress);
  if (!deleted.ok()) return deleted.error();
  out.phase = DeleteOutcome::Phase::kDeleted;
  out.stacks = *deleted;
  out.message = "Deleted " + std::to_string(out.stacks.size()) + " stack(s) of " + app +
                " and their resources.";
  return out;
}

}  // namespace ecs_mcp::ecs
