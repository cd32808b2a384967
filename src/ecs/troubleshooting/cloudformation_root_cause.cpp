#include "ecs/troubleshooting/cloudformation_root_cause.h"

#include <algorithm>
#include <cctype>

#include "common/json_fields.h"
#include "common/strings.h"

namespace ecs_mcp::ecs::troubleshooting {

using nlohmann::json;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_stack_event(const json& e, const std::string& stack_name) {
  return string_field(e, "ResourceType") == "AWS::CloudFormation::Stack" &&
         (string_field(e, "LogicalResourceId") == stack_name ||
          string_field(e, "StackName") == stack_name);
}

bool is_operation_start(const json& e, const std::string& stack_name) {
  if (!is_stack_event(e, stack_name)) return false;
  const std::string status = string_field(e, "ResourceStatus");
  if (status == "REVIEW_IN_PROGRESS") return true;
  if (status.find("ROLLBACK") != std::string::npos || status.find("CLEANUP") != std::string::npos) {
    return false;
  }
  return status == "CREATE_IN_PROGRESS" || status == "UPDATE_IN_PROGRESS" ||
         status == "DELETE_IN_PROGRESS" || status == "IMPORT_IN_PROGRESS";
}

std::string line(const json& e) {
  std::string out = string_field(e, "LogicalResourceId") + " (" + string_field(e, "ResourceType") +
                    ") " + string_field(e, "ResourceStatus");
  if (auto r = string_field(e, "ResourceStatusReason"); !r.empty()) out += ": " + r;
  return out;
}

std::string next_step_for(const std::string& reason_text, const std::string& resource_type) {
  const std::string r = ascii_lower(reason_text);
  if (r.find("already exists") != std::string::npos) {
    return "A resource with that name already exists: delete or import it, or let CloudFormation "
           "name the resource (remove the explicit name).";
  }
  if (r.find("not authorized") != std::string::npos ||
      r.find("accessdenied") != std::string::npos || r.find("access denied") != std::string::npos) {
    return "Grant the deploying role (or the stack's service role) the IAM action named in the "
           "reason, then retry.";
  }
  if (r.find("circuit breaker") != std::string::npos ||
      r.find("did not stabilize") != std::string::npos ||
      (resource_type == "AWS::ECS::Service" && r.find("stabiliz") != std::string::npos)) {
    return "The ECS service's tasks never became healthy: run fetch_task_failures and "
           "fetch_service_events for the service to see why its tasks stop.";
  }
  if (r.find("limit") != std::string::npos || r.find("quota") != std::string::npos) {
    return "A service quota was reached: delete unused resources or request a quota increase.";
  }
  if (r.find("does not have an associated load balancer") != std::string::npos) {
    return "Create the listener (or listener rule) for the target group before the ECS service: "
           "add DependsOn: <Listener> to the service.";
  }
  if (r.find("invalid") != std::string::npos || r.find("validation") != std::string::npos ||
      r.find("properties validation failed") != std::string::npos) {
    return "Fix the property the reason names in the template and update the stack.";
  }
  if (r.find("does not exist") != std::string::npos || r.find("not found") != std::string::npos) {
    return "A referenced resource does not exist (wrong ID, ARN or region): fix the reference.";
  }
  return "Fix what the reason says in the template or its parameters, then update the stack.";
}

}  // namespace

bool is_cascade_reason(const std::string& reason) {
  const std::string r = ascii_lower(reason);
  return r.find("resource creation cancelled") != std::string::npos ||
         r.find("resource update cancelled") != std::string::npos ||
         r.find("resource deletion cancelled") != std::string::npos ||
         r.find("the following resource(s) failed") != std::string::npos ||
         r.find("resource(s) failed to") != std::string::npos ||
         r.find("cancelled") != std::string::npos;
}

StackFailureAnalysis analyze_stack_events(const json& events, const std::string& stack_name) {
  StackFailureAnalysis out;
  std::vector<json> chronological;
  if (events.is_array()) {
    for (auto it = events.rbegin(); it != events.rend(); ++it) chronological.push_back(*it);
  }
  // Events may carry equal timestamps; the API's order (reversed) is the reliable one.
  size_t start = 0;
  for (size_t i = 0; i < chronological.size(); ++i) {
    if (is_operation_start(chronological[i], stack_name)) start = i;
  }
  out.operation_events.assign(chronological.begin() + static_cast<std::ptrdiff_t>(start),
                              chronological.end());

  std::vector<json> failures;
  for (const auto& e : out.operation_events) {
    const std::string status = string_field(e, "ResourceStatus");
    if (status.find("ROLLBACK") != std::string::npos && is_stack_event(e, stack_name)) {
      out.rolled_back = true;
    }
    if (ends_with(status, "_FAILED")) failures.push_back(e);
  }
  // The first failure of a resource (not the stack) whose reason is its own.
  for (const auto& e : failures) {
    if (is_stack_event(e, stack_name)) continue;
    if (is_cascade_reason(string_field(e, "ResourceStatusReason"))) continue;
    out.root_cause = e;
    break;
  }
  if (!out.root_cause) {
    for (const auto& e : failures) {
      if (!is_cascade_reason(string_field(e, "ResourceStatusReason")) ||
          !is_stack_event(e, stack_name)) {
        out.root_cause = e;
        break;
      }
    }
  }
  if (!out.root_cause && !failures.empty()) out.root_cause = failures.front();
  for (const auto& e : failures) {
    if (out.root_cause && e == *out.root_cause) continue;
    out.cascade.push_back(e);
  }
  return out;
}

