#include "ecs/response_shaping.h"

#include <cmath>
#include <ctime>
#include <set>
#include <string_view>
#include <vector>

#include "common/strings.h"

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

void redact_environment_list(json& list, size_t& count) {
  if (!list.is_array()) return;
  for (auto& entry : list) {
    if (entry.is_object() && entry.contains("value")) {
      entry["value"] = kRedactedMarker;
      ++count;
    }
  }
}

// Names under which configuration commonly carries credentials (splunk-token, api_key,
// DbPassword, ClientSecret, ...). Used where values sit next to free-form names.
bool looks_secret(std::string name) {
  name = ascii_lower(name);
  for (const char* word : {"token", "password", "passwd", "secret", "apikey", "api_key", "api-key",
                           "credential", "private", "auth"}) {
    if (name.find(word) != std::string::npos) return true;
  }
  return false;
}

void redact_value_from(json& list, size_t& count) {
  if (!list.is_array()) return;
  for (auto& s : list) {
    if (s.is_object() && s.contains("valueFrom")) {
      s["valueFrom"] = kRedactedMarker;
      ++count;
    }
  }
}

void redact_walk(json& v, size_t& count) {
  if (v.is_array()) {
    for (auto& e : v) redact_walk(e, count);
    return;
  }
  if (!v.is_object()) return;
  // CloudFormation parameters and outputs: NoEcho ones arrive masked already; others whose
  // names say they hold a credential are masked here.
  for (const auto& [name_key, value_key] :
       {std::pair{"ParameterKey", "ParameterValue"}, std::pair{"OutputKey", "OutputValue"}}) {
    auto name = v.find(name_key);
    auto value = v.find(value_key);
    if (name != v.end() && value != v.end() && name->is_string() && value->is_string() &&
        looks_secret(name->get<std::string>()) && *value != "****") {
      *value = kRedactedMarker;
      ++count;
    }
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string& key = it.key();
    json& child = it.value();
    if (key == "environment") {
      // Container definitions and container overrides: [{name, value}].
      redact_environment_list(child, count);
    } else if ((key == "secrets" || key == "secretOptions") && child.is_array()) {
      redact_value_from(child, count);
    } else if (key == "options" && child.is_object()) {
      // Log router options (logConfiguration, firelensConfiguration): splunk-token, apikey, ...
      for (auto o = child.begin(); o != child.end(); ++o) {
        if (o.value().is_string() && looks_secret(o.key())) {
          o.value() = kRedactedMarker;
          ++count;
        }
      }
    } else if (key == "repositoryCredentials" && child.is_object()) {
      for (auto c = child.begin(); c != child.end(); ++c) {
        c.value() = kRedactedMarker;
        ++count;
      }
    } else {
      redact_walk(child, count);
    }
  }
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

size_t redact_sensitive(json& value) {
  size_t count = 0;
  redact_walk(value, count);
  return count;
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
