#include "common/secret_scrubber.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "common/strings.h"

namespace ecs_mcp {
namespace {

// A stretch of text to replace, and what it held (for the marker).
struct Span {
  size_t begin;
  size_t end;
  std::string_view what;
};

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_base64(char c) { return is_alnum(c) || c == '+' || c == '/'; }
bool is_base64url(char c) { return is_alnum(c) || c == '-' || c == '_'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }
// Where a header value or an assignment's value ends.
bool ends_value(char c) {
  return is_space(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == ',' || c == ';' ||
         c == '&' || c == ')' || c == ']' || c == '}';
}

bool is_placeholder(std::string_view s) { return s.find("EXAMPLE") != std::string_view::npos; }

size_t run_end(std::string_view text, size_t from, bool (*in_run)(char)) {
  while (from < text.size() && in_run(text[from])) ++from;
  return from;
}

bool already_redacted(std::string_view text, size_t at) {
  return text.substr(at).rfind("[REDACTED", 0) == 0;
}

// SignatureDoesNotMatch: "The Canonical String for this request should have been '...'" and
// "The String-to-Sign should have been '...'" carry every signed header, the session token too.
void find_canonical_request(std::string_view text, std::string_view lower, std::vector<Span>& out) {
  size_t start = lower.find("the canonical string for this request");
  size_t sts = lower.find("the string-to-sign should have been");
  if (start == std::string_view::npos) start = sts;
  if (start == std::string_view::npos) return;
  size_t end = text.size();
  size_t block = sts != std::string_view::npos && sts >= start ? sts : start;
  size_t open = text.find('\'', block);
  if (open != std::string_view::npos) {
    size_t close = text.find('\'', open + 1);
    if (close != std::string_view::npos) end = close + 1;
  }
  out.push_back({start, end, "canonical request echoed by AWS"});
}

void find_private_keys(std::string_view text, std::vector<Span>& out) {
  for (size_t at = text.find("-----BEGIN "); at != std::string_view::npos;
       at = text.find("-----BEGIN ", at + 1)) {
    size_t label_end = text.find("-----", at + 11);
    if (label_end == std::string_view::npos || label_end - at > 80) continue;
    if (text.substr(at, label_end - at).find("PRIVATE KEY") == std::string_view::npos) continue;
    size_t end = text.size();
    if (size_t footer = text.find("-----END ", label_end); footer != std::string_view::npos) {
      size_t close = text.find("-----", footer + 9);
      if (close != std::string_view::npos) end = close + 5;
    }
    out.push_back({at, end, "private key"});
    at = end - 1;
  }
}

// "AWS4-HMAC-SHA256 Credential=AKIA.../scope, SignedHeaders=..., Signature=<hex>".
void find_sigv4_authorization(std::string_view text, std::vector<Span>& out) {
  constexpr std::string_view kScheme = "AWS4-HMAC-SHA256";
  for (size_t at = text.find(kScheme); at != std::string_view::npos;
       at = text.find(kScheme, at + 1)) {
    size_t p = run_end(text, at + kScheme.size(), is_space);
    if (text.substr(p).rfind("Credential=", 0) != 0) continue;
    size_t end = p;
    while (end < text.size() && !is_space(text[end]) && text[end] != '"' && text[end] != '<') ++end;
    size_t signature = text.find("Signature=", p);
    if (signature != std::string_view::npos && signature - p < 2048) {
      end = run_end(text, signature + 10, is_alnum);
    }
    out.push_back({at, end, "AWS signature"});
  }
}

// Headers whose value is a credential, as an echoed request shows them ("Name: value") or a
// query string carries them ("Name=value").
void find_credential_headers(std::string_view text, std::string_view lower,
                             std::vector<Span>& out) {
  static constexpr std::array<std::string_view, 10> kHeaders = {"authorization",
                                                                "proxy-authorization",
                                                                "x-amz-security-token",
                                                                "x-amz-signature",
                                                                "x-api-key",
                                                                "api-key",
                                                                "x-aws-ec2-metadata-token",
                                                                "x-auth-token",
                                                                "set-cookie",
                                                                "cookie"};
  for (std::string_view name : kHeaders) {
    for (size_t at = lower.find(name); at != std::string_view::npos;
         at = lower.find(name, at + 1)) {
      if (at > 0 && (is_alnum(lower[at - 1]) || lower[at - 1] == '-' || lower[at - 1] == '_'))
        continue;
      size_t p = at + name.size();
      if (p < text.size() && (text[p] == '"' || text[p] == '\'')) ++p;
      while (p < text.size() && (text[p] == ' ' || text[p] == '\t')) ++p;
      if (p >= text.size() || (text[p] != ':' && text[p] != '=')) continue;
      ++p;
      while (p < text.size() && (text[p] == ' ' || text[p] == '\t' || text[p] == '"')) ++p;
      if (p >= text.size() || already_redacted(text, p)) continue;
      if (text.substr(p).rfind("AWS4-HMAC-SHA256", 0) == 0) continue;  // find_sigv4_authorization
      size_t end = p;
      if (name == "cookie" || name == "set-cookie") {
        while (end < text.size() && text[end] != '\n' && text[end] != '\r' && text[end] != '"' &&
               text[end] != '<')
          ++end;
      } else {
        size_t word = run_end(text, p, is_alnum);
        if (name.find("authorization") != std::string_view::npos && word < text.size() &&
            text[word] == ' ' && word > p) {
          p = word + 1;  // keep the scheme ("Bearer", "Basic"), mask its credentials
          if (already_redacted(text, p)) continue;
        }
        end = p;
        while (end < text.size() && !ends_value(text[end])) ++end;
      }
      if (end > p) out.push_back({p, end, "credential header"});
    }
  }
}

// A value that cannot be a credential: a flag or a placeholder ("SECRET_KEY_BASE_DUMMY=1",
// "password=", "token=none"). Masking it would only hide what the text says.
bool is_trivial_value(std::string_view v) {
  if (v.size() < 4) return true;
  std::string lower(v);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "true" || lower == "false" || lower == "null" || lower == "none" ||
         lower == "dummy";
}

// "Password=...;" in connection strings, "?token=..." in query strings, "AWS_SECRET=..." in
// environment dumps, and "\"SecretAccessKey\": \"...\"" in JSON text.
void find_credential_assignments(std::string_view text, std::vector<Span>& out) {
  auto name_before = [&](size_t end) {
    size_t begin = end;
    while (begin > 0 && (is_alnum(text[begin - 1]) || text[begin - 1] == '_' ||
                         text[begin - 1] == '-' || text[begin - 1] == '.'))
      --begin;
    return text.substr(begin, end - begin);
  };
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '=') {
      if (!names_a_credential(name_before(i))) continue;
      size_t p = i + 1;
      if (p < text.size() && already_redacted(text, p)) continue;
      size_t end = p;
      while (end < text.size() && !ends_value(text[end])) ++end;
      if (!is_trivial_value(text.substr(p, end - p))) out.push_back({p, end, "credential"});
    } else if (text[i] == '"' && i > 0) {
      // "name": "value"
      size_t p = i + 1;
      while (p < text.size() && text[p] == ' ') ++p;
      if (p >= text.size() || text[p] != ':') continue;
      ++p;
      while (p < text.size() && text[p] == ' ') ++p;
      if (p >= text.size() || text[p] != '"') continue;
      ++p;
      if (!names_a_credential(name_before(i)) || already_redacted(text, p)) continue;
      size_t end = p;
      while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
      end = std::min(end, text.size());
      if (!is_trivial_value(text.substr(p, end - p))) out.push_back({p, end, "credential"});
    }
  }
}

void find_url_passwords(std::string_view text, std::vector<Span>& out) {
  for (size_t at = text.find("://"); at != std::string_view::npos; at = text.find("://", at + 3)) {
    if (at == 0 || !is_alnum(text[at - 1])) continue;
    size_t host = at + 3;
    size_t end = host;
    while (end < text.size() && text[end] != '/' && text[end] != '?' && text[end] != '#' &&
           !is_space(text[end]) && text[end] != '"' && text[end] != '\'' && text[end] != '<' &&
           text[end] != '>')
      ++end;
    std::string_view authority = text.substr(host, end - host);
    size_t at_sign = authority.rfind('@');
    if (at_sign == std::string_view::npos) continue;
    size_t colon = authority.find(':');
    if (colon == std::string_view::npos || colon > at_sign || colon + 1 == at_sign) continue;
    if (already_redacted(text, host + colon + 1)) continue;
    out.push_back({host + colon + 1, host + at_sign, "password"});
  }
}

void find_jwts(std::string_view text, std::vector<Span>& out) {
  for (size_t at = text.find("eyJ"); at != std::string_view::npos; at = text.find("eyJ", at + 1)) {
    if (at > 0 && (is_base64url(text[at - 1]) || text[at - 1] == '.')) continue;
    size_t header_end = run_end(text, at, is_base64url);
    if (header_end - at < 10 || header_end >= text.size() || text[header_end] != '.') continue;
    size_t payload_end = run_end(text, header_end + 1, is_base64url);
    if (payload_end - header_end - 1 < 10) continue;
    size_t end = payload_end;
    if (end < text.size() && text[end] == '.') end = run_end(text, end + 1, is_base64url);
    out.push_back({at, end, "JWT"});
    at = end - 1;
  }
}

void find_access_key_ids(std::string_view text, std::vector<Span>& out) {
  for (size_t at = 0; at + 20 <= text.size(); ++at) {
    if (text[at] != 'A' || (at > 0 && is_alnum(text[at - 1]))) continue;
    std::string_view prefix = text.substr(at, 4);
    if (prefix != "AKIA" && prefix != "ASIA" && prefix != "ABIA" && prefix != "ACCA" &&
        prefix.substr(0, 3) != "A3T")
      continue;
    bool ok = true;
    for (size_t i = at; i < at + 20 && ok; ++i) ok = is_upper(text[i]) || is_digit(text[i]);
    if (!ok || (at + 20 < text.size() && is_alnum(text[at + 20]))) continue;
    if (is_placeholder(text.substr(at, 20))) continue;
    out.push_back({at, at + 20, "AWS access key id"});
    at += 19;
  }
}

void find_session_tokens(std::string_view text, std::vector<Span>& out) {
  // The base64 of the token's first bytes, the same for every STS-issued token.
  static constexpr std::array<std::string_view, 4> kPrefixes = {"IQoJb3JpZ2lu", "FwoGZXIvYXdz",
                                                                "FQoGZXIvYXdz", "AQoDYXdz"};
  auto in_token = [](char c) { return is_base64(c) || c == '=' || c == '%'; };
  for (std::string_view prefix : kPrefixes) {
    for (size_t at = text.find(prefix); at != std::string_view::npos;
         at = text.find(prefix, at + 1)) {
      if (at > 0 && is_base64(text[at - 1])) continue;
      size_t end = at;
      while (end < text.size() && in_token(text[end])) ++end;
      if (end - at < 40 || is_placeholder(text.substr(at, end - at))) continue;
      out.push_back({at, end, "AWS session token"});
    }
  }
}

// 40 base64 characters standing alone, with the mix of cases and digits random keys have and
// none of the long lowercase or hex runs that names, paths and ids have.
bool looks_like_secret_key(std::string_view s) {
  bool upper = false, lower = false, digit = false;
  size_t hex_run = 0, letter_run = 0;
  for (char c : s) {
    upper = upper || is_upper(c);
    lower = lower || is_lower(c);
    digit = digit || is_digit(c);
    hex_run = (is_digit(c) || (c >= 'a' && c <= 'f')) ? hex_run + 1 : 0;
    letter_run = is_lower(c) ? letter_run + 1 : 0;
    if (hex_run >= 12 || letter_run >= 8) return false;
  }
  return upper && lower && digit && !is_placeholder(s);
}

void find_secret_access_keys(std::string_view text, std::vector<Span>& out) {
  for (size_t at = 0; at < text.size();) {
    if (!is_base64(text[at])) {
      ++at;
      continue;
    }
    size_t end = run_end(text, at, is_base64);
    if (end - at == 40 && (end == text.size() || text[end] != '=') &&
        looks_like_secret_key(text.substr(at, 40))) {
      out.push_back({at, end, "AWS secret access key"});
    }
    at = end;
  }
}

void find_bearer_tokens(std::string_view text, std::vector<Span>& out) {
  auto in_token = [](char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=' ||
           c == '-';
  };
  for (std::string_view scheme : {std::string_view("Bearer "), std::string_view("Basic ")}) {
    for (size_t at = text.find(scheme); at != std::string_view::npos;
         at = text.find(scheme, at + 1)) {
      if (at > 0 && is_alnum(text[at - 1])) continue;
      size_t p = at + scheme.size();
      size_t end = p;
      bool digit = false;
      while (end < text.size() && in_token(text[end])) digit = digit || is_digit(text[end++]);
      if (end - p >= 16 && digit) out.push_back({p, end, "bearer token"});
    }
  }
}

// Service tokens whose prefix names them.
void find_prefixed_tokens(std::string_view text, std::vector<Span>& out) {
  struct Prefix {
    std::string_view text;
    size_t min_rest;
  };
  static constexpr std::array<Prefix, 14> kPrefixes = {{{"ghp_", 30},
                                                        {"gho_", 30},
                                                        {"ghu_", 30},
                                                        {"ghs_", 30},
                                                        {"ghr_", 30},
                                                        {"github_pat_", 30},
                                                        {"glpat-", 20},
                                                        {"xoxb-", 20},
                                                        {"xoxp-", 20},
                                                        {"xoxa-", 20},
                                                        {"sk_live_", 16},
                                                        {"rk_live_", 16},
                                                        {"sk-ant-", 20},
                                                        {"sk-", 32}}};
  for (const Prefix& prefix : kPrefixes) {
    for (size_t at = text.find(prefix.text); at != std::string_view::npos;
         at = text.find(prefix.text, at + 1)) {
      if (at > 0 && (is_alnum(text[at - 1]) || text[at - 1] == '_' || text[at - 1] == '-'))
        continue;
      size_t end = run_end(text, at + prefix.text.size(), is_base64url);
      if (end - at - prefix.text.size() >= prefix.min_rest) {
        out.push_back({at, end, "API token"});
      }
    }
  }
}

std::string marker(std::string_view what) { return "[REDACTED: " + std::string(what) + "]"; }

// Splits `line` at whitespace: words[i] follows separators[i]; separators has one more entry.
void split_words(std::string_view line, std::vector<std::string>& words,
                 std::vector<std::string>& separators) {
  size_t i = 0;
  while (true) {
    size_t sep_end = run_end(line, i, is_space);
    separators.emplace_back(line.substr(i, sep_end - i));
    if (sep_end == line.size()) return;
    size_t word_end = sep_end;
    while (word_end < line.size() && !is_space(line[word_end])) ++word_end;
    words.emplace_back(line.substr(sep_end, word_end - sep_end));
    i = word_end;
  }
}

}  // namespace

