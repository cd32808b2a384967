// Redaction: the one place where answers lose their secrets before they leave the server.
//
// The product installs Redactor::answer_filter() as the server's answer filter
// (mcp::ServerOptions::answer_filter), so it runs on every tool's answer, structuredContent and
// text, results and errors alike. No tool redacts on its own: a task definition, a stack output
// or a label is masked the same way whichever tool shows it.
//
// Two rules:
// - Known secret formats (common/secret_scrubber.h: AWS access keys, secret keys and session
//   tokens, private keys, JWTs, passwords in URLs, credential headers and assignments) are
//   masked in every string whatever ALLOW_SENSITIVE_DATA says. No diagnosis needs the
//   credential itself, and the marker says what was there ("[REDACTED: JWT]").
// - Unless ALLOW_SENSITIVE_DATA=true, values the configuration marks as secret are masked
//   too, their names kept: container environment values, secrets' valueFrom,
//   repositoryCredentials, string values whose name says they are credentials (log-driver and
//   FireLens options, dockerLabels, tag, parameter and output maps, any member such as
//   authorizationToken), values of name/value pairs whose name does (tags, stack parameters and
//   outputs), and credential-looking arguments in command, entryPoint and health-check
//   commands. These markers say how to see them (kRedactedMarker).
//
// Thread-safety: immutable; redact() may run on many threads at once.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "mcp/server.h"
#include "mcp/tool.h"

namespace ecs_mcp::ecs {

inline constexpr const char* kRedactedMarker = "[REDACTED: set ALLOW_SENSITIVE_DATA=true to view]";

class Redactor {
 public:
  explicit Redactor(bool allow_sensitive_data) : allow_sensitive_data_(allow_sensitive_data) {}

  // Masks in place; returns how many values were masked.
  size_t redact(nlohmann::json& value) const;
  // A text block: JSON text is redacted as JSON (and stays compact JSON); other text loses
  // its known secret formats.
  std::string redact_text(std::string_view text, size_t* masked = nullptr) const;
  // A tool's answer. When anything in structuredContent was masked and the tool's output schema
  // declares `redactedValues`, that member says how many.
  void redact(const mcp::Tool& tool, mcp::ToolResult& result) const;

  mcp::AnswerFilter answer_filter() const;

 private:
  void walk(nlohmann::json& value, size_t& masked) const;

  bool allow_sensitive_data_;
};

}  // namespace ecs_mcp::ecs
