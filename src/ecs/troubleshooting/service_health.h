// What a service's own record says about its health: its deployments' rollout states
// (failed rollouts and circuit-breaker rollbacks), running versus desired tasks, and the
// messages of its events (placement failures, unhealthy targets, failed launches).
// Shared by fetch_service_events and the guidance survey.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "ecs/troubleshooting/findings.h"

namespace ecs_mcp::ecs::troubleshooting {

// `service` is a DescribeServices element; `events` the events to consider (newest first).
std::vector<Finding> diagnose_service_state(const nlohmann::json& service,
                                            const nlohmann::json& events);

// The fields of a service that matter when troubleshooting, deployments included.
nlohmann::json service_summary(const nlohmann::json& service);

}  // namespace ecs_mcp::ecs::troubleshooting
