#include "ecs/access.h"

#include <algorithm>

namespace ecs_mcp::ecs {

using mcp::AccessClass;

namespace {
constexpr const char* kWriteHow =
    "Set ALLOW_WRITE=true (or ECS_MCP_ALLOW_WRITE=true) in the server's environment to enable "
    "write operations.";
constexpr const char* kSensitiveHow =
    "Set ALLOW_SENSITIVE_DATA=true (or ECS_MCP_ALLOW_SENSITIVE_DATA=true) in the server's "
    "environment to enable access to sensitive data.";
}  // namespace

bool AccessGate::allows(AccessClass access) const {
  switch (access) {
    case AccessClass::kRead:
      return true;
    case AccessClass::kSensitiveRead:
      return policy_.allow_sensitive_data;
    case AccessClass::kWrite:
    case AccessClass::kDestructive:
      return policy_.allow_write;
    case AccessClass::kExec:
      return policy_.allow_write && policy_.allow_sensitive_data;
  }
  return false;
}

std::optional<std::string> AccessGate::refusal(const std::string& operation,
                                               AccessClass access) const {
  if (allows(access)) return std::nullopt;
  switch (access) {
    case AccessClass::kRead:
      return std::nullopt;
    case AccessClass::kSensitiveRead:
      return "Operation " + operation +
             " requires SENSITIVE DATA access: it can return logs or configuration that may "
             "contain secrets. " +
             kSensitiveHow;
    case AccessClass::kWrite:
      return "Operation " + operation + " requires WRITE permission. " + kWriteHow;
    case AccessClass::kDestructive:
      return "Operation " + operation +
             " requires WRITE permission (it deletes or stops resources). " + kWriteHow;
    case AccessClass::kExec: {
      std::string missing;
      if (!policy_.allow_write) missing += std::string(" ") + kWriteHow;
      if (!policy_.allow_sensitive_data) missing += std::string(" ") + kSensitiveHow;
      return "Operation " + operation +
             " runs commands inside containers and requires both WRITE permission and "
             "SENSITIVE DATA access." +
             missing;
    }
  }
  return "Operation " + operation + " is not allowed";
}

mcp::CallGuard AccessGate::guard() const {
  return [gate = *this](const mcp::Tool& tool, const mcp::json& arguments, AccessClass access) {
    return gate.refusal(tool.operation_name(arguments), access);
  };
}

void AccessGate::annotate_listing(mcp::Tool& tool) const {
  const auto& classes = tool.access_classes;
  bool any_allowed =
      std::any_of(classes.begin(), classes.end(), [&](AccessClass a) { return allows(a); });
  bool needs_write = false, needs_sensitive = false;
  for (AccessClass a : classes) {
    if (allows(a)) continue;
    needs_write =
        needs_write ||
        ((a == AccessClass::kWrite || a == AccessClass::kDestructive || a == AccessClass::kExec) &&
         !policy_.allow_write);
    needs_sensitive =
        needs_sensitive || ((a == AccessClass::kSensitiveRead || a == AccessClass::kExec) &&
                            !policy_.allow_sensitive_data);
  }
  if (!needs_write && !needs_sensitive) return;
  std::string vars;
  if (needs_write) vars += "ALLOW_WRITE=true";
  if (needs_sensitive)
    vars += std::string(vars.empty() ? "" : " and ") + "ALLOW_SENSITIVE_DATA=true";
  if (!any_allowed) {
    tool.description +=
        "\n\nUNAVAILABLE now: every call is refused until the server runs with " + vars + ".";
  } else {
    tool.description += "\n\nNow some operations are refused; they need " + vars + ".";
  }
}

}  // namespace ecs_mcp::ecs
