#include "ecs/troubleshooting/findings.h"

#include <algorithm>

namespace ecs_mcp::ecs::troubleshooting {

using nlohmann::json;

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::kCritical:
      return "critical";
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "info";
}

void rank(std::vector<Finding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity < b.severity;
    return a.occurrences > b.occurrences;
  });
}

json to_json(const Finding& f) {
  json out{{"severity", to_string(f.severity)},
           {"category", f.category},
           {"cause", f.cause},
           {"evidence", f.evidence},
           {"next_step", f.next_step}};
  if (f.occurrences > 1) out["occurrences"] = f.occurrences;
  return out;
}

json to_json(const std::vector<Finding>& findings) {
  json out = json::array();
  for (const auto& f : findings) out.push_back(to_json(f));
  return out;
}

std::string verdict(const std::vector<Finding>& ranked) {
  for (const auto& f : ranked) {
    if (f.severity == Severity::kInfo) break;
    return std::string(to_string(f.severity)) + ": " + f.cause;
  }
  if (!ranked.empty()) return "No problem found; " + ranked.front().cause;
  return "No problem found in what was checked.";
}

}  // namespace ecs_mcp::ecs::troubleshooting