std::string scrub_secrets(std::string_view text, size_t* replaced) {
  if (text.size() < 8) return std::string(text);
  const std::string lower = ascii_lower(text);
  std::vector<Span> spans;
  find_canonical_request(text, lower, spans);
  find_private_keys(text, spans);
  find_sigv4_authorization(text, spans);
  find_credential_headers(text, lower, spans);
  find_credential_assignments(text, spans);
  find_url_passwords(text, spans);
  find_jwts(text, spans);
  find_access_key_ids(text, spans);
  find_session_tokens(text, spans);
  find_secret_access_keys(text, spans);
  find_bearer_tokens(text, spans);
  find_prefixed_tokens(text, spans);
  if (spans.empty()) return std::string(text);

  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  size_t count = 0;
  for (size_t i = 0; i < spans.size();) {
    Span merged = spans[i];
    for (++i; i < spans.size() && spans[i].begin < merged.end; ++i) {
      merged.end = std::max(merged.end, spans[i].end);
    }
    out.append(text.substr(pos, merged.begin - pos));
    out += marker(merged.what);
    pos = merged.end;
    ++count;
  }
  out.append(text.substr(pos));
  if (replaced) *replaced += count;
  return out;
}

bool names_a_credential(std::string_view name) {
  // Lowercase letters and digits only, and the words (split at separators and camelCase).
  std::string joined;
  std::vector<std::string> words(1);
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (!is_alnum(c)) {
      if (!words.back().empty()) words.emplace_back();
      continue;
    }
    if (is_upper(c) && i > 0 && is_lower(name[i - 1]) && !words.back().empty()) {
      words.emplace_back();
    }
    char folded = is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
    joined.push_back(folded);
    words.back().push_back(folded);
  }
  if (words.back().empty()) words.pop_back();
  if (joined.empty()) return false;

  static constexpr std::array<std::string_view, 11> kNotCredentials = {
      "nexttoken",        "clienttoken",   "continuationtoken", "confirmationtoken",
      "idempotencytoken", "pagetoken",     "nextpagetoken",     "paginationtoken",
      "startingtoken",    "progresstoken", "clientrequesttoken"};
  for (std::string_view n : kNotCredentials) {
    if (joined == n) return false;
  }
  // Paging tokens of every spelling: nextForwardToken, NextBackwardToken, prevToken, ...
  const bool token_last = joined.size() >= 5 && joined.compare(joined.size() - 5, 5, "token") == 0;
  if (token_last && (joined.rfind("next", 0) == 0 || joined.rfind("prev", 0) == 0)) return false;
  static constexpr std::array<std::string_view, 21> kParts = {
      "password",         "passwd",     "passphrase",   "secret",    "token",      "apikey",
      "accesskey",        "privatekey", "licensekey",   "license",   "signingkey", "encryptionkey",
      "masterkey",        "sharedkey",  "accountkey",   "clientkey", "authkey",    "credential",
      "connectionstring", "connstr",    "authorization"};
  for (std::string_view part : kParts) {
    if (joined.find(part) != std::string::npos) return true;
  }
  for (const auto& word : words) {
    if (word == "pwd" || word == "pass" || word == "dsn" || word == "jwt" || word == "cookie" ||
        word == "signature" || word == "sig")
      return true;
  }
  return words.back() == "auth";
}

