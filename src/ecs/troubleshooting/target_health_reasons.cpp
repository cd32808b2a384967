#include "ecs/troubleshooting/target_health_reasons.h"

#include <map>

namespace ecs_mcp::ecs::troubleshooting {

using nlohmann::json;

namespace {

std::string str(const json& v, const char* key) {
  auto it = v.find(key);
  if (it == v.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return "";
}

int integer(const json& v, const char* key) {
  auto it = v.find(key);
  if (it == v.end()) return 0;
  if (it->is_number_integer()) return it->get<int>();
  if (it->is_string()) {
    try {
      return std::stoi(it->get<std::string>());
    } catch (...) {
      return 0;
    }
  }
  return 0;
}

}  // namespace

TargetHealthReason explain_target_health_reason(const std::string& code) {
  static const std::map<std::string, TargetHealthReason> reasons{
      {"Elb.RegistrationInProgress",
       {"The target is being registered with the load balancer.",
        "Wait for registration to finish.", Severity::kInfo}},
      {"Elb.InitialHealthChecking",
       {"The load balancer is still sending the first health checks.",
        "Wait for the healthy threshold; if tasks are replaced before they pass, raise the "
        "service's healthCheckGracePeriodSeconds.",
        Severity::kInfo}},
      {"Elb.InternalError",
       {"Health checks failed because of an internal load balancer error.",
        "Retry; contact AWS support if it persists.", Severity::kWarning}},
      {"Target.ResponseCodeMismatch",
       {"The health check reached the container but its answer's HTTP status is not in the "
        "target group's success codes (matcher).",
        "Point the health check path at a route that returns a success code (often 200), or "
        "widen the matcher (e.g. 200-399) if redirects or 401s are expected.",
        Severity::kError}},
      {"Target.Timeout",
       {"The health check request timed out: nothing answered on the container port in time.",
        "Let the load balancer's security group reach the task's security group on the "
        "container port, make the application listen on 0.0.0.0 (not 127.0.0.1) on that port, "
        "and make the health route fast (or raise HealthCheckTimeoutSeconds).",
        Severity::kError}},
      {"Target.FailedHealthChecks",
       {"The load balancer could not connect to the target or got errors from it (connection "
        "refused or reset: the application is not listening, or is crashing).",
        "Check that the container listens on the registered port and stays up (fetch_task_logs, "
        "fetch_task_failures).",
        Severity::kError}},
      {"Target.NotRegistered",
       {"The target is not registered with the target group.",
        "Check the service's loadBalancers configuration.", Severity::kWarning}},
      {"Target.NotInUse",
       {"The target group is not used by any load balancer, or the target is in an "
        "Availability Zone the load balancer is not enabled for.",
        "Attach the target group to a listener rule, or enable the load balancer in the task's "
        "Availability Zones/subnets.",
        Severity::kError}},
      {"Target.DeregistrationInProgress",
       {"The target is being deregistered (connection draining).",
        "Nothing to fix; lower the deregistration delay to speed up deployments.",
        Severity::kInfo}},
      {"Target.InvalidState",
       {"The target is stopped or terminated.", "Check why the task stopped (fetch_task_failures).",
        Severity::kWarning}},
      {"Target.IpUnusable",
       {"The target's IP address cannot be used (it belongs to the load balancer itself).",
        "Register a different IP.", Severity::kError}},
      {"Target.HealthCheckDisabled",
       {"Health checks are disabled for the target group.",
        "Enable health checks so failing tasks are detected.", Severity::kWarning}},
  };
  if (auto it = reasons.find(code); it != reasons.end()) return it->second;
  return {"The load balancer reported reason code " + code + ".",
          "See the target's Description for details.", Severity::kWarning};
}

json describe_target_group_health(const json& tg, const json& health) {
  json targets = json::array();
  for (const auto& d : health) {
    const json th = d.value("TargetHealth", json::object());
    json t{{"id", str(d.value("Target", json::object()), "Id")},
           {"port", integer(d.value("Target", json::object()), "Port")},
           {"state", str(th, "State")}};
    if (auto reason = str(th, "Reason"); !reason.empty()) {
      t["reason"] = reason;
      t["meaning"] = explain_target_health_reason(reason).meaning;
    }
    if (auto desc = str(th, "Description"); !desc.empty()) t["description"] = desc;
    targets.push_back(std::move(t));
  }
  json matcher = tg.value("Matcher", json::object());
  return json{{"target_group_arn", str(tg, "TargetGroupArn")},
              {"target_group_name", str(tg, "TargetGroupName")},
              {"target_type", str(tg, "TargetType")},
              {"protocol", str(tg, "Protocol")},
              {"port", integer(tg, "Port")},
              {"health_check",
               {{"protocol", str(tg, "HealthCheckProtocol")},
                {"port", str(tg, "HealthCheckPort")},
                {"path", str(tg, "HealthCheckPath")},
                {"matcher", str(matcher, "HttpCode").empty() ? str(matcher, "GrpcCode")
                                                             : str(matcher, "HttpCode")},
                {"interval_seconds", integer(tg, "HealthCheckIntervalSeconds")},
                {"timeout_seconds", integer(tg, "HealthCheckTimeoutSeconds")},
                {"healthy_threshold", integer(tg, "HealthyThresholdCount")},
                {"unhealthy_threshold", integer(tg, "UnhealthyThresholdCount")}}},
              {"load_balancer_arns", tg.value("LoadBalancerArns", json::array())},
              {"targets", std::move(targets)}};
}

std::vector<Finding> diagnose_target_group(const json& tg, const json& health, int container_port) {
  std::vector<Finding> out;
  const std::string name = str(tg, "TargetGroupName");
  const std::string type = str(tg, "TargetType");
  const std::string hc_port = str(tg, "HealthCheckPort");
  const std::string hc_path = str(tg, "HealthCheckPath");
  const std::string matcher = str(tg.value("Matcher", json::object()), "HttpCode");

  if (!hc_port.empty() && hc_port != "traffic-port") {
    int port = 0;
    try {
      port = std::stoi(hc_port);
    } catch (...) {
    }
    if (type == "ip" && container_port > 0 && port != container_port) {
      out.push_back(
          {Severity::kCritical,
           "health_check_port",
           "Target group " + name + " health-checks port " + hc_port +
               ", but its ip targets are tasks listening on container port " +
               std::to_string(container_port) + ".",
           {"HealthCheckPort: " + hc_port, "TargetType: ip",
            "service containerPort: " + std::to_string(container_port)},
           "Set the health check port to traffic-port (or " + std::to_string(container_port) + ").",
           1});
    } else if (type == "instance") {
      out.push_back(
          {Severity::kWarning,
           "health_check_port",
           "Target group " + name + " health-checks fixed port " + hc_port +
               "; with dynamic host ports (bridge mode, hostPort 0) each task listens "
               "on a different port.",
           {"HealthCheckPort: " + hc_port, "TargetType: instance"},
           "Use traffic-port unless every instance really serves health on " + hc_port + ".",
           1});
    }
  }
  if (tg.contains("LoadBalancerArns") && tg["LoadBalancerArns"].is_array() &&
      tg["LoadBalancerArns"].empty()) {
    out.push_back({Severity::kCritical,
                   "target_group_unattached",
                   "Target group " + name +
                       " is not attached to any load balancer listener, so "
                       "no traffic (and no health check) reaches the tasks.",
                   {"LoadBalancerArns: []"},
                   "Add a listener or listener rule forwarding to the target group.",
                   1});
  }

  // Unhealthy targets grouped by reason code.
  std::map<std::string, std::vector<const json*>> by_reason;
  size_t total = 0, healthy = 0;
  for (const auto& d : health) {
    ++total;
    const json th = d.value("TargetHealth", json::object());
    const std::string state = str(th, "State");
    if (state == "healthy") {
      ++healthy;
      continue;
    }
    std::string reason = str(th, "Reason");
    if (reason.empty()) reason = state.empty() ? "unknown" : state;
    by_reason[reason].push_back(&d);
  }
  for (const auto& [reason, targets] : by_reason) {
    TargetHealthReason r = explain_target_health_reason(reason);
    Severity severity = r.severity;
    if (severity == Severity::kError && healthy == 0) severity = Severity::kCritical;
    std::vector<std::string> evidence;
    for (const json* d : targets) {
      const json target = d->value("Target", json::object());
      const json th = d->value("TargetHealth", json::object());
      std::string line = str(target, "Id") + ":" + std::to_string(integer(target, "Port")) + " " +
                         str(th, "State") + " (" + reason + ")";
      if (auto desc = str(th, "Description"); !desc.empty()) line += ": " + desc;
      evidence.push_back(std::move(line));
      if (evidence.size() >= 5) break;
    }
    std::string cause = std::to_string(targets.size()) + " of " + std::to_string(total) +
                        " target(s) in " + name + " are not healthy (" + reason + "): " + r.meaning;
    std::string next = r.next_step;
    if (reason == "Target.ResponseCodeMismatch") {
      evidence.push_back("HealthCheckPath: " + hc_path + ", Matcher: " + matcher);
      next = "The health check GETs " + (hc_path.empty() ? std::string("/") : hc_path) +
             " and accepts " + (matcher.empty() ? std::string("200") : matcher) + ". " + next;
    }
    out.push_back({severity, "target_health", std::move(cause), std::move(evidence),
                   std::move(next), targets.size()});
  }
  if (total == 0 && !(tg.contains("LoadBalancerArns") && tg["LoadBalancerArns"].empty())) {
    out.push_back({Severity::kWarning,
                   "target_health",
                   "Target group " + name +
                       " has no registered targets: no task is running or "
                       "the service is not registering its tasks.",
                   {"DescribeTargetHealth: no targets"},
                   "Check the service's running count and its tasks' failures "
                   "(fetch_task_failures).",
                   1});
  }
  return out;
}

}  // namespace ecs_mcp::ecs::troubleshooting
