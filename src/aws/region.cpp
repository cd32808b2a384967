#include "aws/region.h"

namespace ecs_mcp::aws {

Result<std::string> resolve_region(const Os& os, const SharedConfig* config,
                                   std::string_view profile_override) {
  if (auto region = os.env("AWS_REGION")) return *region;
  if (auto region = os.env("AWS_DEFAULT_REGION")) return *region;

  const std::string profile_name =
      profile_override.empty() ? selected_profile_name(os) : std::string(profile_override);
  std::optional<Profile> profile;
  if (config != nullptr) {
    profile = config->profile(profile_name);
    if (profile) {
      if (auto region = profile->get("region")) return *region;
    }
  }

  const std::string path = config != nullptr ? config->config_path() : config_file_path(os);
  const std::string section =
      profile_name == "default" ? "[default]" : "[profile " + profile_name + "]";
  std::string message =
      "No AWS region is set. Set the AWS_REGION environment variable (for "
      "example AWS_REGION=us-east-1), or add 'region = us-east-1' to the " +
      section + " section of " + path + " (profile '" + profile_name + "'";
  if (config != nullptr && !profile) message += ", which does not exist yet";
  message += ").";
  return make_error(ErrorCode::kNoRegion, std::move(message));
}

}  // namespace ecs_mcp::aws
