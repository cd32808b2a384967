// The guidance survey's choice of next actions from a free-text symptom description
// ("the ALB health check is failing" -> fetch_service_events, fetch_network_configuration).
//
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace ecs_mcp::ecs::troubleshooting {

// [{"action", "why"}], most relevant first; never empty.
nlohmann::json suggest_actions(const std::string& symptoms);

}  // namespace ecs_mcp::ecs::troubleshooting
