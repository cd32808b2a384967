// get_ecs_troubleshooting_guidance: one call that surveys a cluster (or one service) and
// ends with ranked findings: cluster state, every service (all pages) with rollout state and
// desired/running/pending counts, recent failed deployments, the CloudFormation stack behind
// each service, load balancer target health, and ECR images that do not exist. The symptoms
// description picks which deeper actions to suggest next.
#include "ecs/troubleshooting/guidance.h"

#include <cctype>
#include <set>

#include "common/json_fields.h"
#include "common/strings.h"
#include "ecs/response_shaping.h"
#include "ecs/troubleshooting/action.h"
#include "ecs/troubleshooting/ecs_reads.h"
#include "ecs/troubleshooting/image_pull_check.h"
#include "ecs/troubleshooting/service_health.h"
#include "ecs/troubleshooting/target_health_reasons.h"

namespace ecs_mcp::ecs::troubleshooting {

namespace {

std::string tag(const json& service, const std::string& key) {
  for (const auto& t : service.value("tags", json::array())) {
    if (string_field(t, "key") == key) return string_field(t, "value");
  }
  return "";
}

constexpr size_t kMaxServicesDeepChecked = 20;

}  // namespace

json suggest_actions(const std::string& symptoms) {
  const std::string s = ascii_lower(symptoms);
  auto has = [&](std::initializer_list<const char*> words) {
    for (const char* w : words) {
      if (s.find(w) != std::string::npos) return true;
    }
    return false;
  };
  json out = json::array();
  auto add = [&](const char* action, const char* why) {
    for (const auto& e : out) {
      if (e["action"] == action) return;
    }
    out.push_back({{"action", action}, {"why", why}});
  };
  if (has({"health", "unhealthy", "target", "alb", "load balancer", "502", "503", "504"})) {
    add("fetch_service_events", "target health reason codes and health-check settings");
    add("fetch_network_configuration", "whether the load balancer can reach the container port");
  }
  if (has({"reach", "connect", "timeout", "timed out", "refused", "access", "network", "dns",
           "url"})) {
    add("fetch_network_configuration",
        "security-group path, routes, public IPs and the load balancer");
    add("fetch_service_events", "whether the load balancer has healthy targets");
  }
  if (has({"fail", "crash", "stop", "restart", "exit", "keep", "dying", "die", "oom", "memory"})) {
    add("fetch_task_failures", "why tasks stop (exit codes, stop codes, reasons)");
    add("fetch_task_logs", "the application's own error lines");
  }
  if (has({"image", "pull", "ecr", "registry", "manifest"})) {
    add("detect_image_pull_failures", "whether images exist and can be pulled");
  }
  if (has({"stack", "cloudformation", "deploy", "rollback", "template", "create"})) {
    add("fetch_cloudformation_status", "the stack's root-cause failure event");
  }
  if (has({"log", "error", "exception"})) add("fetch_task_logs", "error lines summarised");
  if (has({"pending", "placement", "capacity", "start"})) {
    add("fetch_service_events", "placement failures and deployment state");
  }
  if (out.empty()) {
    add("fetch_task_failures", "why tasks stop");
    add("fetch_service_events", "deployments, events and target health");
  }
  return out;
}

Result<ActionReport> run_guidance(const ActionRequest& request) {
  ECS_MCP_RETURN_IF_ERROR(request.require({"ecs_cluster_name"}));
  const std::string cluster = request.text("ecs_cluster_name");
  ActionReport report;
  request.progress(0, 4, "describing the cluster");
  auto clusters = request.aws.call(AwsService::kEcs, "DescribeClusters",
                                   {{"clusters", {cluster}}, {"include", {"STATISTICS"}}});
  if (!clusters.ok()) return clusters.error();
  const json found = clusters->value("clusters", json::array());
  if (found.empty() || string_field(found[0], "status") == "INACTIVE") {
    std::vector<std::string> evidence;
    for (const auto& f : clusters->value("failures", json::array())) {
      evidence.push_back(string_field(f, "arn") + ": " + string_field(f, "reason"));
    }
    if (!found.empty()) evidence.push_back("status: INACTIVE");
    report.findings.push_back(
        {Severity::kCritical, "cluster_not_found",
         "Cluster " + cluster + " does not exist (or was deleted) in " + request.aws.region() + ".",
         evidence,
         "Check the name with ecs_resource_management ListClusters and the "
         "server's region (AWS_REGION).",
         1});
    report.data = {{"cluster", {{"name", cluster}, {"exists", false}}}};
    return report;
  }
  const json& c = found[0];
  json cluster_view{
      {"name", string_field(c, "clusterName")},
      {"status", string_field(c, "status")},
      {"runningTasksCount", c.value("runningTasksCount", 0)},
      {"pendingTasksCount", c.value("pendingTasksCount", 0)},
      {"activeServicesCount", c.value("activeServicesCount", 0)},
      {"registeredContainerInstancesCount", c.value("registeredContainerInstancesCount", 0)},
      {"capacityProviders", c.value("capacityProviders", json::array())}};

  request.progress(1, 4, "describing services");
  json services;
  if (!request.text("ecs_service_name").empty()) {
    auto s = describe_service(request.aws, cluster, request.text("ecs_service_name"));
    if (!s.ok()) return s.error();
    services = json::array({*s});
  } else {
    auto s = describe_all_services(request.aws, cluster);
    if (!s.ok()) return s.error();
    services = std::move(*s);
  }
  if (services.empty()) {
    report.findings.push_back({Severity::kInfo,
                               "no_services",
                               "Cluster " + cluster + " has no services.",
                               {},
                               "For standalone tasks run fetch_task_failures.",
                               1});
  }

  request.progress(2, 4, "checking services, stacks, targets and images");
  json service_views = json::array();
  json stacks = json::object();
  std::set<std::string> images_checked;
  size_t deep = 0;
  for (const auto& s : services) {
    if (request.aws.cancelled()) return make_error(ErrorCode::kCancelled, "the call was cancelled");
    const std::string name = string_field(s, "serviceName");
    json events = json::array();
    for (const auto& e : s.value("events", json::array())) {
      double t = epoch_seconds(e.value("createdAt", json()));
      if (t == 0 || request.window.contains(t)) events.push_back(e);
    }
    auto f = diagnose_service_state(s, events);
    for (auto& x : f) {
      if (x.cause.find(name) == std::string::npos) x.cause = "[" + name + "] " + x.cause;
    }
    report.findings.insert(report.findings.end(), f.begin(), f.end());
    json view = service_summary(s);
    view.erase("networkConfiguration");
    view.erase("deploymentConfiguration");
    json recent = json::array();
    for (const auto& e : events) {
      if (recent.size() >= 3) break;
      recent.push_back(e);
    }
    view["recent_events"] = std::move(recent);

    // The stack behind the service.
    const std::string stack = tag(s, "aws:cloudformation:stack-name");
    if (!stack.empty()) {
      view["cloudformation_stack"] = stack;
      if (!stacks.contains(stack)) {
        auto d =
            request.aws.call(AwsService::kCloudFormation, "DescribeStacks", {{"StackName", stack}});
        if (d.ok() && !d->value("Stacks", json::array()).empty()) {
          const json& st = (*d)["Stacks"][0];
          const std::string status = string_field(st, "StackStatus");
          stacks[stack] = {{"status", status}, {"reason", string_field(st, "StackStatusReason")}};
          if (status.find("FAILED") != std::string::npos ||
              status.find("ROLLBACK") != std::string::npos) {
            report.findings.push_back(
                {Severity::kError,
                 "cloudformation_status",
                 "Stack " + stack + " behind service " + name + " is " + status + ".",
                 {"StackStatus: " + status, string_field(st, "StackStatusReason")},
                 "Run fetch_cloudformation_status with cfn_stack_name=" + stack +
                     " for the root cause.",
                 1});
          }
        } else {
          stacks[stack] = {{"status", "unknown"}, {"reason", d.ok() ? "" : d.error().message}};
        }
      }
    }

    if (deep++ < kMaxServicesDeepChecked) {
      // Target health.
      auto tgs = target_groups_of(request.aws, s);
      if (tgs.ok()) {
        json lbs = json::array();
        for (const auto& tg : *tgs) {
          json h = describe_target_group_health(tg.target_group, tg.health);
          size_t healthy = 0;
          for (const auto& t : h["targets"]) healthy += t["state"] == "healthy";
          lbs.push_back({{"target_group", h["target_group_name"]},
                         {"healthy", healthy},
                         {"targets", h["targets"].size()}});
          auto tf = diagnose_target_group(tg.target_group, tg.health, tg.container_port);
          report.findings.insert(report.findings.end(), tf.begin(), tf.end());
        }
        view["target_health"] = std::move(lbs);
      } else {
        view["target_health_error"] = tgs.error().message;
      }
      // Images of the primary deployment that do not exist.
      std::string td_arn = string_field(s, "taskDefinition");
      for (const auto& d : s.value("deployments", json::array())) {
        if (string_field(d, "status") == "PRIMARY") td_arn = string_field(d, "taskDefinition");
      }
      if (!td_arn.empty()) {
        auto td = describe_task_definition(request.aws, td_arn);
        if (td.ok()) {
          json missing = json::array();
          for (const auto& cd : td->value("containerDefinitions", json::array())) {
            ImageReference ref = parse_image_reference(string_field(cd, "image"));
            if (!ref.is_ecr || !images_checked.insert(ref.original).second) continue;
            std::string status;
            auto f = check_ecr_image(request.aws, ref, status);
            if (f && f->severity != Severity::kInfo) {
              f->cause = "[" + name + "] " + f->cause;
              report.findings.push_back(std::move(*f));
              missing.push_back(ref.original);
            }
          }
          if (!missing.empty()) view["missing_images"] = std::move(missing);
        }
      }
    }
    service_views.push_back(std::move(view));
  }
  if (services.size() > kMaxServicesDeepChecked) {
    report.findings.push_back({Severity::kInfo,
                               "survey_capped",
                               "Target health and images were checked for the first " +
                                   std::to_string(kMaxServicesDeepChecked) + " of " +
                                   std::to_string(services.size()) + " services.",
                               {},
                               "Pass ecs_service_name to check one service in depth.",
                               1});
  }
  request.progress(3, 4, "ranking");
  bool problem = false;
  for (const auto& f : report.findings) problem = problem || f.severity <= Severity::kWarning;
  if (!problem && !services.empty()) {
    report.findings.push_back({Severity::kInfo,
                               "cluster_healthy",
                               "Every service in " + cluster +
                                   " runs its desired tasks with no "
                                   "failed deployments, unhealthy targets or missing images.",
                               {},
                               "If users still see a problem, describe it in "
                               "symptoms_description or run fetch_task_logs.",
                               1});
  }
  report.data = {{"cluster", std::move(cluster_view)},
                 {"services_total", services.size()},
                 {"services", std::move(service_views)},
                 {"cloudformation_stacks", std::move(stacks)},
                 {"suggested_actions", suggest_actions(request.text("symptoms_description"))}};
  format_timestamps(report.data);
  return report;
}

}  // namespace ecs_mcp::ecs::troubleshooting
