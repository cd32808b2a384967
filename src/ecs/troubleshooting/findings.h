// Findings: what a troubleshooting action concludes, ranked so the likely cause comes first.
//
// A Finding names a cause, the evidence that points to it (quoted from AWS), and the next
// step to take. Actions collect findings from their diagnoses; the tool ranks them (by
// severity, then by how many tasks/targets/events show them) and states the top one as the
// verdict.
//
// Thread-safety: plain values.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace ecs_mcp::ecs::troubleshooting {

enum class Severity { kCritical, kError, kWarning, kInfo };
std::string_view to_string(Severity severity);

struct Finding {
  Severity severity = Severity::kInfo;
  std::string category;  // stable machine name: "image_pull", "out_of_memory", ...
  std::string cause;     // one sentence for people
  std::vector<std::string> evidence;
  std::string next_step;
  size_t occurrences = 1;  // tasks/targets/events showing it; breaks severity ties
};

// Orders findings most severe first, then most frequent; stable otherwise.
void rank(std::vector<Finding>& findings);
nlohmann::json to_json(const Finding& finding);
nlohmann::json to_json(const std::vector<Finding>& findings);
// The top finding as one sentence, or a statement that nothing wrong was found.
std::string verdict(const std::vector<Finding>& ranked);

}  // namespace ecs_mcp::ecs::troubleshooting
