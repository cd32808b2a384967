#include "ecs/docs/docs_settings.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "common/strings.h"
#include "ecs/config.h"

namespace ecs_mcp::ecs {
namespace {

bool is_http_url(const std::string& value) {
  return value.rfind("https://", 0) == 0 || value.rfind("http://", 0) == 0;
}

}  // namespace

DocsSettings read_docs_settings(const Os& os, std::vector<std::string>& warnings) {
  DocsSettings settings;
  if (auto raw = os.getenv("ECS_MCP_DOCS"); raw && !raw->empty()) {
    const std::string lowered = ascii_lower(*raw);
    if (lowered == "off") {
      settings.enabled = false;
    } else if (lowered == "on") {
      settings.enabled = true;
    } else if (auto on = parse_switch(*raw)) {
      settings.enabled = *on;
    } else {
      warnings.push_back("ECS_MCP_DOCS=" + *raw +
                         " is not on/off; the documentation tools stay on");
    }
  }
  auto url_setting = [&](const char* name, std::string& target) {
    auto raw = os.getenv(name);
    if (!raw || raw->empty()) return;
    if (!is_http_url(*raw)) {
      warnings.push_back(std::string(name) + " is not an http(s) URL; using " + target);
      return;
    }
    target = *raw;
    while (target.size() > 8 && target.back() == '/') target.pop_back();
  };
  url_setting("ECS_MCP_KNOWLEDGE_URL", settings.knowledge_url);
  url_setting("ECS_MCP_DOCS_RECOMMEND_URL", settings.recommend_url);
  url_setting("ECS_MCP_DOCS_PAGES_URL", settings.pages_url);
  if (auto raw = os.getenv("ECS_MCP_DOCS_TIMEOUT"); raw && !raw->empty()) {
    int seconds = 0;
    auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), seconds);
    if (ec == std::errc() && end == raw->data() + raw->size() && seconds >= 1 && seconds <= 300) {
      settings.timeout = std::chrono::seconds(seconds);
      settings.connect_timeout =
          std::min<std::chrono::milliseconds>(settings.connect_timeout, settings.timeout);
    } else {
      warnings.push_back("ECS_MCP_DOCS_TIMEOUT=" + *raw +
                         " is not a number of seconds from 1 to 300; using 25");
    }
  }
  if (auto ca = os.getenv("AWS_CA_BUNDLE"); ca && !ca->empty()) settings.ca_bundle = *ca;
  return settings;
}

}  // namespace ecs_mcp::ecs
