#include "ecs/deployment/stacks.h"

#include <algorithm>
#include <thread>

#include "common/random.h"
#include "common/stoppable_sleep.h"
#include "ecs/aws_context.h"

namespace ecs_mcp::ecs {

using nlohmann::json;

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Sleeps `total`; a stop wakes it at once. Without a stop token, sleeps in small steps so a
// cancellation is noticed promptly.
bool sleep_unless_cancelled(std::chrono::milliseconds total, const std::function<bool()>& cancelled,
                            const std::stop_token& stop) {
  if (stop.stop_possible()) return sleep_unless_stopped(total, stop) && !(cancelled && cancelled());
  auto end = std::chrono::steady_clock::now() + total;
  while (std::chrono::steady_clock::now() < end) {
    if (cancelled && cancelled()) return false;
    std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(
        std::chrono::milliseconds(100), std::chrono::duration_cast<std::chrono::milliseconds>(
                                            end - std::chrono::steady_clock::now()) +
                                            std::chrono::milliseconds(1)));
  }
  return !(cancelled && cancelled());
}

}  // namespace

std::string new_client_request_token() {
  // A version 4 UUID. Should the system have no randomness to give, the clock still makes
  // the token unique among this server's calls.
  auto uuid = random_uuid();
  if (!uuid) {
    return "ecs-mcp-" + std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  }
  return "ecs-mcp-" + *uuid;
}

StackNames stack_names_for(const std::string& app_name) {
  return {app_name + "-ecr-infrastructure", app_name + "-ecs-infrastructure"};
}

json ownership_tags(const std::string& app_name, const std::string& component) {
  return json::array({{{"Key", kManagedByTagKey}, {"Value", kManagedByTagValue}},
                      {{"Key", kAppTagKey}, {"Value", app_name}},
                      {{"Key", kComponentTagKey}, {"Value", component}}});
}

std::string stack_tag(const json& stack, const std::string& key) {
  if (!stack.contains("Tags") || !stack["Tags"].is_array()) return "";
  for (const auto& t : stack["Tags"]) {
    if (t.value("Key", "") == key) return t.value("Value", "");
  }
  return "";
}

bool stack_is_ours(const json& stack, const std::string& app_name) {
  return stack_tag(stack, kManagedByTagKey) == kManagedByTagValue &&
         stack_tag(stack, kAppTagKey) == app_name;
}

json stack_outputs(const json& stack) {
  json out = json::object();
  if (stack.contains("Outputs") && stack["Outputs"].is_array()) {
    for (const auto& o : stack["Outputs"])
      out[o.value("OutputKey", "")] = o.value("OutputValue", "");
  }
  return out;
}

bool stack_status_in_progress(const std::string& status) {
  return ends_with(status, "_IN_PROGRESS");
}

bool stack_status_succeeded(const std::string& status) {
  return status == "CREATE_COMPLETE" || status == "UPDATE_COMPLETE" || status == "IMPORT_COMPLETE";
}

json cfn_parameters(const json& values) {
  json out = json::array();
  for (const auto& [k, v] : values.items()) {
    out.push_back(
        {{"ParameterKey", k}, {"ParameterValue", v.is_string() ? v.get<std::string>() : v.dump()}});
  }
  return out;
}

Result<std::optional<json>> describe_stack(const aws::AwsClient& cfn, const std::string& name,
                                           const aws::CallOptions& options) {
  auto r = cfn.call("DescribeStacks", {{"StackName", name}}, options);
  if (!r.ok()) {
    const auto& e = r.error();
    if (e.is_service_error("ValidationError") &&
        e.message.find("does not exist") != std::string::npos) {
      return std::optional<json>();
    }
    return r.error();
  }
  if (!r->contains("Stacks") || !(*r)["Stacks"].is_array() || (*r)["Stacks"].empty())
    return std::optional<json>();
  return std::optional<json>((*r)["Stacks"][0]);
}

std::vector<std::string> stack_failure_reasons(const aws::AwsClient& cfn, const std::string& name,
                                               const aws::CallOptions& options, size_t limit) {
  std::vector<std::string> out;
  auto r = cfn.call("DescribeStackEvents", {{"StackName", name}}, options);
  if (!r.ok() || !r->contains("StackEvents")) return out;
  for (const auto& ev : (*r)["StackEvents"]) {
    std::string status = ev.value("ResourceStatus", "");
    std::string reason = ev.value("ResourceStatusReason", "");
    if (status.find("FAILED") == std::string::npos || reason.empty()) continue;
    if (reason.find("Resource creation cancelled") != std::string::npos) continue;
    out.push_back(ev.value("LogicalResourceId", "") + " (" + ev.value("ResourceType", "") +
                  "): " + status + ": " + reason);
    if (out.size() >= limit) break;
  }
  return out;
}

