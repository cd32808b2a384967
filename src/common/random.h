// The one source of randomness: OpenSSL's CSPRNG (RAND_bytes), for identifiers, tokens,
// temporary names and retry jitter alike, so there is a single generator to reason about.
//
// Every function fails only when the CSPRNG cannot produce output (an unseeded system), and
// then says so with an Error ("RandomUnavailable") rather than returning weak bytes.
//
// Thread-safety: all functions may be called from any thread (RAND_bytes is thread-safe).
#pragma once

#include <cstddef>
#include <span>
#include <string>

#include "common/result.h"

namespace ecs_mcp {

// Fills `out` with random bytes.
Status random_bytes(std::span<unsigned char> out);
// `n` random bytes.
Result<std::string> random_bytes(size_t n);

// `bytes` random bytes as 2 * `bytes` lower-case hex characters.
Result<std::string> random_hex(size_t bytes);

// A version 4 UUID: "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx", lower case.
Result<std::string> random_uuid();

// A double uniform in [0, 1).
Result<double> random_fraction();

}  // namespace ecs_mcp
