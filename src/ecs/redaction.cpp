#include "ecs/redaction.h"

#include <array>
#include <utility>
#include <vector>

#include "common/secret_scrubber.h"

namespace ecs_mcp::ecs {

using json = nlohmann::json;

namespace {

// CloudFormation masks NoEcho parameters itself; such a value stays as AWS sent it.
constexpr std::string_view kNoEchoMask = "****";

// Objects that pair a name with a value: tags, stack parameters and outputs, settings.
constexpr std::array<std::pair<const char*, const char*>, 6> kNameValuePairs = {{
    {"ParameterKey", "ParameterValue"},
    {"OutputKey", "OutputValue"},
    {"key", "value"},
    {"Key", "Value"},
    {"name", "value"},
    {"Name", "Value"},
}};

void mask(json& value, size_t& masked) {
  value = kRedactedMarker;
  ++masked;
}

bool maskable(const json& value) {
  return value.is_string() && value.get_ref<const std::string&>() != kNoEchoMask &&
         value.get_ref<const std::string&>() != kRedactedMarker;
}

// Container `environment` lists and the environment of overrides: every value.
void mask_environment(json& list, size_t& masked) {
  for (auto& entry : list) {
    if (!entry.is_object()) continue;
    if (auto v = entry.find("value"); v != entry.end() && !v->is_null()) mask(*v, masked);
  }
}

void mask_value_from(json& list, size_t& masked) {
  for (auto& entry : list) {
    if (!entry.is_object()) continue;
    if (auto v = entry.find("valueFrom"); v != entry.end()) mask(*v, masked);
  }
}

// command, entryPoint and healthCheck.command: an argv, or one shell line.
void mask_command(json& command, size_t& masked) {
  if (command.is_string()) {
    command = mask_credential_arguments(command.get<std::string>(), kRedactedMarker, &masked);
    return;
  }
  std::vector<std::string> words;
  for (const auto& w : command) {
    if (!w.is_string()) return;
    words.push_back(w.get<std::string>());
  }
  size_t n = mask_credential_arguments(words, kRedactedMarker);
  if (n == 0) return;
  masked += n;
  for (size_t i = 0; i < words.size(); ++i) command[i] = words[i];
}

bool declares(const json& schema, const char* property) {
  if (!schema.is_object()) return false;
  auto properties = schema.find("properties");
  return properties != schema.end() && properties->is_object() && properties->contains(property);
}

}  // namespace

void Redactor::walk(json& v, size_t& masked) const {
  if (v.is_string()) {
    size_t found = 0;
    std::string scrubbed = scrub_secrets(v.get_ref<const std::string&>(), &found);
    if (found > 0) {
      v = std::move(scrubbed);
      masked += found;
    }
    return;
  }
  if (v.is_array()) {
    for (auto& e : v) walk(e, masked);
    return;
  }
  if (!v.is_object()) return;
  if (!allow_sensitive_data_) {
    for (const auto& [name_key, value_key] : kNameValuePairs) {
      auto name = v.find(name_key);
      auto value = v.find(value_key);
      if (name != v.end() && value != v.end() && name->is_string() && maskable(*value) &&
          names_a_credential(name->get_ref<const std::string&>())) {
        mask(*value, masked);
      }
    }
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string& key = it.key();
    json& child = it.value();
    if (!allow_sensitive_data_) {
      if (key == "environment" && child.is_array()) {
        mask_environment(child, masked);
      } else if ((key == "secrets" || key == "secretOptions") && child.is_array()) {
        mask_value_from(child, masked);
      } else if (key == "repositoryCredentials" && child.is_object()) {
        for (auto& c : child) mask(c, masked);
        continue;
      } else if ((key == "command" || key == "entryPoint") &&
                 (child.is_array() || child.is_string())) {
        mask_command(child, masked);
      } else if (maskable(child) && names_a_credential(key)) {
        mask(child, masked);
        continue;
      }
    }
    walk(child, masked);
  }
}

size_t Redactor::redact(json& value) const {
  size_t masked = 0;
  walk(value, masked);
  return masked;
}

std::string Redactor::redact_text(std::string_view text, size_t* masked) const {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && (text[first] == '{' || text[first] == '[')) {
    json parsed = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_discarded()) {
      size_t n = redact(parsed);
      if (masked) *masked += n;
      if (n == 0) return std::string(text);
      return parsed.dump(-1, ' ', false, json::error_handler_t::replace);
    }
  }
  return scrub_secrets(text, masked);
}

void Redactor::redact(const mcp::Tool& tool, mcp::ToolResult& result) const {
  auto dump = [](const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); };
  std::string mirrored;
  if (result.structured) {
    mirrored = dump(*result.structured);
    size_t masked = redact(*result.structured);
    if (masked > 0 && result.structured->is_object() &&
        declares(tool.output_schema, "redactedValues")) {
      (*result.structured)["redactedValues"] = masked;
    }
  }
  for (auto& block : result.content) {
    if (!block.is_object()) continue;
    auto text = block.find("text");
    if (text == block.end() || !text->is_string()) continue;
    if (result.structured && text->get_ref<const std::string&>() == mirrored) {
      *text = dump(*result.structured);  // the text mirrors structuredContent: mirror it again
    } else {
      *text = redact_text(text->get_ref<const std::string&>());
    }
  }
}

mcp::AnswerFilter Redactor::answer_filter() const {
  return [redactor = *this](const mcp::Tool& tool, mcp::ToolResult& result) {
    redactor.redact(tool, result);
  };
}

}  // namespace ecs_mcp::ecs
