// fetch_task_logs: the logs of a task, service or family, found where the task definitions'
// awslogs configuration says they are (group, stream prefix, region), read with
// FilterLogEvents (filter_pattern passed through), and summarised: counts by severity and
// the most frequent error lines, plus the latest lines up to the limit.
#include <algorithm>
#include <set>

#include "ecs/response_shaping.h"
#include "ecs/troubleshooting/action.h"
#include "ecs/troubleshooting/ecs_reads.h"
#include "ecs/troubleshooting/log_summary.h"

namespace ecs_mcp::ecs::troubleshooting {

namespace {

constexpr size_t kMaxEventsScanned = 2000;

std::vector<std::string> task_ids_for(const ActionRequest& request) {
  std::vector<std::string> ids;
  if (!request.text("ecs_task_id").empty()) {
    ids.push_back(arn_tail(request.text("ecs_task_id")));
    return ids;
  }
  if (request.text("ecs_service_name").empty()) return ids;
  for (const char* status : {"RUNNING", "STOPPED"}) {
    auto arns = request.aws.all_pages(AwsService::kEcs, "ListTasks",
                                      {{"cluster", request.text("ecs_cluster_name")},
                                       {"serviceName", request.text("ecs_service_name")},
                                       {"desiredStatus", status}},
                                      request.limit);
    if (!arns.ok()) continue;
    for (const auto& a : arns->value("taskArns", json::array())) {
      if (ids.size() < 100) ids.push_back(arn_tail(a.get<std::string>()));
    }
  }
  return ids;
}

}  // namespace

Result<ActionReport> run_task_logs(const ActionRequest& request) {
  if (auto st = request.require_one_of({"ecs_task_id", "ecs_service_name", "family_prefix"});
      !st.ok()) {
    return st.error();
  }
  request.progress(0, 3, "reading task definitions");
  ECS_MCP_ASSIGN_OR_RETURN(auto tds, task_definitions_for(request));
  const std::vector<std::string> task_ids = task_ids_for(request);
  const std::string pattern = request.text("filter_pattern");

  ActionReport report;
  json targets = json::array();
  json all_events = json::array();
  std::set<std::string> done_targets;
  request.progress(1, 3, "reading log events");
  for (const auto& source : tds) {
    std::vector<std::string> others;
    auto log_targets = awslogs_targets(source.task_definition, &others);
    for (const auto& o : others) {
      report.findings.push_back({Severity::kInfo,
                                 "not_awslogs",
                                 "Container " + o + " (" + source.why +
                                     ") does not log to CloudWatch Logs with awslogs, so its logs "
                                     "cannot be read here.",
                                 {o},
                                 "Configure the awslogs log driver to read logs with this tool.",
                                 1});
    }
    for (const auto& t : log_targets) {
      if (!done_targets.insert(t.group + "|" + t.stream_prefix + "|" + t.container).second)
        continue;
      json entry{{"container", t.container},
                 {"log_group", t.group},
                 {"region", t.region.empty() ? request.aws.region() : t.region},
                 {"stream_prefix", t.stream_prefix},
                 {"task_definition", source.task_definition.value("taskDefinitionArn", "")}};
      // awslogs-region may differ from the server's region: read the logs where they are.
      const std::string log_region =
          !t.region.empty() && t.region != request.aws.region() ? t.region : std::string();
      if (!log_region.empty()) {
        report.findings.push_back(
            {Severity::kInfo,
             "logs_other_region",
             "Container " + t.container + " logs to " + t.group + " in " + t.region +
                 ", not in the server's region " + request.aws.region() + "; they were read there.",
             {"awslogs-region: " + t.region},
             "None: cross-region logging works, but keep it in mind when looking in the console.",
             1});
      }
      // Stream names: exact ones for known tasks, else whatever carries the prefix.
      json streams = json::array();
      if (!task_ids.empty()) {
        for (const auto& id : task_ids) streams.push_back(awslogs_stream_name(t, id));
      } else {
        json params{{"logGroupName", t.group}};
        if (!t.stream_prefix.empty()) {
          params["logStreamNamePrefix"] = t.stream_prefix + "/" + t.container + "/";
        }
        auto found =
            request.aws.all_pages(AwsService::kLogs, "DescribeLogStreams", params, 100, log_region);
        if (!found.ok()) {
          if (found.error().is_service_error("ResourceNotFoundException")) {
            report.findings.push_back(
                {Severity::kCritical,
                 "log_group_missing",
                 "Log group " + t.group + " (awslogs-group of container " + t.container +
                     ") does not exist: tasks fail at start with ResourceInitializationError.",
                 {found.error().describe()},
                 "Create the log group, or add awslogs-create-group=true and allow the execution "
                 "role logs:CreateLogGroup.",
                 1});
            entry["error"] = "log group does not exist";
            targets.push_back(std::move(entry));
            continue;
          }
          return found.error();
        }
        for (const auto& s : found->value("logStreams", json::array())) {
          if (streams.size() < 100) streams.push_back(s.value("logStreamName", ""));
        }
      }
      entry["streams_searched"] = streams.size();
      if (streams.empty()) {
        report.findings.push_back({Severity::kWarning,
                                   "no_log_streams",
                                   "No log streams for container " + t.container + " in " +
                                       t.group + ": its tasks never started or never wrote a line.",
                                   {"log group " + t.group + ", prefix " + t.stream_prefix},
                                   "Run fetch_task_failures: tasks that fail before the container "
                                   "starts (image pull, secrets) leave no logs.",
                                   1});
        targets.push_back(std::move(entry));
        continue;
      }
      json params{{"logGroupName", t.group},
                  {"logStreamNames", streams},
                  {"startTime", static_cast<int64_t>(request.window.start * 1000)},
                  {"endTime", static_cast<int64_t>(request.window.end * 1000)}};
      if (!pattern.empty()) params["filterPattern"] = pattern;
      auto events = request.aws.all_pages(AwsService::kLogs, "FilterLogEvents", params,
                                          kMaxEventsScanned, log_region);
      if (!events.ok()) {
        if (events.error().is_service_error("ResourceNotFoundException")) {
          report.findings.push_back({Severity::kCritical,
                                     "log_group_missing",
                                     "Log group " + t.group + " does not exist.",
                                     {events.error().describe()},
                                     "Create the log group or fix awslogs-group.",
                                     1});
          entry["error"] = "log group does not exist";
          targets.push_back(std::move(entry));
          continue;
        }
        return events.error();
      }
      size_t n = 0;
      for (auto& e : (*events)["events"]) {
        e["container"] = t.container;
        all_events.push_back(std::move(e));
        ++n;
      }
      entry["events"] = n;
      targets.push_back(std::move(entry));
    }
  }
  if (targets.empty() && report.findings.empty()) {
    report.findings.push_back({Severity::kWarning,
                               "no_awslogs",
                               "None of the task definitions' containers logs with awslogs.",
                               {},
                               "Configure the awslogs log driver.",
                               1});
  }

  request.progress(2, 3, "summarising");
  std::stable_sort(all_events.begin(), all_events.end(), [](const json& a, const json& b) {
    return a.value("timestamp", 0.0) < b.value("timestamp", 0.0);
  });
  json summary = summarize_log_events(all_events, 10);
  size_t errors = summary["by_severity"]["ERROR"].get<size_t>();
  if (errors > 0) {
    std::vector<std::string> evidence;
    for (const auto& t : summary["top_errors"]) {
      if (evidence.size() >= 5) break;
      evidence.push_back(std::to_string(t["count"].get<size_t>()) + "x " +
                         t["example"].get<std::string>());
    }
    std::string top = summary["top_errors"][0]["example"];
    report.findings.push_back(
        {Severity::kError, "log_errors",
         std::to_string(errors) + " error line(s) in the logs; the most frequent: " + top,
         std::move(evidence),
         "Fix what the most frequent error says; read the lines before it "
         "in the events below for context.",
         errors});
  } else if (!all_events.empty()) {
    report.findings.push_back(
        {Severity::kInfo,
         "log_no_errors",
         "The " + std::to_string(all_events.size()) + " log line(s) in the window show no errors.",
         {},
         "Widen time_window or look at fetch_task_failures.",
         1});
  } else if (!targets.empty()) {
    report.findings.push_back({Severity::kInfo,
                               "log_empty",
                               "No log events in the window" +
                                   (pattern.empty() ? std::string() : " matching " + pattern) + ".",
                               {},
                               "Widen time_window or drop filter_pattern.",
                               1});
  }
  json recent = json::array();
  size_t first = all_events.size() > request.limit ? all_events.size() - request.limit : 0;
  for (size_t i = first; i < all_events.size(); ++i) {
    const json& e = all_events[i];
    recent.push_back({{"timestamp", iso8601_from_epoch(e.value("timestamp", 0.0) / 1000.0)},
                      {"container", e.value("container", "")},
                      {"stream", e.value("logStreamName", "")},
                      {"message", e.value("message", "")}});
  }
  report.data = {{"log_targets", std::move(targets)},
                 {"filter_pattern", pattern},
                 {"summary", std::move(summary)},
                 {"events_returned", recent.size()},
                 {"events", std::move(recent)}};
  return report;
}

}  // namespace ecs_mcp::ecs::troubleshooting
