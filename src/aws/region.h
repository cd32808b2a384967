// Which AWS region to talk to, resolved the way the AWS CLI does.
//
// Precedence: AWS_REGION, then AWS_DEFAULT_REGION, then `region` in the selected profile of
// the shared config files. No network is involved (no IMDS region lookup): the caller is
// start-up code that runs once per process.
//
// Thread-safety: a pure function of its inputs.
#pragma once

#include <string>
#include <string_view>

#include "aws/shared_config.h"
#include "common/result.h"

namespace ecs_mcp::aws {

// `config` may be null (files not loaded): then only the environment is consulted.
// `profile_override`, when not empty, replaces the profile named by AWS_PROFILE.
// When no region is found: Error "NoRegion" whose message says how to set one.
Result<std::string> resolve_region(const Os& os, const SharedConfig* config,
                                   std::string_view profile_override = {});

}  // namespace ecs_mcp::aws
