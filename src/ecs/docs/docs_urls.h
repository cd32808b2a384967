// Which URLs the documentation tools may read: https pages of the AWS documentation hosts,
// checked before any request is made and again for every redirect.
//
// The check is strict (no user info, no other port, no whitespace, backslashes or control
// characters) and parses with common/url, libcurl's own parser, so what is checked is what
// the transport connects to.
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

// `location` (a redirect target or a link, absolute or relative) resolved against `base`;
// `location` unchanged when it cannot be resolved (the caller checks the result anyway).
std::string resolve_location(const std::string& base, const std::string& location);

}  // namespace ecs_mcp::ecs