std::vector<Finding> diagnose_stack(const json& stack, const StackFailureAnalysis& analysis,
                                    const json& resources) {
  std::vector<Finding> out;
  const std::string name = string_field(stack, "StackName");
  const std::string status = string_field(stack, "StackStatus");
  const std::string status_reason = string_field(stack, "StackStatusReason");
  const bool failed_state =
      status.find("FAILED") != std::string::npos || status.find("ROLLBACK") != std::string::npos;

  if (analysis.root_cause) {
    const json& e = *analysis.root_cause;
    std::vector<std::string> evidence{line(e)};
    if (auto t = string_field(e, "Timestamp"); !t.empty()) evidence.push_back("at " + t);
    if (!analysis.cascade.empty()) {
      evidence.push_back(std::to_string(analysis.cascade.size()) +
                         " later failure(s) followed from it (cancellations and the stack's "
                         "summary), see cascade");
    }
    Severity severity = failed_state || status.find("IN_PROGRESS") != std::string::npos
                            ? Severity::kCritical
                            : Severity::kWarning;
    std::string when =
        failed_state ? "" : " (in an earlier attempt; the stack is now " + status + ")";
    out.push_back(
        {severity, "cloudformation_root_cause",
         "Stack " + name + " failed because " + string_field(e, "LogicalResourceId") + " (" +
             string_field(e, "ResourceType") + ") could not be " +
             ascii_lower(string_field(e, "ResourceStatus")
                             .substr(0, string_field(e, "ResourceStatus").find('_'))) +
             "d: " + string_field(e, "ResourceStatusReason") + when,
         std::move(evidence),
         next_step_for(string_field(e, "ResourceStatusReason"), string_field(e, "ResourceType")),
         1});
  } else if (failed_state) {
    out.push_back(
        {Severity::kCritical,
         "cloudformation_status",
         "Stack " + name + " is in " + status + (status_reason.empty() ? "" : ": " + status_reason),
         {"StackStatus: " + status},
         "Look at the stack's events in the console; no resource failure event was "
         "found in the latest operation.",
         1});
  }
  if (status == "ROLLBACK_COMPLETE" || status == "ROLLBACK_FAILED") {
    out.push_back({Severity::kError,
                   "cloudformation_status",
                   "Stack " + name + " is in " + status + ": it cannot be updated, only deleted.",
                   {"StackStatus: " + status},
                   "Delete the stack, fix the root cause, and create it again.",
                   1});
  } else if (status.find("IN_PROGRESS") != std::string::npos) {
    out.push_back({Severity::kInfo,
                   "cloudformation_status",
                   "Stack " + name + " is still " + status + ".",
                   {"StackStatus: " + status},
                   "Wait for the operation to finish, then check again.",
                   1});
  } else if (!failed_state && out.empty()) {
    out.push_back({Severity::kInfo,
                   "cloudformation_status",
                   "Stack " + name + " is " + status + "; no failure in its latest operation.",
                   {"StackStatus: " + status},
                   "Nothing to fix in the stack.",
                   1});
  }

  std::vector<std::string> failed_resources;
  if (resources.is_array()) {
    for (const auto& r : resources) {
      if (ends_with(string_field(r, "ResourceStatus"), "_FAILED")) {
        std::string l = string_field(r, "LogicalResourceId") + " (" +
                        string_field(r, "ResourceType") + ") " + string_field(r, "ResourceStatus");
        if (auto reason = string_field(r, "ResourceStatusReason"); !reason.empty())
          l += ": " + reason;
        failed_resources.push_back(std::move(l));
      }
    }
  }
  if (!failed_resources.empty()) {
    size_t n = failed_resources.size();
    out.push_back({Severity::kWarning, "cloudformation_failed_resources",
                   std::to_string(n) + " resource(s) of stack " + name + " are in a failed state.",
                   std::move(failed_resources),
                   "Fix the root cause first; the others usually recover on the next update.", n});
  }
  return out;
}

}  // namespace ecs_mcp::ecs::troubleshooting
