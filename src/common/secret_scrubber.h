// Recognising credentials in text, written once for every layer: the answers tools give, the
// errors relayed from AWS and from credential helpers, and the log.
//
// Two kinds of evidence. A *known secret format* is recognisable by its form alone wherever it
// appears: AWS access key ids, secret access keys and session tokens, private key blocks, JWTs,
// passwords in URLs (`scheme://user:password@host`), credential headers (Authorization,
// X-Amz-Security-Token, ...) and SigV4 authorization values, bearer tokens, credential
// assignments in connection and query strings (`Password=...;`), and the canonical request that
// AWS echoes in SignatureDoesNotMatch. A *credential name* says that whatever value sits next
// to it is one (`splunk-token`, `DbPassword`, `license_key`); callers that know the structure
// (options, labels, tags, outputs, command arguments) use it.
//
// AWS's documented placeholders (AKIAIOSFODNN7EXAMPLE, ...EXAMPLEKEY) are left alone.
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ecs_mcp {

// `text` with every known secret format replaced by "[REDACTED: <what it was>]". When
// `replaced` is given, the number of replacements is added to it.
std::string scrub_secrets(std::string_view text, size_t* replaced = nullptr);

// True when `name` (an option, label, tag, output, parameter, member or argument name) says its
// value is a credential. Pagination and idempotency tokens (nextToken, clientToken, ...) are
// not credentials.
bool names_a_credential(std::string_view name);

// Masks, with `marker`, the values of credential-named arguments in a command given as its
// words: `--password=x`, `--api-key x`, `DB_PASSWORD=x`. A word that holds several words (a
// shell command after `sh -c`, CMD-SHELL) is looked into the same way. Returns how many
// values were masked.
size_t mask_credential_arguments(std::vector<std::string>& words, std::string_view marker);

// The same for a command line in one string, split at whitespace (quotes are not interpreted).
std::string mask_credential_arguments(std::string_view command_line, std::string_view marker,
                                      size_t* masked = nullptr);

}  // namespace ecs_mcp
