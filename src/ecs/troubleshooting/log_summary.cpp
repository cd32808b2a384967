#include "ecs/troubleshooting/log_summary.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "ecs/troubleshooting/text_match.h"

namespace ecs_mcp::ecs::troubleshooting {

using nlohmann::json;

namespace {

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

std::string log_severity(const std::string& message) {
  const std::string m = ascii_lower(message);
  if (has(m, {"fatal", "panic", "critical", "exception", "traceback", "error", "segmentation fault",
              "killed", "failed", "failure", "refused"})) {
    return "ERROR";
  }
  if (has(m, {"warn"})) return "WARN";
  if (has(m, {"debug", "trace"})) return "DEBUG";
  if (has(m, {"info", "notice"})) return "INFO";
  return "UNKNOWN";
}

std::string normalize_log_line(const std::string& message) {
  std::string out;
  out.reserve(message.size());
  size_t i = 0;
  while (i < message.size()) {
    char c = message[i];
    // A run of hex digits/dashes of length >= 8 containing a digit: an ID, hash or UUID.
    if (is_hex(c)) {
      size_t j = i;
      bool digit = false;
      while (j < message.size() && (is_hex(message[j]) || message[j] == '-')) {
        digit = digit || std::isdigit(static_cast<unsigned char>(message[j]));
        ++j;
      }
      bool word_start = i == 0 || !std::isalnum(static_cast<unsigned char>(message[i - 1]));
      if (word_start && digit && j - i >= 8) {
        out += "<id>";
        i = j;
        continue;
      }
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      while (i < message.size() &&
             (std::isdigit(static_cast<unsigned char>(message[i])) || message[i] == '.')) {
        ++i;
      }
      out += "N";
      continue;
    }
    out += c;
    ++i;
  }
  // Trim and cap: the point is to group lines, not to keep them whole.
  size_t b = out.find_first_not_of(" \t\r\n");
  size_t e = out.find_last_not_of(" \t\r\n");
  out = b == std::string::npos ? std::string() : out.substr(b, e - b + 1);
  if (out.size() > 240) out = out.substr(0, 240) + "...";
  return out;
}

json summarize_log_events(const json& events, size_t top_n) {
  std::map<std::string, size_t> by_severity{
      {"ERROR", 0}, {"WARN", 0}, {"INFO", 0}, {"DEBUG", 0}, {"UNKNOWN", 0}};
  struct Group {
    size_t count = 0;
    std::string example;
    double last = 0;
  };
  std::map<std::string, Group> errors;
  size_t total = 0;
  if (events.is_array()) {
    for (const auto& e : events) {
      std::string message = e.value("message", "");
      ++total;
      std::string sev = log_severity(message);
      ++by_severity[sev];
      if (sev != "ERROR") continue;
      auto& g = errors[normalize_log_line(message)];
      ++g.count;
      if (g.example.empty())
        g.example = message.size() > 500 ? message.substr(0, 500) + "..." : message;
      if (e.contains("timestamp") && e["timestamp"].is_number()) {
        g.last = std::max(g.last, e["timestamp"].get<double>());
      }
    }
  }
  std::vector<std::pair<std::string, Group>> ranked(errors.begin(), errors.end());
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.second.count > b.second.count; });
  json top = json::array();
  for (size_t i = 0; i < ranked.size() && i < top_n; ++i) {
    top.push_back({{"line", ranked[i].first},
                   {"count", ranked[i].second.count},
                   {"example", ranked[i].second.example}});
  }
  return json{{"total", total}, {"by_severity", by_severity}, {"top_errors", std::move(top)}};
}

std::vector<AwsLogsTarget> awslogs_targets(const json& task_definition,
                                           std::vector<std::string>* other_drivers) {
  std::vector<AwsLogsTarget> out;
  for (const auto& c : task_definition.value("containerDefinitions", json::array())) {
    const std::string name = c.value("name", "");
    auto lc = c.find("logConfiguration");
    if (lc == c.end() || !lc->is_object()) {
      if (other_drivers) other_drivers->push_back(name + ": no logConfiguration");
      continue;
    }
    const std::string driver = lc->value("logDriver", "");
    if (driver != "awslogs") {
      if (other_drivers) other_drivers->push_back(name + ": " + driver);
      continue;
    }
    json options = lc->value("options", json::object());
    AwsLogsTarget t;
    t.container = name;
    t.group = options.value("awslogs-group", "");
    t.region = options.value("awslogs-region", "");
    t.stream_prefix = options.value("awslogs-stream-prefix", "");
    out.push_back(std::move(t));
  }
  return out;
}

std::string awslogs_stream_name(const AwsLogsTarget& target, const std::string& task_id) {
  if (target.stream_prefix.empty()) return task_id;
  return target.stream_prefix + "/" + target.container + "/" + task_id;
}

}  // namespace ecs_mcp::ecs::troubleshooting
