#include "ecs/response_shaping.h"

#include <cmath>
#include <ctime>
#include <set>
#include <string_view>
#include <vector>

namespace ecs_mcp::ecs {

using json = nlohmann::json;

namespace {

// Members of type timestamp in botocore's ECS (2014-11-13) and ECR (2015-09-21) output shapes.
// A unit test re-derives this list from the installed models so that it cannot go stale.
const std::set<std::string, std::less<>>& timestamp_members() {
  static const std::set<std::string, std::less<>> names{"connectivityAt",
                                                        "createdAt",
                                                        "deleteRequestedAt",
                                                        "deregisteredAt",
                                                        "executionStoppedAt",
                                                        "expirationDate",
                                                        "expiresAt",
                                                        "finishedAt",
                                                        "firstObservedAt",
                                                        "imagePushedAt",
                                                        "imageScanCompletedAt",
                                                        "lastActivatedAt",
                                                        "lastArchivedAt",
                                                        "lastEvaluatedAt",
                                                        "lastInUseAt",
                                                        "lastObservedAt",
                                                        "lastRecordedPullTime",
                                                        "lastStartedAt",
                                                        "lastStatusChange",
                                                        "lastUpdated",
                                                        "pullStartedAt",
                                                        "pullStoppedAt",
                                                        "pushedAt",
                                                        "registeredAt",
                                                        "stabilityStatusAt",
                                                        "startedAt",
                                                        "stoppedAt",
                                                        "stoppingAt",
                                                        "updatedAt",
                                                        "vendorCreatedAt",
                                                        "vendorUpdatedAt",
                                                        "vulnerabilitySourceUpdatedAt"};
  return names;
}

// The largest array in the tree (by serialized size), so cutting it saves the most.
json* largest_array(json& v, size_t& best_size) {
  json* best = nullptr;
  if (v.is_array()) {
    size_t size = v.dump().size();
    if (v.size() > 1 && size > best_size) {
      best = &v;
      best_size = size;
    }
    for (auto& e : v) {
      if (json* inner = largest_array(e, best_size)) best = inner;
    }
  } else if (v.is_object()) {
    for (auto& [key, e] : v.items()) {
      if (json* inner = largest_array(e, best_size)) best = inner;
    }
  }
  return best;
}

}  // namespace

bool is_timestamp_member(const std::string& name) { return timestamp_members().count(name) > 0; }

std::string iso8601_from_epoch(double seconds) {
  double whole = std::floor(seconds);
  auto t = static_cast<std::time_t>(whole);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  int millis = static_cast<int>(std::lround((seconds - whole) * 1000.0));
  if (millis >= 1000) millis = 999;
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  if (millis > 0) {
    std::snprintf(buf + n, sizeof buf - n, ".%03dZ", millis);
  } else {
    std::snprintf(buf + n, sizeof buf - n, "Z");
  }
  return buf;
}

void format_timestamps(json& v) {
  if (v.is_array()) {
    for (auto& e : v) format_timestamps(e);
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (it.value().is_number() && is_timestamp_member(it.key())) {
        it.value() = iso8601_from_epoch(it.value().get<double>());
      } else {
        format_timestamps(it.value());
      }
    }
  }
}

bool enforce_budget(json& value, size_t budget_bytes, const std::string& how_to_get_more) {
  size_t size = value.dump().size();
  if (size <= budget_bytes) return false;
  size_t original = size;
  size_t removed = 0;
  // Halve the largest array until the answer fits or nothing can be cut further.
  for (int guard = 0; guard < 200 && size > budget_bytes; ++guard) {
    size_t best_size = 0;
    json* arr = largest_array(value, best_size);
    if (!arr) break;
    size_t keep = arr->size() / 2;
    removed += arr->size() - keep;
    arr->erase(arr->begin() + static_cast<std::ptrdiff_t>(keep), arr->end());
    size = value.dump().size();
  }
  json marker{
      {"message", "The response was " + std::to_string(original) +
                      " bytes, over this tool's budget of " + std::to_string(budget_bytes) + "; " +
                      std::to_string(removed) + " list item(s) were left out. " + how_to_get_more},
      {"originalBytes", original},
      {"itemsOmitted", removed}};
  if (value.is_object()) {
    value["_truncated"] = std::move(marker);
  } else {
    value = json{{"result", std::move(value)}, {"_truncated", std::move(marker)}};
  }
  return true;
}

}  // namespace ecs_mcp::ecs
