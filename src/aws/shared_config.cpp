#include "aws/shared_config.h"

#include <algorithm>
#include <cctype>

#include "common/strings.h"

namespace ecs_mcp::aws {

namespace {

using SectionMap = std::map<std::string, std::map<std::string, std::string>, std::less<>>;

constexpr std::string_view kBlank = " \t\r\f\v";

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(kBlank);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kBlank);
  return s.substr(first, last - first + 1);
}

// One INI file as configparser (and so the AWS CLI) reads it: `[section]` headers, `key = value`
// or `key: value` lines, full-line comments starting with `#` or `;`, and indented lines
// continuing the previous value, which is how nested sub-sections (`s3 =` then indented
// `key = value` lines) are written. Values keep any inline `#`: the CLI does not strip them,
// and a credential_process command may legitimately contain one. Repeated sections merge.
struct IniSection {
  std::string header;
  std::map<std::string, std::string> values;
};

Result<std::vector<IniSection>> parse_ini(std::string_view text, const std::string& path) {
  std::vector<IniSection> sections;
  std::string last_key;  // the key an indented line would continue
  size_t line_number = 0;
  auto fail = [&](const std::string& what) {
    return make_error(ErrorCode::kConfigParseError,
                      path + ":" + std::to_string(line_number) + ": " + what);
  };
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    ++line_number;
    if (line_number == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);  // BOM

    const std::string_view content = trim(line);
    if (content.empty() || content.front() == '#' || content.front() == ';') continue;
    const bool indented = line.front() == ' ' || line.front() == '\t';

    if (content.front() == '[' && !(indented && !last_key.empty())) {
      const auto close = content.find(']');
      if (close == std::string_view::npos) return fail("section header without a closing ']'");
      const std::string_view rest = trim(content.substr(close + 1));
      if (!rest.empty() && rest.front() != '#' && rest.front() != ';') {
        return fail("unexpected text after section header");
      }
      const std::string_view header = trim(content.substr(1, close - 1));
      if (header.empty()) return fail("empty section name");
      sections.push_back({std::string(header), {}});
      last_key.clear();
      continue;
    }
    if (indented && !last_key.empty()) {
      std::string& value = sections.back().values[last_key];
      if (!value.empty()) value += '\n';
      value += content;
      continue;
    }
    if (sections.empty()) return fail("a key outside of any [section]");
    const auto delimiter = content.find_first_of("=:");
    if (delimiter == std::string_view::npos) return fail("expected 'key = value'");
    std::string key = ascii_lower(trim(content.substr(0, delimiter)));
    if (key.empty()) return fail("empty key");
    sections.back().values[key] = std::string(trim(content.substr(delimiter + 1)));
    last_key = std::move(key);
  }
  return sections;
}

// A shared config file is a few kilobytes; even hundreds of SSO profiles stay far below this.
constexpr size_t kMaxConfigFileBytes = 4 << 20;

// nullopt when the file does not exist.
Result<std::optional<std::string>> read_optional_file(const Os& os, const std::string& path) {
  auto text = os.read_file(path, kMaxConfigFileBytes);
  if (text) return std::optional<std::string>(std::move(*text));
  if (text.error().code == ErrorCode::kNotFound) return std::optional<std::string>{};
  return make_error(ErrorCode::kConfigReadError, text.error().message);
}

void merge_into(std::map<std::string, std::string>& target,
                const std::map<std::string, std::string>& source) {
  for (const auto& [key, value] : source) target[key] = value;
}

// Config-file section header -> profile name, or nullopt for sections that are not profiles
// (sso-session, services, anything else). `[profile "my name"]` may be quoted.
std::optional<std::string> config_profile_name(std::string_view header, bool* plain_default) {
  *plain_default = false;
  if (header == "default") {
    *plain_default = true;
    return std::string("default");
  }
  if (!header.starts_with("profile") || header.size() == 7) return std::nullopt;
  if (header[7] != ' ' && header[7] != '\t') return std::nullopt;  // e.g. [profiles]
  std::string_view name = trim(header.substr(8));
  if (name.size() >= 2 && (name.front() == '"' || name.front() == '\'') &&
      name.back() == name.front()) {
    name = name.substr(1, name.size() - 2);  // quoted: may contain spaces
  } else if (name.find_first_of(kBlank) != std::string_view::npos) {
    return std::nullopt;  // `[profile a b]`: the CLI does not treat it as a profile
  }
  if (name.empty()) return std::nullopt;
  return std::string(name);
}

}  // namespace