size_t mask_credential_arguments(std::vector<std::string>& words, std::string_view marker_text) {
  size_t masked = 0;
  for (size_t i = 0; i < words.size(); ++i) {
    std::string& word = words[i];
    if (std::any_of(word.begin(), word.end(), is_space)) {
      word = mask_credential_arguments(word, marker_text, &masked);
      continue;
    }
    // Quotes around a word of a shell line stay where they are.
    size_t begin = 0, end = word.size();
    while (begin < end && (word[begin] == '\'' || word[begin] == '"')) ++begin;
    while (end > begin && (word[end - 1] == '\'' || word[end - 1] == '"')) --end;
    std::string_view body = std::string_view(word).substr(begin, end - begin);
    size_t dashes = 0;
    while (dashes < body.size() && body[dashes] == '-') ++dashes;
    if (size_t eq = body.find('='); eq != std::string_view::npos) {
      if (eq + 1 < body.size() && names_a_credential(body.substr(dashes, eq - dashes)) &&
          !already_redacted(body, eq + 1)) {
        word = word.substr(0, begin + eq + 1) + std::string(marker_text) + word.substr(end);
        ++masked;
      }
    } else if (dashes > 0 && names_a_credential(body.substr(dashes)) && i + 1 < words.size() &&
               !words[i + 1].empty() && words[i + 1][0] != '-' &&
               !already_redacted(words[i + 1], 0)) {
      words[i + 1] = std::string(marker_text);
      ++masked;
      ++i;
    }
  }
  return masked;
}

std::string mask_credential_arguments(std::string_view command_line, std::string_view marker_text,
                                      size_t* masked) {
  std::vector<std::string> words, separators;
  split_words(command_line, words, separators);
  size_t n = mask_credential_arguments(words, marker_text);
  if (masked) *masked += n;
  if (n == 0) return std::string(command_line);
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) out += separators[i] + words[i];
  out += separators.back();
  return out;
}

}  // namespace ecs_mcp
