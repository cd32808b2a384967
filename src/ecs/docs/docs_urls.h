// Which URLs the documentation tools may read: https pages of the AWS documentation hosts,
// checked before any request is made and again for every redirect.
//
// The check is deliberately strict and textual (no user info, no other port, no backslashes
// or control characters), so what is checked is what a transport would connect to.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

namespace ecs_mcp::ecs {

// nullopt when `url` may be read through the Knowledge server (https on docs.aws.amazon.com
// or aws.amazon.com); otherwise why not, in words for the model.
std::optional<std::string> refuse_docs_url(const std::string& url);

// Whether `url` is an https page on docs.aws.amazon.com, the one host this server fetches
// pages from itself.
bool is_docs_page_url(const std::string& url);

// `location` (a redirect target, absolute or relative) resolved against `base`.
std::string resolve_location(const std::string& base, const std::string& location);

}  // namespace ecs_mcp::ecs
