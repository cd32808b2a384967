// ~/.aws/config and ~/.aws/credentials as a user (or a tampered file) writes them: the input is
// the config text, then optionally "\0" and the credentials text.
#include "aws/shared_config.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace ecs_mcp::aws;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  size_t split = text.find('\0');
  std::string_view config = text.substr(0, split);
  std::string_view credentials = split == std::string_view::npos ? "" : text.substr(split + 1);
  auto parsed = SharedConfig::parse(config, credentials);
  if (!parsed.ok()) {
    if (parsed.error().message.empty()) __builtin_trap();
    return 0;
  }
  for (const auto& name : parsed->profile_names()) {
    auto profile = parsed->profile(name);
    if (!profile) __builtin_trap();  // every listed profile can be looked up
    for (const auto& [key, value] : profile->values) (void)profile->get(key);
  }
  (void)parsed->profile("default");
  return 0;
}