std::string expand_home(std::string_view path, const Os& os) {
  if (path == "~") return os.home_directory();
  if (path.starts_with("~/")) return os.home_directory() + std::string(path.substr(1));
  return std::string(path);
}

std::string config_file_path(const Os& os) {
  return expand_home(os.env("AWS_CONFIG_FILE").value_or("~/.aws/config"), os);
}

std::string credentials_file_path(const Os& os) {
  return expand_home(os.env("AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials"), os);
}

std::string selected_profile_name(const Os& os) {
  if (auto p = os.env("AWS_PROFILE")) return *p;
  if (auto p = os.env("AWS_DEFAULT_PROFILE")) return *p;
  return "default";
}

bool profile_selected_explicitly(const Os& os) {
  return os.env("AWS_PROFILE").has_value() || os.env("AWS_DEFAULT_PROFILE").has_value();
}

std::optional<std::string> Profile::get(std::string_view key) const {
  auto it = values.find(std::string(key));
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

Result<SharedConfig> SharedConfig::load(const Os& os) {
  std::string config_path = config_file_path(os);
  std::string credentials_path = credentials_file_path(os);
  auto config_text = read_optional_file(os, config_path);
  if (!config_text) return std::move(config_text).take_error();
  auto credentials_text = read_optional_file(os, credentials_path);
  if (!credentials_text) return std::move(credentials_text).take_error();
  return parse(config_text->value_or(""), credentials_text->value_or(""), std::move(config_path),
               std::move(credentials_path));
}

Result<SharedConfig> SharedConfig::parse(std::string_view config_text,
                                         std::string_view credentials_text, std::string config_path,
                                         std::string credentials_path) {
  SharedConfig out;
  auto config_sections = parse_ini(config_text, config_path);
  if (!config_sections) return std::move(config_sections).take_error();
  auto credentials_sections = parse_ini(credentials_text, credentials_path);
  if (!credentials_sections) return std::move(credentials_sections).take_error();

  // `[profile default]` takes precedence over a plain `[default]` when a file has both.
  std::map<std::string, std::string> plain_default;
  bool have_plain_default = false;
  for (const auto& section : *config_sections) {
    bool is_plain_default = false;
    auto name = config_profile_name(section.header, &is_plain_default);
    if (!name) continue;
    if (is_plain_default) {
      have_plain_default = true;
      merge_into(plain_default, section.values);
    } else {
      merge_into(out.config_profiles_[*name], section.values);
    }
  }
  if (have_plain_default && !out.config_profiles_.contains("default")) {
    out.config_profiles_["default"] = std::move(plain_default);
  }
  for (const auto& section : *credentials_sections) {
    merge_into(out.credentials_profiles_[section.header], section.values);
  }
  out.config_path_ = std::move(config_path);
  out.credentials_path_ = std::move(credentials_path);
  return out;
}

std::optional<Profile> SharedConfig::profile(std::string_view name) const {
  Profile p;
  p.name = std::string(name);
  if (auto it = config_profiles_.find(name); it != config_profiles_.end()) {
    p.in_config_file = true;
    p.values = it->second;
  }
  if (auto it = credentials_profiles_.find(name); it != credentials_profiles_.end()) {
    p.in_credentials_file = true;
    merge_into(p.values, it->second);  // the credentials file wins
  }
  if (!p.in_config_file && !p.in_credentials_file) return std::nullopt;
  return p;
}

std::vector<std::string> SharedConfig::profile_names() const {
  std::vector<std::string> names;
  for (const auto& [name, _] : config_profiles_) names.push_back(name);
  for (const auto& [name, _] : credentials_profiles_) {
    if (!config_profiles_.contains(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace ecs_mcp::aws
