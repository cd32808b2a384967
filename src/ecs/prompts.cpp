#include "ecs/prompts.h"

#include <nlohmann/json.hpp>

#include "ecs/deployment/infrastructure.h"
#include "ecs/deployment/stacks.h"

namespace ecs_mcp::ecs {
namespace {

using json = nlohmann::json;
using Arguments = std::map<std::string, std::string>;

std::string arg(const Arguments& args, const std::string& name) {
  auto it = args.find(name);
  return it == args.end() ? std::string() : it->second;
}

// A value as the model should pass it in a tool call: a JSON string literal.
std::string literal(const std::string& value) { return json(value).dump(); }

json user_message(const std::string& text) {
  return json{{"role", "user"}, {"content", {{"type", "text"}, {"text", text}}}};
}

Result<json> messages(const std::string& description, const std::string& text) {
  return json{{"description", description}, {"messages", json::array({user_message(text)})}};
}

std::string switches_now(const AccessPolicy& policy) {
  return std::string("Right now ALLOW_WRITE is ") + (policy.allow_write ? "on" : "off") +
         " and ALLOW_SENSITIVE_DATA is " + (policy.allow_sensitive_data ? "on" : "off") +
         ". A refused call names the variable to set: tell the user instead of retrying.";
}

std::string sensitive_note(const AccessPolicy& policy) {
  return policy.allow_sensitive_data
             ? ""
             : " (these need ALLOW_SENSITIVE_DATA=true, which is off: if the user cannot turn it "
               "on, rely on the guidance and detect_image_pull_failures)";
}

Result<json> deploy_app(const AccessPolicy& policy, const Arguments& args) {
  const std::string path = arg(args, "app_path");
  std::string name = arg(args, "app_name");
  const std::string name_value =
      name.empty() ? "a short lowercase name for the app (letters, digits, hyphens)"
                   : "app_name=" + literal(name);
  std::string t = "Deploy the application in " + literal(path) +
                  " to Amazon ECS on Fargate behind a load balancer.\n";
  t += "1. Call containerize_app with app_path=" + literal(path) +
       " and write_files=true. Check the detected runtime, port and health check path with the "
       "user.\n";
  t += "2. Call create_ecs_infrastructure with " + name_value + " and app_path=" + literal(path) +
       " (templates only) and summarise what it will create.\n";
  if (policy.allow_write) {
    t += "3. After the user confirms, call create_ecs_infrastructure again with the same arguments "
         "and "
         "force_deploy=true. It builds and pushes the image and deploys both stacks, reporting "
         "progress; "
         "on a slow machine run deployment_step=1, 2 and 3 in turn instead.\n";
  } else {
    t += "3. Deploying needs ALLOW_WRITE=true, which is off: give the user the AWS CLI commands "
         "from "
         "next_steps, or ask them to restart the server with ALLOW_WRITE=true and continue with "
         "force_deploy=true.\n";
  }
  t += "4. Call get_deployment_status with the same app_name until the verdict is COMPLETE and "
       "give the "
       "user the load balancer URL. If it is FAILED, call ecs_troubleshooting_tool with action "
       "fetch_cloudformation_status (cfn_stack_name <app_name>-ecs-infrastructure) and then "
       "fetch_task_failures (ecs_cluster_name <app_name>-cluster).\n";
  t += switches_now(policy);
  return messages("Containerize and deploy an app to ECS", t);
}

Result<json> troubleshoot_service(const AccessPolicy& policy, const Arguments& args) {
  const std::string cluster = arg(args, "cluster"), service = arg(args, "service"),
                    symptoms = arg(args, "symptoms");
  json params{{"ecs_cluster_name", cluster}};
  if (!service.empty()) params["ecs_service_name"] = service;
  if (!symptoms.empty()) params["symptoms_description"] = symptoms;
  std::string t =
      "Find out why " +
      (service.empty() ? "workloads in ECS cluster " + literal(cluster)
                       : "ECS service " + literal(service) + " in cluster " + literal(cluster)) +
      (symptoms.empty() ? "" : " misbehave: " + symptoms) + ".\n";
  t += "1. Call ecs_troubleshooting_tool with action get_ecs_troubleshooting_guidance and "
       "parameters " +
       params.dump() + ".\n";
  t += "2. Follow the next steps its findings name: fetch_service_events and fetch_task_failures "
       "for a "
       "service that does not stabilise, fetch_task_logs for tasks that exit" +
       sensitive_note(policy) +
       ", detect_image_pull_failures for image errors, fetch_cloudformation_status for a failed "
       "stack.\n";
  t += "3. Tell the user the most likely cause with its evidence and the fix. Change nothing "
       "without their "
       "approval" +
       std::string(policy.allow_write ? "; ecs_resource_management can apply a fix they approve"
                                      : "; applying a fix needs ALLOW_WRITE=true, which is off") +
       ".\n";
  t += switches_now(policy);
  return messages("Diagnose a failing ECS service or tasks", t);
}

Result<json> app_unreachable(const AccessPolicy& policy, const Arguments& args) {
  const std::string cluster = arg(args, "cluster"), service = arg(args, "service"),
                    app = arg(args, "app_name");
  json params{{"ecs_cluster_name", cluster}};
  if (!service.empty()) params["ecs_service_name"] = service;
  std::string t = "The user cannot reach an application running on ECS";
  t += service.empty() ? " in cluster " + literal(cluster)
                       : " (service " + literal(service) + " in cluster " + literal(cluster) + ")";
  t += ". Find where the path breaks: load balancer, listener, target health, security groups, "
       "routes.\n";
  if (!app.empty()) {
    t += "0. Call get_deployment_status with app_name=" + literal(app) +
         " for the URL, targets and verdict.\n";
  }
  t += "1. Call ecs_troubleshooting_tool with action fetch_network_configuration and parameters " +
       params.dump() + sensitive_note(policy) + ".\n";
  t += "2. Call it with action fetch_service_events (same parameters) for target health and load "
       "balancer "
       "events, then get_ecs_troubleshooting_guidance if the tasks themselves are not running.\n";
  t += "3. Explain the break and the change that fixes it (for example the rule to add to which "
       "security "
       "group).\n";
  t += switches_now(policy);
  return messages("Find why an app on ECS cannot be reached", t);
}

Result<json> inspect_ecs(const AccessPolicy& policy, const Arguments& args) {
  const std::string cluster = arg(args, "cluster");
  std::string t =
      "Show the user their Amazon ECS resources with ecs_resource_management (reads only).\n";
  if (cluster.empty()) {
    t += "1. ListClusters, then DescribeClusters for them (api_params {\"clusters\": [...]}).\n";
  } else {
    t += "1. DescribeClusters with api_params {\"clusters\": [" + literal(cluster) + "]}.\n";
  }
  t += "2. ListServices and DescribeServices for each cluster of interest (at most 10 services a "
       "call).\n";
  t += "3. ListTasks with desiredStatus RUNNING, then DescribeTasks; DescribeTaskDefinition for "
       "the task "
       "definitions in use.\n";
  t += "Follow nextToken when a list says there is more. Summarise in a table: name, status, "
       "desired/"
       "running counts, task definition, launch type.";
  t += policy.allow_sensitive_data
           ? "\n"
           : " Environment values and secrets are redacted (ALLOW_SENSITIVE_DATA is off).\n";
  t += switches_now(policy);
  return messages("Inspect ECS clusters, services and tasks", t);
}

Result<json> cleanup_app(const AccessPolicy& policy, const Arguments& args) {
  const std::string app = arg(args, "app_name"), path = arg(args, "app_path");
  const StackNames names = stack_names_for(app);
  const std::string dir = path + "/" + kTemplatesDirectory + "/";
  std::string t = "Delete what create_ecs_infrastructure deployed for app " + literal(app) + ".\n";
  if (!policy.allow_write) {
    t += "Deleting needs ALLOW_WRITE=true, which is off: tell the user, and stop unless they "
         "restart the "
         "server with it.\n";
  }
  t += "1. Call delete_ecs_infrastructure with app_name=" + literal(app) +
       ", ecr_template_path=" + literal(dir + names.ecr + ".json") +
       " and ecs_template_path=" + literal(dir + names.ecs + ".json") +
       ". It returns a preview and a confirmation token (or asks the user directly).\n";
  t += "2. Show the user the preview: every stack and resource that will be deleted. Only after "
       "they "
       "confirm, call it again with the same arguments and confirmation_token.\n";
  t += "3. Call get_deployment_status with app_name=" + literal(app) +
       " to confirm it reports NOT_FOUND.\n";
  t += switches_now(policy);
  return messages("Delete an app's ECS infrastructure", t);
}

}  // namespace

std::vector<mcp::Prompt> make_prompts(const AccessPolicy& policy) {
  auto bind = [policy](Result<json> (*f)(const AccessPolicy&, const Arguments&)) {
    return [policy, f](const Arguments& args) { return f(policy, args); };
  };
  return {
      {"deploy_app",
       "Deploy an app to ECS",
       "Containerize an application and deploy it to ECS Fargate behind a load balancer, then "
       "report its URL",
       {{"app_path", "Absolute path of the application's directory", true},
        {"app_name", "Name for the app (lowercase letters, digits, hyphens)", false}},
       bind(deploy_app)},
      {"troubleshoot_service",
       "Troubleshoot an ECS service",
       "Diagnose failing tasks, a service that does not stabilise or failed deployments",
       {{"cluster", "ECS cluster name", true},
        {"service", "ECS service name", false},
        {"symptoms", "What the user sees, in their words", false}},
       bind(troubleshoot_service)},
      {"app_unreachable",
       "Why can't I reach my app?",
       "Find where the path from the load balancer to the tasks breaks",
       {{"cluster", "ECS cluster name", true},
        {"service", "ECS service name", false},
        {"app_name", "app_name given to create_ecs_infrastructure, if it deployed the app", false}},
       bind(app_unreachable)},
      {"inspect_ecs",
       "Inspect ECS resources",
       "List and describe clusters, services, tasks and task definitions",
       {{"cluster", "One cluster to look at; all when omitted", false}},
       bind(inspect_ecs)},
      {"cleanup_app",
       "Clean up an app",
       "Delete the stacks create_ecs_infrastructure made for an app, after a preview and the "
       "user's confirmation",
       {{"app_name", "app_name given to create_ecs_infrastructure", true},
        {"app_path", "Absolute path of the app (its cloudformation-templates/ holds the templates)",
         true}},
       bind(cleanup_app)},
  };
}

}  // namespace ecs_mcp::ecs
