// RFC 3986 percent-encoding, the one encoder for URL paths, query strings and the
// form bodies of the AWS Query protocol (which SigV4 canonicalisation requires to agree).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>

namespace ecs_mcp {

// Encodes every byte but the unreserved set A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex); '/'
// is kept when `keep_slash` (paths) and encoded otherwise (query keys and values, forms).
std::string uri_encode(std::string_view text, bool keep_slash = false);

// Decodes each well-formed %XX; anything else (a lone '%', '+') is kept as it is.
std::string uri_decode(std::string_view text);

}  // namespace ecs_mcp
