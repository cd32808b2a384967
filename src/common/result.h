// Result<T> and Status: errors as values across module boundaries.
//
// Every fallible call in aws/ and mcp/ returns one of these instead of throwing. An Error
// keeps a typed code (ErrorCode: what kind of failure, for code to branch on), a message for
// people, and, when a remote service answered with an error, that service's own code as data
// (`service_code`, e.g. "ThrottlingException"), the HTTP status and the request id, so they
// reach the user unchanged.
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace ecs_mcp {

// What kind of failure an Error is. Each value prints as its name without the leading k
// (kErrorCodeNames); those names are part of what users and tests read, so keep them.
enum class ErrorCode {
  // A remote service (an AWS API, a model provider) answered with an error; Error::service_code
  // holds the service's own code.
  kServiceError,
  kCancelled,  // the caller or the user cancelled the work
  kTimeout,
  kInternalError,
  kInvalidArgument,
  kInvalidState,
  kInvalidResponse,  // an answer that cannot be read as what the protocol promises
  kUnexpectedResponse,
  kUnsupported,
  kUsageError,
  kNotFound,
  kAlreadyExists,
  // Files, processes and the system
  kInvalidPath,
  kSensitivePath,
  kNotRegularFile,
  kFileTooLarge,
  kReadFailed,
  kWriteFailed,
  kPipeFailed,
  kSpawnFailed,
  kRandomUnavailable,
  kLogSetupFailed,
  // HTTP and URLs
  kHttpError,
  kHttpStatus,
  kHttpTimeout,
  kHttpConnectError,
  kHttpSendError,
  kHttpRecvError,
  kHttpTlsError,
  kHttpBodyTooLarge,
  kHttpUnsupportedScheme,
  kHttpListenFailed,
  kInsecureBind,
  kInvalidUrl,
  kRefusedUrl,
  kTooManyRedirects,
  kNoHttpClient,
  kRateLimited,
  // MCP and JSON-RPC peers
  kRpcError,  // the peer answered a request with a JSON-RPC error
  kUnsupportedProtocolVersion,
  kTransportClosed,
  kSessionExpired,  // a Streamable HTTP server no longer knows the session
  kServerExited,
  kServerUnavailable,
  kInvalidTool,
  kInvalidMcpConfig,
  kKnowledgeToolError,
  kNotStarted,
  kScriptEnded,
  // AWS configuration, credentials and endpoints
  kAwsError,  // an AWS call failed; the message says which and why
  kNoCredentials,
  kMissingCredentials,
  kCredentialsNotConfigured,  // one provider of the chain has nothing: try the next
  kPartialCredentials,
  kProfileNotFound,
  kInvalidProfile,
  kUnsupportedCredentialSource,
  kCredentialProcessError,
  kContainerCredentialsError,
  kInvalidContainerCredentialsUri,
  kInstanceMetadataError,
  kWebIdentityTokenError,
  kConfigParseError,
  kConfigReadError,
  kNoRegion,
  kInvalidRegion,
  kInvalidEndpoint,
  kUnknownOperation,
  kUnsupportedOperation,
  // The product: deployment, troubleshooting, the agent
  kInvalidConfiguration,
  kInvalidName,
  kUnknownApplication,
  kToolchainData,
  kTemplateError,
  kInvalidTemplate,
  kBuildFailed,
  kPushFailed,
  kNoImage,
  kStackBusy,
  kStackFailed,
  kDeploymentFailed,  // a deployment stopped part way; the message says what is deployed
  kNoDockerfile,
  kTemplateMismatch,  // a deployed template is not the one this server would write
  kStackNotUpdatable,
  kNotOurs,
  kTaskNotFound,
  kConfirmationExpired,
  kConfirmationMismatch,
  kConfirmationRequired,  // a person must confirm and the client cannot ask them
  kConfirmationDeclined,  // the person declined, dismissed or did not answer
  kConfirmationFailed,    // the question could not be asked or its answer was malformed
  kNoProvider,
  kProviderError,  // a model provider failed without naming an error code
};

// The one table of printed names, in enum order (checked below).
inline constexpr auto kErrorCodeNames = std::to_array<std::pair<ErrorCode, std::string_view>>({
    {ErrorCode::kServiceError, "ServiceError"},
    {ErrorCode::kCancelled, "Cancelled"},
    {ErrorCode::kTimeout, "Timeout"},
    {ErrorCode::kInternalError, "InternalError"},
    {ErrorCode::kInvalidArgument, "InvalidArgument"},
    {ErrorCode::kInvalidState, "InvalidState"},
    {ErrorCode::kInvalidResponse, "InvalidResponse"},
    {ErrorCode::kUnexpectedResponse, "UnexpectedResponse"},
    {ErrorCode::kUnsupported, "Unsupported"},
    {ErrorCode::kUsageError, "UsageError"},
    {ErrorCode::kNotFound, "NotFound"},
    {ErrorCode::kAlreadyExists, "AlreadyExists"},
    {ErrorCode::kInvalidPath, "InvalidPath"},
    {ErrorCode::kSensitivePath, "SensitivePath"},
    {ErrorCode::kNotRegularFile, "NotRegularFile"},
    {ErrorCode::kFileTooLarge, "FileTooLarge"},
    {ErrorCode::kReadFailed, "ReadFailed"},
    {ErrorCode::kWriteFailed, "WriteFailed"},
    {ErrorCode::kPipeFailed, "PipeFailed"},
    {ErrorCode::kSpawnFailed, "SpawnFailed"},
    {ErrorCode::kRandomUnavailable, "RandomUnavailable"},
    {ErrorCode::kLogSetupFailed, "LogSetupFailed"},
    {ErrorCode::kHttpError, "HttpError"},
    {ErrorCode::kHttpStatus, "HttpStatus"},
    {ErrorCode::kHttpTimeout, "HttpTimeout"},
    {ErrorCode::kHttpConnectError, "HttpConnectError"},
    {ErrorCode::kHttpSendError, "HttpSendError"},
    {ErrorCode::kHttpRecvError, "HttpRecvError"},
    {ErrorCode::kHttpTlsError, "HttpTlsError"},
    {ErrorCode::kHttpBodyTooLarge, "HttpBodyTooLarge"},
    {ErrorCode::kHttpUnsupportedScheme, "HttpUnsupportedScheme"},
    {ErrorCode::kHttpListenFailed, "HttpListenFailed"},
    {ErrorCode::kInsecureBind, "InsecureBind"},
    {ErrorCode::kInvalidUrl, "InvalidUrl"},
    {ErrorCode::kRefusedUrl, "RefusedUrl"},
    {ErrorCode::kTooManyRedirects, "TooManyRedirects"},
    {ErrorCode::kNoHttpClient, "NoHttpClient"},
    {ErrorCode::kRateLimited, "RateLimited"},
    {ErrorCode::kRpcError, "RpcError"},
    {ErrorCode::kUnsupportedProtocolVersion, "UnsupportedProtocolVersion"},
    {ErrorCode::kTransportClosed, "TransportClosed"},
    {ErrorCode::kSessionExpired, "SessionExpired"},
    {ErrorCode::kServerExited, "ServerExited"},
    {ErrorCode::kServerUnavailable, "ServerUnavailable"},
    {ErrorCode::kInvalidTool, "InvalidTool"},
    {ErrorCode::kInvalidMcpConfig, "InvalidMcpConfig"},
    {ErrorCode::kKnowledgeToolError, "KnowledgeToolError"},
    {ErrorCode::kNotStarted, "NotStarted"},
    {ErrorCode::kScriptEnded, "ScriptEnded"},
    {ErrorCode::kAwsError, "AwsError"},
    {ErrorCode::kNoCredentials, "NoCredentials"},
    {ErrorCode::kMissingCredentials, "MissingCredentials"},
    {ErrorCode::kCredentialsNotConfigured, "CredentialsNotConfigured"},
    {ErrorCode::kPartialCredentials, "PartialCredentials"},
    {ErrorCode::kProfileNotFound, "ProfileNotFound"},
    {ErrorCode::kInvalidProfile, "InvalidProfile"},
    {ErrorCode::kUnsupportedCredentialSource, "UnsupportedCredentialSource"},
    {ErrorCode::kCredentialProcessError, "CredentialProcessError"},
    {ErrorCode::kContainerCredentialsError, "ContainerCredentialsError"},
    {ErrorCode::kInvalidContainerCredentialsUri, "InvalidContainerCredentialsUri"},
    {ErrorCode::kInstanceMetadataError, "InstanceMetadataError"},
    {ErrorCode::kWebIdentityTokenError, "WebIdentityTokenError"},
    {ErrorCode::kConfigParseError, "ConfigParseError"},
    {ErrorCode::kConfigReadError, "ConfigReadError"},
    {ErrorCode::kNoRegion, "NoRegion"},
    {ErrorCode::kInvalidRegion, "InvalidRegion"},
    {ErrorCode::kInvalidEndpoint, "InvalidEndpoint"},
    {ErrorCode::kUnknownOperation, "UnknownOperation"},
    {ErrorCode::kUnsupportedOperation, "UnsupportedOperation"},
    {ErrorCode::kInvalidConfiguration, "InvalidConfiguration"},
    {ErrorCode::kInvalidName, "InvalidName"},
    {ErrorCode::kUnknownApplication, "UnknownApplication"},
    {ErrorCode::kToolchainData, "ToolchainData"},
    {ErrorCode::kTemplateError, "TemplateError"},
    {ErrorCode::kInvalidTemplate, "InvalidTemplate"},
    {ErrorCode::kBuildFailed, "BuildFailed"},
    {ErrorCode::kPushFailed, "PushFailed"},
    {ErrorCode::kNoImage, "NoImage"},
    {ErrorCode::kStackBusy, "StackBusy"},
    {ErrorCode::kStackFailed, "StackFailed"},
    {ErrorCode::kDeploymentFailed, "DeploymentFailed"},
    {ErrorCode::kNoDockerfile, "NoDockerfile"},
    {ErrorCode::kTemplateMismatch, "TemplateMismatch"},
    {ErrorCode::kStackNotUpdatable, "StackNotUpdatable"},
    {ErrorCode::kNotOurs, "NotOurs"},
    {ErrorCode::kTaskNotFound, "TaskNotFound"},
    {ErrorCode::kConfirmationExpired, "ConfirmationExpired"},
    {ErrorCode::kConfirmationMismatch, "ConfirmationMismatch"},
    {ErrorCode::kConfirmationRequired, "ConfirmationRequired"},
    {ErrorCode::kConfirmationDeclined, "ConfirmationDeclined"},
    {ErrorCode::kConfirmationFailed, "ConfirmationFailed"},
    {ErrorCode::kNoProvider, "NoProvider"},
    {ErrorCode::kProviderError, "ProviderError"},
});

namespace detail {
constexpr bool error_code_names_in_order() {
  for (size_t i = 0; i < kErrorCodeNames.size(); ++i) {
    if (static_cast<size_t>(kErrorCodeNames[i].first) != i) return false;
  }
  return static_cast<size_t>(ErrorCode::kProviderError) + 1 == kErrorCodeNames.size();
}
}  // namespace detail
static_assert(detail::error_code_names_in_order(),
              "kErrorCodeNames must list every ErrorCode once, in declaration order");

constexpr std::string_view error_code_name(ErrorCode code) {
  return kErrorCodeNames[static_cast<size_t>(code)].second;
}

// For test failure messages and logs.
std::ostream& operator<<(std::ostream& out, ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternalError;
  std::string message;
  std::string request_id;    // AWS x-amzn-RequestId / RequestId when known
  int http_status = 0;       // 0 when the error never reached HTTP
  std::string service_code;  // with kServiceError: the service's own code ("ThrottlingException")

  // The code as printed: the service's own code when there is one, else the ErrorCode's name.
  std::string name() const {
    return service_code.empty() ? std::string(error_code_name(code)) : service_code;
  }

  bool is_cancelled() const { return code == ErrorCode::kCancelled; }
  // True when a remote service answered with exactly this code.
  bool is_service_error(std::string_view which) const {
    return code == ErrorCode::kServiceError && service_code == which;
  }

  // The same kind of error (code and service code) told with a new message; the HTTP status and
  // request id stay with the original, which the new message usually quotes.
  Error with_message(std::string new_message) const {
    return Error{code, std::move(new_message), {}, 0, service_code};
  }

  // "Code: message (HTTP 400, request id abc)" — the form shown to users.
  std::string describe() const {
    std::string out = name() + ": " + message;
    if (http_status != 0 || !request_id.empty()) {
      out += " (";
      if (http_status != 0) out += "HTTP " + std::to_string(http_status);
      if (!request_id.empty()) {
        if (http_status != 0) out += ", ";
        out += "request id " + request_id;
      }
      out += ")";
    }
    return out;
  }
};

inline Error make_error(ErrorCode code, std::string message) {
  return Error{code, std::move(message), {}, 0, {}};
}

// An error a remote service answered with, named by the service's own code.
inline Error make_service_error(std::string service_code, std::string message) {
  return Error{ErrorCode::kServiceError, std::move(message), {}, 0, std::move(service_code)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& take_error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

// The result of a call that produces no value.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
  static Status Ok() { return {}; }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace ecs_mcp

// Early returns for functions that answer a Status or a Result<U>.
//
//   ECS_MCP_RETURN_IF_ERROR(write_all(fd, text));     // a failed Status or Result: its error
//   ECS_MCP_ASSIGN_OR_RETURN(auto body, read(path));  // the value of a Result, or its error
#define ECS_MCP_RETURN_IF_ERROR(expr)                                                              \
  do {                                                                                             \
    if (auto&& ecs_mcp_checked_ = (expr); !ecs_mcp_checked_.ok()) return ecs_mcp_checked_.error(); \
  } while (false)

#define ECS_MCP_CONCAT_INNER_(a, b) a##b
#define ECS_MCP_CONCAT_(a, b) ECS_MCP_CONCAT_INNER_(a, b)
#define ECS_MCP_ASSIGN_OR_RETURN(lhs, expr) \
  ECS_MCP_ASSIGN_OR_RETURN_IMPL_(ECS_MCP_CONCAT_(ecs_mcp_result_, __COUNTER__), lhs, expr)
#define ECS_MCP_ASSIGN_OR_RETURN_IMPL_(result, lhs, expr) \
  auto&& result = (expr);                                 \
  if (!result.ok()) return result.error();                \
  lhs = std::forward<decltype(result)>(result).value()
