// fetch_service_events: a service's events in the window, its deployments and rollout state
// (circuit-breaker rollbacks included), and the health of its load balancer targets with
// the reason codes explained.
#include <map>

#include "ecs/response_shaping.h"
#include "ecs/troubleshooting/action.h"
#include "ecs/troubleshooting/ecs_reads.h"
#include "ecs/troubleshooting/log_summary.h"
#include "ecs/troubleshooting/service_health.h"
#include "ecs/troubleshooting/target_health_reasons.h"

namespace ecs_mcp::ecs::troubleshooting {

Result<ActionReport> run_service_events(const ActionRequest& request) {
  ECS_MCP_RETURN_IF_ERROR(request.require({"ecs_cluster_name", "ecs_service_name"}));
  const std::string cluster = request.text("ecs_cluster_name");
  request.progress(0, 2, "describing the service");
  auto service = describe_service(request.aws, cluster, request.text("ecs_service_name"));
  if (!service.ok()) return service.error();

  ActionReport report;
  json events = json::array();
  json in_window = json::array();
  for (const auto& e : service->value("events", json::array())) {
    double t = epoch_seconds(e.value("createdAt", json()));
    if (t != 0 && !request.window.contains(t)) continue;
    in_window.push_back(e);
    if (events.size() < request.limit) events.push_back(e);
  }
  auto findings = diagnose_service_state(*service, in_window);
  report.findings.insert(report.findings.end(), findings.begin(), findings.end());

  request.progress(1, 2, "reading target health");
  json load_balancers = json::array();
  auto tgs = target_groups_of(request.aws, *service);
  if (!tgs.ok()) {
    report.findings.push_back({Severity::kWarning,
                               "target_health_unavailable",
                               "Target health could not be read.",
                               {tgs.error().message},
                               "Check that the credentials allow "
                               "elasticloadbalancing:DescribeTargetGroups/DescribeTargetHealth.",
                               1});
  } else {
    for (const auto& tg : *tgs) {
      load_balancers.push_back(describe_target_group_health(tg.target_group, tg.health));
      auto f = diagnose_target_group(tg.target_group, tg.health, tg.container_port);
      report.findings.insert(report.findings.end(), f.begin(), f.end());
    }
  }
  report.data = {{"cluster", cluster},
                 {"service", service_summary(*service)},
                 {"events_in_window", in_window.size()},
                 {"events", std::move(events)},
                 {"load_balancers", std::move(load_balancers)}};
  format_timestamps(report.data);
  return report;
}

}  // namespace ecs_mcp::ecs::troubleshooting
