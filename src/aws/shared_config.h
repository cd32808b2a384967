// The AWS shared config files (~/.aws/config, ~/.aws/credentials), found and read through the
// OS seam (common/os.h), so tests describe variables, home and files without touching the real
// ones. SharedConfig parses both files the way the AWS CLI does (INI; `[profile NAME]` sections in
// the config file, `[NAME]` in the credentials file) and offers a merged per-profile view in
// which the credentials file wins for keys present in both.
//
// Thread-safety: SharedConfig is an immutable value once loaded.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/os.h"
#include "common/result.h"

namespace ecs_mcp::aws {

// Expands a leading `~` or `~/` to the home directory. `~user` forms are left alone.
std::string expand_home(std::string_view path, const Os& os);

// AWS_CONFIG_FILE, else ~/.aws/config (expanded).
std::string config_file_path(const Os& os);
// AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials (expanded).
std::string credentials_file_path(const Os& os);

// AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
std::string selected_profile_name(const Os& os);
// True when the name came from AWS_PROFILE or AWS_DEFAULT_PROFILE rather than the default.
bool profile_selected_explicitly(const Os& os);

struct Profile {
  std::string name;
  // Keys lower-cased as the CLI does; values trimmed. A nested sub-section (`s3 =` followed
  // by indented lines) appears as one key whose value holds the indented lines verbatim.
  std::map<std::string, std::string> values;
  bool in_config_file = false;
  bool in_credentials_file = false;

  // The key's value when present and not empty.
  std::optional<std::string> get(std::string_view key) const;
};

class SharedConfig {
 public:
  // Reads both files (regular files of at most 4 MiB). A missing file is not an error (it
  // contributes no profiles); a file that exists but cannot be read ("ConfigReadError": a
  // directory, a FIFO, too large, no permission) or parsed ("ConfigParseError", naming file and
  // line) is.
  static Result<SharedConfig> load(const Os& os);
  // The same from text already in memory; the paths are used in messages only.
  static Result<SharedConfig> parse(std::string_view config_text, std::string_view credentials_text,
                                    std::string config_path = "config",
                                    std::string credentials_path = "credentials");

  std::optional<Profile> profile(std::string_view name) const;
  std::vector<std::string> profile_names() const;  // sorted

  const std::string& config_path() const { return config_path_; }
  const std::string& credentials_path() const { return credentials_path_; }

 private:
  std::map<std::string, std::map<std::string, std::string>, std::less<>> config_profiles_;
  std::map<std::string, std::map<std::string, std::string>, std::less<>> credentials_profiles_;
  std::string config_path_;
  std::string credentials_path_;
};

}  // namespace ecs_mcp::aws
