// Shaping AWS responses for an assistant: readable timestamps and a size budget so one answer
// cannot flood the context. (Secrets are masked later, in one place, for every answer: see
// redaction.h.)
//
// These are used by every tool that returns AWS data, so a task definition looks the same
// whichever tool shows it.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

namespace ecs_mcp::ecs {

// Replaces epoch-second numbers under the timestamp members of the ECS and ECR models
// (createdAt, stoppedAt, imagePushedAt, lastRecordedPullTime, ...) with ISO-8601 UTC strings.
void format_timestamps(nlohmann::json& value);
std::string iso8601_from_epoch(double seconds);
bool is_timestamp_member(const std::string& name);

// Keeps the serialized size of `value` under `budget_bytes` by cutting its longest arrays
// (from the end) and marking what was cut. Returns true when anything was cut; the marker
// `_truncated` at the top level says what and how to ask for the rest.
bool enforce_budget(nlohmann::json& value, size_t budget_bytes, const std::string& how_to_get_more);

}  // namespace ecs_mcp::ecs
