// Log events summarised for an assistant: counts by severity, the most frequent error lines
// (numbers and IDs folded so repeats group together), and where the logs live according to
// the task definition's awslogs configuration (never a guessed name).
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ecs_mcp::ecs::troubleshooting {

// ERROR, WARN, INFO, DEBUG or UNKNOWN, from the words and level fields in a log line.
std::string log_severity(const std::string& message);
// The line with numbers, hex IDs and UUIDs replaced so repeats of one error group together.
std::string normalize_log_line(const std::string& message);

// `events` are FilterLogEvents events ({timestamp, message, logStreamName}).
// {"total", "by_severity": {...}, "top_errors": [{"line", "count", "example"}]}.
nlohmann::json summarize_log_events(const nlohmann::json& events, size_t top_n);

// Where one container's logs go: from logConfiguration with logDriver awslogs.
struct AwsLogsTarget {
  std::string container;
  std::string group;
  std::string region;         // empty: the task's region
  std::string stream_prefix;  // empty: streams are named by ECS without a prefix
};

// Every awslogs destination in a task definition (DescribeTaskDefinition's taskDefinition);
// `other_drivers` receives "container: driver" for containers logging elsewhere.
std::vector<AwsLogsTarget> awslogs_targets(const nlohmann::json& task_definition,
                                           std::vector<std::string>* other_drivers = nullptr);

// The stream ECS writes a task's container logs to: prefix/container/task-id.
std::string awslogs_stream_name(const AwsLogsTarget& target, const std::string& task_id);

}  // namespace ecs_mcp::ecs::troubleshooting
