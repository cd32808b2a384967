// Load balancer target health: the reason codes of DescribeTargetHealth in plain words, and
// the checks of a target group's health check that are right for its target type.
//
// For `ip` targets (awsvpc tasks) the load balancer connects to the task's own address on
// the container port; a fixed health-check port different from it probes a port nothing
// listens on. For `instance` targets with dynamic host ports the same holds for any fixed
// port. "traffic-port" is always right.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ecs/troubleshooting/findings.h"

namespace ecs_mcp::ecs::troubleshooting {

struct TargetHealthReason {
  std::string meaning;
  std::string next_step;
  Severity severity = Severity::kInfo;
};

// What ELB's reason code (Target.Timeout, Elb.InitialHealthChecking, ...) means; unknown codes
// get a generic explanation.
TargetHealthReason explain_target_health_reason(const std::string& code);

// Findings for one target group: `target_group` is an element of DescribeTargetGroups'
// TargetGroups, `health` the TargetHealthDescriptions of DescribeTargetHealth, and
// `container_port` the port the ECS service registers (0 when unknown).
std::vector<Finding> diagnose_target_group(const nlohmann::json& target_group,
                                           const nlohmann::json& health, int container_port);

// The target group's health check settings, with the reason codes of its targets explained.
nlohmann::json describe_target_group_health(const nlohmann::json& target_group,
                                            const nlohmann::json& health);

}  // namespace ecs_mcp::ecs::troubleshooting
