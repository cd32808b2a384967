#include "ecs/troubleshooting/service_health.h"

#include <cctype>
#include <map>

#include "common/json_fields.h"
#include "common/strings.h"
#include "ecs/troubleshooting/log_summary.h"

namespace ecs_mcp::ecs::troubleshooting {

using nlohmann::json;

namespace {

int integer(const json& v, const char* key) {
  auto it = v.find(key);
  return it != v.end() && it->is_number_integer() ? it->get<int>() : 0;
}

bool has(const std::string& s, const char* w) { return s.find(w) != std::string::npos; }

struct EventClass {
  const char* category;
  Severity severity;
  const char* cause;
  const char* next_step;
};

std::optional<EventClass> classify_event(const std::string& message) {
  const std::string m = ascii_lower(message);
  if (has(m, "circuit breaker") || has(m, "rolling back") || has(m, "rolled back")) {
    return EventClass{"deployment_rollback", Severity::kCritical,
                      "The deployment circuit breaker stopped a failing deployment and rolled "
                      "the service back.",
                      "Find why the new tasks failed (fetch_task_failures, fetch_task_logs), fix "
                      "the task definition and deploy again."};
  }
  if (has(m, "deployment failed")) {
    return EventClass{"deployment_failed", Severity::kCritical,
                      "A deployment of the service failed.",
                      "Find why its tasks failed to start or stay healthy (fetch_task_failures)."};
  }
  if (has(m, "unable to place a task") || has(m, "no container instance met")) {
    return EventClass{"placement_failed", Severity::kCritical,
                      "ECS could not place tasks: no capacity met the task's requirements (CPU, "
                      "memory, ports, attributes or placement constraints).",
                      "Add capacity (instances or a capacity provider with managed scaling), "
                      "lower the task's CPU/memory, or relax placement constraints."};
  }
  if (has(m, "is unhealthy in") || has(m, "health checks failed")) {
    return EventClass{"target_unhealthy", Severity::kError,
                      "The load balancer reports the service's tasks unhealthy.",
                      "See the target health reason codes below; check the health check path, "
                      "port and the security group path."};
  }
  if (has(m, "failed to launch a task") || has(m, "was unable to") || has(m, "failed to start") ||
      has(m, "error")) {
    return EventClass{"launch_failed", Severity::kError,
                      "ECS failed to launch tasks for the service.",
                      "Read the event message; run fetch_task_failures and "
                      "detect_image_pull_failures."};
  }
  if (has(m, "reached a steady state")) {
    return EventClass{"steady_state", Severity::kInfo, "The service reached a steady state.",
                      "Nothing to fix."};
  }
  return std::nullopt;
}

}  // namespace

json service_summary(const json& s) {
  json deployments = json::array();
  for (const auto& d : s.value("deployments", json::array())) {
    json e{{"id", string_field(d, "id")},
           {"status", string_field(d, "status")},
           {"taskDefinition", string_field(d, "taskDefinition")},
           {"desiredCount", integer(d, "desiredCount")},
           {"runningCount", integer(d, "runningCount")},
           {"pendingCount", integer(d, "pendingCount")},
           {"failedTasks", integer(d, "failedTasks")}};
    for (const char* k : {"rolloutState", "rolloutStateReason", "createdAt", "updatedAt"}) {
      if (d.contains(k)) e[k] = d[k];
    }
    deployments.push_back(std::move(e));
  }
  json out{{"serviceName", string_field(s, "serviceName")},
           {"status", string_field(s, "status")},
           {"desiredCount", integer(s, "desiredCount")},
           {"runningCount", integer(s, "runningCount")},
           {"pendingCount", integer(s, "pendingCount")},
           {"taskDefinition", string_field(s, "taskDefinition")},
           {"deployments", std::move(deployments)}};
  for (const char* k :
       {"launchType", "capacityProviderStrategy", "loadBalancers", "networkConfiguration",
        "healthCheckGracePeriodSeconds", "deploymentConfiguration"}) {
    if (s.contains(k)) out[k] = s[k];
  }
  return out;
}

std::vector<Finding> diagnose_service_state(const json& s, const json& events) {
  std::vector<Finding> out;
  const std::string name = string_field(s, "serviceName");
  const int desired = integer(s, "desiredCount");
  const int running = integer(s, "runningCount");
  const int pending = integer(s, "pendingCount");

  for (const auto& d : s.value("deployments", json::array())) {
    const std::string state = string_field(d, "rolloutState");
    const std::string reason = string_field(d, "rolloutStateReason");
    const int failed = integer(d, "failedTasks");
    std::vector<std::string> evidence{
        "deployment " + string_field(d, "id") + " (" + string_field(d, "status") + ", " +
        string_field(d, "taskDefinition") + "): rolloutState " +
        (state.empty() ? "unknown" : state) + (reason.empty() ? "" : ": " + reason)};
    if (failed > 0) evidence.push_back("failedTasks: " + std::to_string(failed));
    if (state == "FAILED") {
      bool rollback =
          has(ascii_lower(reason), "circuit breaker") || has(ascii_lower(reason), "roll");
      out.push_back({Severity::kCritical, rollback ? "deployment_rollback" : "deployment_failed",
                     "Deployment " + string_field(d, "id") + " of service " + name + " failed" +
                         (rollback ? " and was rolled back by the circuit breaker" : "") + ".",
                     evidence,
                     "Find why its tasks failed (fetch_task_failures, fetch_task_logs), fix the "
                     "task definition and deploy again.",
                     static_cast<size_t>(std::max(failed, 1))});
    } else if (state == "IN_PROGRESS" && failed > 0) {
      out.push_back({Severity::kError, "deployment_struggling",
                     "Deployment " + string_field(d, "id") + " of service " + name +
                         " is in progress but " + std::to_string(failed) +
                         " of its tasks have failed.",
                     evidence,
                     "Run fetch_task_failures to see why the new tasks stop; enable the "
                     "deployment circuit breaker with rollback so a bad deployment stops itself.",
                     static_cast<size_t>(failed)});
    }
  }
  if (string_field(s, "status") == "ACTIVE" && running < desired) {
    // A symptom, not a cause: ranked below the findings that explain it.
    out.push_back({running == 0 ? Severity::kError : Severity::kWarning,
                   "tasks_not_running",
                   "Service " + name + " runs " + std::to_string(running) + " of " +
                       std::to_string(desired) + " desired tasks (" + std::to_string(pending) +
                       " pending).",
                   {"desiredCount " + std::to_string(desired) + ", runningCount " +
                    std::to_string(running) + ", pendingCount " + std::to_string(pending)},
                   "Run fetch_task_failures for why tasks stop, and check the events below for "
                   "placement failures.",
                   static_cast<size_t>(desired - running)});
  }

  // Events, grouped by class; the newest occurrence's message is the first evidence.
  std::map<std::string, Finding> by_class;
  std::vector<std::string> order;
  bool steady_latest = false;
  bool first = true;
  for (const auto& e : events) {
    const std::string message = string_field(e, "message");
    auto c = classify_event(message);
    if (first) steady_latest = c && std::string(c->category) == "steady_state";
    first = false;
    if (!c) continue;
    auto [it, inserted] = by_class.try_emplace(c->category);
    if (inserted) {
      order.push_back(c->category);
      it->second = {c->severity, c->category, c->cause, {}, c->next_step, 0};
    }
    ++it->second.occurrences;
    if (it->second.evidence.size() < 3) it->second.evidence.push_back(message);
  }
  for (const auto& key : order) {
    Finding f = by_class[key];
    if (key == "steady_state") {
      if (!steady_latest) continue;  // an old steady state says nothing about now
      f.cause = "Service " + name + " reached a steady state (its latest event).";
    } else if (steady_latest && f.severity != Severity::kInfo) {
      f.severity = Severity::kWarning;  // recovered since
      f.cause += " (the service has since reached a steady state)";
    }
    if (f.occurrences > 1) f.cause += " [" + std::to_string(f.occurrences) + " events]";
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace ecs_mcp::ecs::troubleshooting