Result<std::optional<json>> wait_for_stack(const aws::AwsClient& cfn, const std::string& name,
                                           const StackWaitOptions& options) {
  aws::CallOptions call;
  call.cancelled = options.cancelled;
  call.stop = options.stop;
  auto deadline = std::chrono::steady_clock::now() + options.timeout;
  std::string last;
  while (true) {
    auto st = describe_stack(cfn, name, call);
    if (!st.ok()) return st.error();
    if (!st->has_value()) return std::optional<json>();
    std::string status = (**st).value("StackStatus", "");
    if (status != last && options.on_status) options.on_status(status);
    last = status;
    if (!stack_status_in_progress(status)) return *st;
    if (std::chrono::steady_clock::now() > deadline) {
      return make_error(ErrorCode::kTimeout,
                        "stack " + name + " is still " + status +
                            " after the wait limit; it goes on in CloudFormation. "
                            "Follow it with get_deployment_status.");
    }
    if (!sleep_unless_cancelled(options.poll_interval, options.cancelled, options.stop)) {
      return make_error(
          ErrorCode::kCancelled,
          "stopped waiting for stack " + name + " (" + status +
              "); CloudFormation goes on with it. Follow it with get_deployment_status.");
    }
  }
}

Result<StackDeployment> deploy_stack(const aws::AwsClient& cfn, const std::string& name,
                                     const std::string& app_name, const std::string& component,
                                     const std::string& template_body, const json& parameters,
                                     const StackWaitOptions& wait) {
  aws::CallOptions call;
  call.cancelled = wait.cancelled;
  auto existing = describe_stack(cfn, name, call);
  if (!existing.ok())
    return existing.error().with_message(
        describe_aws_failure("DescribeStacks " + name, existing.error()));
  json request{{"StackName", name},
               {"TemplateBody", template_body},
               {"Parameters", cfn_parameters(parameters)},
               {"Capabilities", json::array({"CAPABILITY_IAM"})},
               {"Tags", ownership_tags(app_name, component)},
               {"ClientRequestToken", new_client_request_token()}};
  StackDeployment result;
  result.stack_name = name;
  if (existing->has_value()) {
    const json& stack = **existing;
    std::string status = stack.value("StackStatus", "");
    if (!stack_is_ours(stack, app_name)) {
      return make_error(ErrorCode::kNotOurs,
                        "a stack named " + name +
                            " already exists and was not created by ecs-mcp for app \"" + app_name +
                            "\" (it lacks the tags " + kManagedByTagKey + "=" + kManagedByTagValue +
                            " and " + kAppTagKey + "=" + app_name + "); choose another app_name");
    }
    if (stack_status_in_progress(status)) {
      return make_error(ErrorCode::kStackBusy,
                        "stack " + name + " is " + status +
                            "; wait for it (get_deployment_status) and try again");
    }
    if (status == "ROLLBACK_COMPLETE" || status == "ROLLBACK_FAILED" || status == "CREATE_FAILED" ||
        status == "DELETE_FAILED") {
      std::string reasons;
      for (const auto& r : stack_failure_reasons(cfn, name, call)) reasons += "\n  - " + r;
      return make_error(ErrorCode::kStackNotUpdatable,
                        "stack " + name + " is " + status +
                            " after a failed deployment and cannot be updated; delete it with "
                            "delete_ecs_infrastructure, then deploy again." +
                            (reasons.empty() ? "" : "\nWhy it failed:" + reasons));
    }
    auto r = cfn.call("UpdateStack", request, call);
    if (!r.ok()) {
      if (r.error().is_service_error("ValidationError") &&
          r.error().message.find("No updates are to be performed") != std::string::npos) {
        result.action = "unchanged";
        result.stack = stack;
        return result;
      }
      return r.error().with_message(describe_aws_failure("UpdateStack " + name, r.error()));
    }
    result.action = "updated";
  } else {
    request["OnFailure"] = "ROLLBACK";
    auto r = cfn.call("CreateStack", request, call);
    if (!r.ok())
      return r.error().with_message(describe_aws_failure("CreateStack " + name, r.error()));
    result.action = "created";
  }
  auto done = wait_for_stack(cfn, name, wait);
  if (!done.ok()) return done.error();
  if (!done->has_value())
    return make_error(ErrorCode::kStackFailed, "stack " + name + " disappeared while deploying");
  std::string status = (**done).value("StackStatus", "");
  if (!stack_status_succeeded(status)) {
    std::string reasons;
    for (const auto& r : stack_failure_reasons(cfn, name, call)) reasons += "\n  - " + r;
    const std::string why = (**done).value("StackStatusReason", "");
    std::string message = "stack " + name + " ended " + status + (why.empty() ? "" : ": " + why) +
                          (reasons.empty() ? "" : "\nFailed resources:" + reasons);
    // A failed creation leaves a stack that CloudFormation will not update: it has to go first.
    if (status == "ROLLBACK_COMPLETE" || status == "ROLLBACK_FAILED" || status == "CREATE_FAILED") {
      return make_error(ErrorCode::kStackNotUpdatable,
                        message +
                            "\nThe stack cannot be updated in this state: delete it with "
                            "delete_ecs_infrastructure, fix the cause, then deploy again.");
    }
    return make_error(ErrorCode::kStackFailed, message);
  }
  result.stack = **done;
  return result;
}

Status start_stack_deletion(const aws::AwsClient& cfn, const std::string& stack,
                            const aws::CallOptions& options) {
  auto r =
      cfn.call("DeleteStack",
               {{"StackName", stack}, {"ClientRequestToken", new_client_request_token()}}, options);
  if (!r.ok()) return r.error();
  return Status::Ok();
}

}  // namespace ecs_mcp::ecs
