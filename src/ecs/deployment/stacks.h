// The CloudFormation stacks the deployment tools manage: their names, the tags that mark them
// as ours, and create-or-update-and-wait with progress and cancellation.
//
// Ownership: a stack is ours when it carries ecs-mcp:managed-by=ecs-mcp and
// ecs-mcp:app=<app name>. The deployment tools update and delete only such stacks; a stack
// with the same name but without the tags is left alone and reported.
//
// Thread-safety: free functions; concurrent calls on different stacks are fine.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "aws/client.h"
#include "common/result.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs {

inline constexpr const char* kManagedByTagKey = "ecs-mcp:managed-by";
inline constexpr const char* kManagedByTagValue = "ecs-mcp";
inline constexpr const char* kAppTagKey = "ecs-mcp:app";
inline constexpr const char* kComponentTagKey = "ecs-mcp:component";

struct StackNames {
  std::string ecr;  // <app>-ecr-infrastructure
  std::string ecs;  // <app>-ecs-infrastructure
};
StackNames stack_names_for(const std::string& app_name);

// The stack tags for one component ("ecr" or "ecs") of `app_name`, in CloudFormation's form.
nlohmann::json ownership_tags(const std::string& app_name, const std::string& component);
// True when `stack` (a DescribeStacks entry) carries our tags for `app_name`.
bool stack_is_ours(const nlohmann::json& stack, const std::string& app_name);
std::string stack_tag(const nlohmann::json& stack, const std::string& key);
// The stack's outputs as {OutputKey: OutputValue}.
nlohmann::json stack_outputs(const nlohmann::json& stack);

bool stack_status_in_progress(const std::string& status);
bool stack_status_succeeded(const std::string& status);  // CREATE/UPDATE/IMPORT_COMPLETE

// DescribeStacks for one name: the stack, nullopt when it does not exist, or the error.
Result<std::optional<nlohmann::json>> describe_stack(const aws::AwsClient& cfn,
                                                     const std::string& name,
                                                     const aws::CallOptions& options);

// Up to `limit` failure reasons from the stack's recent events ("Resource: status: reason").
std::vector<std::string> stack_failure_reasons(const aws::AwsClient& cfn, const std::string& name,
                                               const aws::CallOptions& options, size_t limit = 5);

struct StackWaitOptions {
  std::chrono::milliseconds poll_interval{5000};
  std::chrono::milliseconds timeout{std::chrono::minutes(45)};
  // Reports "<stack>: <status>" as it changes; may be empty.
  std::function<void(const std::string& status)> on_status;
  std::function<bool()> cancelled;
  std::stop_token stop;  // when given, a cancellation ends the wait between polls at once
};

// Polls until the stack leaves its *_IN_PROGRESS state; returns the final DescribeStacks entry
// (nullopt when it no longer exists, e.g. after a delete). "Cancelled" and "Timeout" errors
// say the stack goes on changing in CloudFormation.
Result<std::optional<nlohmann::json>> wait_for_stack(const aws::AwsClient& cfn,
                                                     const std::string& name,
                                                     const StackWaitOptions& options);

struct StackDeployment {
  std::string stack_name;
  std::string action;    // "created", "updated", "unchanged"
  nlohmann::json stack;  // the final DescribeStacks entry
};

// A fresh CloudFormation ClientRequestToken ("ecs-mcp-" and a random UUID) for one logical
// CreateStack, UpdateStack or DeleteStack. AwsClient retries a transient failure with the same
// parameters, so the token rides along unchanged: when the first attempt did reach
// CloudFormation, the retry is recognised as the same request instead of failing with
// AlreadyExistsException (or starting a second update).
std::string new_client_request_token();

// Creates the stack, or updates it when it exists and is ours; waits for the result. Fails,
// without touching it, when a stack of that name exists but is not ours or cannot be updated
// in its present state. "StackNotUpdatable" means the stack has to be deleted before the next
// attempt (a creation CloudFormation rolled back, now or before); "StackFailed" that an update
// failed and was rolled back.
Result<StackDeployment> deploy_stack(const aws::AwsClient& cfn, const std::string& name,
                                     const std::string& app_name, const std::string& component,
                                     const std::string& template_body,
                                     const nlohmann::json& parameters,
                                     const StackWaitOptions& wait);

// Starts deleting `stack` (a name or, better, a stack ID) under one ClientRequestToken.
Status start_stack_deletion(const aws::AwsClient& cfn, const std::string& stack,
                            const aws::CallOptions& options);

// {"ParameterKey":k,"ParameterValue":v} entries from an object of strings.
nlohmann::json cfn_parameters(const nlohmann::json& values);

}  // namespace ecs_mcp::ecs
