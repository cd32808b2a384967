#include "aws/credential_providers.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <vector>

#include "aws/credential_sts.h"
#include "aws/region.h"
#include "common/json_fields.h"
#include "common/strings.h"
#include "common/url.h"

namespace ecs_mcp::aws {

namespace {

Error not_configured(std::string message) {
  return make_error(kCredentialsNotConfigured, std::move(message));
}

bool is_not_configured(const Error& e) { return e.code == kCredentialsNotConfigured; }

std::string quote(std::string_view s) { return "'" + std::string(s) + "'"; }

// A token file's text, or nullopt when it cannot be read: missing, not a regular file (a FIFO
// would block the credential refresh for ever), or over 64 KiB (a web identity token is a JWT
// of a few kilobytes; a container authorization token is shorter).
std::optional<std::string> read_token_file(const Os& os, const std::string& path) {
  auto text = os.read_file(path, 64 << 10);
  if (!text) return std::nullopt;
  return std::move(*text);
}

std::string trim_trailing_space(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

std::string default_session_name(const CredentialContext& context) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(context.now().time_since_epoch()).count();
  return "ecs-mcp-" + std::to_string(seconds);
}

// The region STS is called in: the same one the profile's service calls would use, or none
// (then the global endpoint).
std::string sts_region(CredentialContext& context, std::string_view profile_name) {
  auto config = context.shared_config();
  auto region = resolve_region(context.os(), config ? config->get() : nullptr, profile_name);
  return region ? *region : std::string();
}

// The JSON both the container endpoint and IMDS answer with.
Result<Credentials> parse_metadata_credentials(const std::string& body, ErrorCode code,
                                               std::string source,
                                               std::chrono::system_clock::time_point now) {
  const nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return make_error(code, source + ": the response is not a JSON object");
  }
  auto field = [&](const char* name) { return string_field(doc, name); };
  if (const std::string status = field("Code"); !status.empty() && status != "Success") {
    return make_error(code,
                      source + ": the endpoint answered Code=" + status + ": " + field("Message"));
  }
  Credentials out;
  out.access_key_id = field("AccessKeyId");
  out.secret_access_key = field("SecretAccessKey");
  out.session_token = field("Token");
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    return make_error(code, source + ": the response lacks AccessKeyId or SecretAccessKey");
  }
  if (const std::string expiration = field("Expiration"); !expiration.empty()) {
    out.expiration = parse_iso8601(expiration);
  }
  // Temporary credentials whose expiry cannot be read must not be cached for ever: assume a
  // short life so they are fetched again soon.
  if (!out.expiration && !out.session_token.empty()) {
    out.expiration = now + std::chrono::minutes(10);
  }
  out.source = std::move(source);
  return out;
}

// The hosts the CLI accepts in AWS_CONTAINER_CREDENTIALS_FULL_URI: loopback, the ECS agent
// and the EKS Pod Identity agent. Anything else could leak the authorization token.
bool allowed_container_host(const std::string& host) {
  return is_loopback_host(host) || host == "169.254.170.2" || host == "169.254.170.23" ||
         host == "fd00:ec2::23";
}

}  // namespace

// ---------------------------------------------------------------------------------------------

CredentialContext::CredentialContext(std::shared_ptr<const Os> os, std::shared_ptr<HttpClient> http,
                                     ChainOptions options)
    : os_(os ? std::move(os) : real_os()), http_(std::move(http)), options_(std::move(options)) {
  if (!options_.profile.empty()) {
    profile_name_ = options_.profile;
    profile_explicit_ = true;
    profile_origin_ = "the profile option";
  } else {
    profile_name_ = selected_profile_name(*os_);
    profile_explicit_ = profile_selected_explicitly(*os_);
    profile_origin_ = os_->env("AWS_PROFILE") ? "AWS_PROFILE" : "AWS_DEFAULT_PROFILE";
  }
  if (options_.shared_config) shared_config_.emplace(options_.shared_config);
}

Result<std::shared_ptr<const SharedConfig>> CredentialContext::shared_config() {
  std::lock_guard lock(mu_);
  if (!shared_config_) {
    auto loaded = SharedConfig::load(*os_);
    if (loaded) {
      shared_config_.emplace(std::make_shared<const SharedConfig>(std::move(*loaded)));
    } else {
      shared_config_.emplace(std::move(loaded).take_error());
    }
  }
  return *shared_config_;
}

// ---------------------------------------------------------------------------------------------

Result<Credentials> EnvironmentCredentialsProvider::get() {
  const Os& os = context_->os();
  auto key = os.env("AWS_ACCESS_KEY_ID");
  auto secret = os.env("AWS_SECRET_ACCESS_KEY");
  if (!key && !secret) {
    return not_configured(
        "environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY: not set");
  }
  if (!key || !secret) {
    return make_error(ErrorCode::kPartialCredentials,
                      std::string(key ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") +
                          " is set but " + (key ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") +
                          " is not: set both, or unset both to use another credential source");
  }
  Credentials out;
  out.access_key_id = *key;
  out.secret_access_key = *secret;
  out.session_token =
      os.env("AWS_SESSION_TOKEN").value_or(os.env("AWS_SECURITY_TOKEN").value_or(""));
  out.source = "environment";
  return out;
}

// ---------------------------------------------------------------------------------------------

namespace {

// Resolves one profile, following source_profile links. `visited` is the path so far, for
// cycle detection and messages.
class ProfileResolver {
 public:
  ProfileResolver(std::shared_ptr<CredentialContext> context, const SharedConfig& config,
                  std::string top)
      : context_(std::move(context)), config_(config), top_(std::move(top)) {}

  Result<Credentials> resolve(const Profile& profile, std::vector<std::string>& visited) {
    visited.push_back(profile.name);
    const std::string label = "profile " + quote(profile.name);

    if (auto role_arn = profile.get("role_arn")) return assume_role(profile, *role_arn, visited);
    if (profile.get("web_identity_token_file")) {
      return invalid(label + " has web_identity_token_file but no role_arn");
    }
    if (auto key = profile.get("aws_access_key_id")) {
      auto secret = profile.get("aws_secret_access_key");
      if (!secret) {
        return make_error(ErrorCode::kPartialCredentials, label +
                                                              " has aws_access_key_id but no "
                                                              "aws_secret_access_key (" +
                                                              files() + ")");
      }
      Credentials out;
      out.access_key_id = *key;
      out.secret_access_key = *secret;
      out.session_token = profile.get("aws_session_token").value_or("");
      out.source = label;
      return out;
    }
    if (auto command = profile.get("credential_process")) {
      return run_credential_process(context_->os(), *command, context_->options().process_timeout,
                                    "credential_process of " + label);
    }
    if (profile.get("sso_session") || profile.get("sso_start_url")) {
      return make_error(
          ErrorCode::kUnsupportedCredentialSource,
          label +
              " uses IAM Identity Center (SSO), which this server cannot log in to. Add "
              "'credential_process = aws configure export-credentials --profile " +
              profile.name +
              " --format process' to a profile, or export the credentials with "
              "`aws configure export-credentials --profile " +
              profile.name + " --format env`.");
    }
    return not_configured(label + " in " + files() +
                          ": has no credentials (no aws_access_key_id, role_arn, "
                          "credential_process or web_identity_token_file)");
  }

 private:
  std::string files() const { return config_.credentials_path() + " / " + config_.config_path(); }

  Error invalid(const std::string& message) {
    return make_error(ErrorCode::kInvalidProfile, message + " (" + files() + ")");
  }

  Result<Credentials> assume_role(const Profile& profile, const std::string& role_arn,
                                  std::vector<std::string>& visited) {
    const std::string label = "profile " + quote(profile.name);
    if (profile.get("mfa_serial")) {
      return make_error(ErrorCode::kUnsupportedCredentialSource,
                        label +
                            " sets mfa_serial, which needs an interactive MFA prompt this "
                            "server cannot show. Use a profile without MFA, or export "
                            "temporary credentials obtained with `aws sts assume-role`.");
    }
    AssumeRoleParams params;
    params.role_arn = role_arn;
    params.role_session_name =
        profile.get("role_session_name").value_or(default_session_name(*context_));
    params.external_id = profile.get("external_id").value_or("");
    if (auto duration = profile.get("duration_seconds")) {
      int seconds = 0;
      const char* end = duration->data() + duration->size();
      auto [stop, ec] = std::from_chars(duration->data(), end, seconds);
      if (ec != std::errc() || stop != end || seconds <= 0) {
        return invalid(label + ": duration_seconds is not a positive number: " + *duration);
      }
      params.duration_seconds = seconds;
    }
    params.source = label + " (role " + role_arn + ")";
    HttpClient* http = context_->http();
    if (http == nullptr) {
      return make_error(ErrorCode::kNoHttpClient, label + ": assuming a role needs an HTTP client");
    }
    const std::string region = sts_region(*context_, top_);

    if (auto token_file = profile.get("web_identity_token_file")) {
      auto token = read_token_file(context_->os(), *token_file);
      if (!token) {
        return make_error(ErrorCode::kWebIdentityTokenError,
                          label + ": cannot read web_identity_token_file " + *token_file);
      }
      return sts_assume_role_with_web_identity(*http, context_->shared_os(), region, params,
                                               trim_trailing_space(*token));
    }

    auto source_profile = profile.get("source_profile");
    auto credential_source = profile.get("credential_source");
    if (source_profile && credential_source) {
      return invalid(label + " sets both source_profile and credential_source; keep one");
    }
    if (!source_profile && !credential_source) {
      return invalid(label + " has role_arn but neither source_profile nor credential_source");
    }
    Result<Credentials> source = source_profile
                                     ? source_credentials(profile, *source_profile, visited)
                                     : credential_source_credentials(profile, *credential_source);
    if (!source) return source;
    return sts_assume_role(*http, context_->shared_os(), region, *source, params);
  }

  Result<Credentials> source_credentials(const Profile& profile, const std::string& source_name,
                                         std::vector<std::string>& visited) {
    const std::string label = "profile " + quote(profile.name);
    if (source_name == profile.name) {
      // A profile may name itself: its own static keys are the source of its role.
      auto key = profile.get("aws_access_key_id");
      auto secret = profile.get("aws_secret_access_key");
      if (!key || !secret) {
        return invalid(label + " names itself as source_profile but has no static keys");
      }
      return Credentials{*key, *secret, profile.get("aws_session_token").value_or(""), std::nullopt,
                         label};
    }
    if (std::find(visited.begin(), visited.end(), source_name) != visited.end()) {
      std::string cycle;
      for (const auto& name : visited) cycle += name + " -> ";
      return invalid("source_profile cycle: " + cycle + source_name);
    }
    auto source = config_.profile(source_name);
    if (!source) {
      return make_error(
          ErrorCode::kProfileNotFound,
          label + " names source_profile " + quote(source_name) + ", which is not in " + files());
    }
    auto resolved = resolve(*source, visited);
    if (!resolved && is_not_configured(resolved.error())) {
      return invalid(label + ": its source_profile " + quote(source_name) + " has no credentials");
    }
    return resolved;
  }

  Result<Credentials> credential_source_credentials(const Profile& profile,
                                                    const std::string& source_name) {
    const std::string label = "profile " + quote(profile.name);
    std::unique_ptr<CredentialsProvider> provider;
    if (source_name == "Environment") {
      provider = std::make_unique<EnvironmentCredentialsProvider>(context_);
    } else if (source_name == "EcsContainer") {
      provider = std::make_unique<ContainerCredentialsProvider>(context_);
    } else if (source_name == "Ec2InstanceMetadata") {
      provider = std::make_unique<InstanceMetadataCredentialsProvider>(context_, /*required=*/true);
    } else {
      return invalid(label + ": unknown credential_source " + quote(source_name) +
                     " (expected Environment, EcsContainer or Ec2InstanceMetadata)");
    }
    Result<Credentials> out = provider->get();
    if (!out && is_not_configured(out.error())) {
      return make_error(ErrorCode::kInvalidProfile, label + ": credential_source " + source_name +
                                                        " found nothing: " + out.error().message);
    }
    return out;
  }

  std::shared_ptr<CredentialContext> context_;
  const SharedConfig& config_;
  std::string top_;
};

}  // namespace

Status ProfileCredentialsProvider::check_profile_exists() {
  auto config = context_->shared_config();
  if (!config) return config.error();
  const std::string name = profile_.empty() ? context_->profile_name() : profile_;
  const bool must_exist = !profile_.empty() || context_->profile_explicit();
  if (!must_exist || (*config)->profile(name)) return Status::Ok();
  std::string known;
  for (const auto& n : (*config)->profile_names()) known += (known.empty() ? "" : ", ") + n;
  const std::string section = name == "default" ? "[default]" : "[profile " + name + "]";
  return make_error(
      ErrorCode::kProfileNotFound,
      "The AWS profile " + quote(name) + " (selected by " +
          (profile_.empty() ? context_->profile_origin() : std::string("the caller")) +
          ") is not in " + (*config)->credentials_path() + " or " + (*config)->config_path() +
          ". " +
          (known.empty() ? std::string("Those files define no profiles.")
                         : "Profiles found: " + known + ".") +
          " Select an existing profile, or add a [" + name +
          "] section to the credentials "
          "file or a " +
          section + " section to the config file (`aws configure --profile " + name +
          "` writes one).");
}

Result<Credentials> ProfileCredentialsProvider::get() {
  if (Status exists = check_profile_exists(); !exists) return exists.error();
  auto config = context_->shared_config();
  if (!config) return config.error();
  const std::string name = profile_.empty() ? context_->profile_name() : profile_;
  auto profile = (*config)->profile(name);
  if (!profile) {
    return not_configured("profile " + quote(name) + " in the shared credentials file " +
                          (*config)->credentials_path() + " and the config file " +
                          (*config)->config_path() + ": not found");
  }
  std::vector<std::string> visited;
  return ProfileResolver(context_, **config, name).resolve(*profile, visited);
}

// ---------------------------------------------------------------------------------------------

Result<Credentials> WebIdentityCredentialsProvider::get() {
  const Os& os = context_->os();
  auto token_file = os.env("AWS_WEB_IDENTITY_TOKEN_FILE");
  auto role_arn = os.env("AWS_ROLE_ARN");
  if (!token_file || !role_arn) {
    return not_configured(
        std::string("web identity (AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN): ") +
        (!token_file && !role_arn ? "not set"
         : token_file             ? "AWS_ROLE_ARN not set"
                                  : "AWS_WEB_IDENTITY_TOKEN_FILE not set"));
  }
  HttpClient* http = context_->http();
  if (http == nullptr) {
    return make_error(ErrorCode::kNoHttpClient, "web identity credentials need an HTTP client");
  }
  // Read every time: the token file is rotated underneath us (EKS refreshes it hourly).
  auto token = read_token_file(os, *token_file);
  if (!token) {
    return make_error(ErrorCode::kWebIdentityTokenError,
                      "cannot read AWS_WEB_IDENTITY_TOKEN_FILE " + *token_file);
  }
  AssumeRoleParams params;
  params.role_arn = *role_arn;
  params.role_session_name =
      os.env("AWS_ROLE_SESSION_NAME").value_or(default_session_name(*context_));
  params.source = "web identity (role " + *role_arn + ")";
  return sts_assume_role_with_web_identity(*http, context_->shared_os(),
                                           sts_region(*context_, context_->profile_name()), params,
                                           trim_trailing_space(*token));
}

// ---------------------------------------------------------------------------------------------

Result<Credentials> ContainerCredentialsProvider::get() {
  const Os& os = context_->os();
  std::string url;
  if (auto relative = os.env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
    url = context_->options().container_endpoint + *relative;
  } else if (auto full = os.env("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
    // Checked with the parser the transport connects with, so the check and the connection
    // agree on which host is meant.
    auto parsed = parse_url(*full);
    if (!parsed) {
      return make_error(ErrorCode::kInvalidContainerCredentialsUri,
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL: " + quote(*full));
    }
    const std::string host = parsed->bare_host();
    if (!allowed_container_host(host)) {
      return make_error(ErrorCode::kInvalidContainerCredentialsUri,
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI host " + quote(host) +
                            " is not allowed: use a loopback address, 169.254.170.2, "
                            "169.254.170.23 or fd00:ec2::23");
    }
    url = *full;
  } else {
    return not_configured(
        "container credentials (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or "
        "AWS_CONTAINER_CREDENTIALS_FULL_URI): not set");
  }
  HttpClient* http = context_->http();
  if (http == nullptr) {
    return make_error(ErrorCode::kNoHttpClient, "container credentials need an HTTP client");
  }

  HttpRequest request;
  request.method = "GET";
  request.url = url;
  request.connect_timeout = context_->options().container_timeout;
  request.timeout = context_->options().container_timeout;
  std::optional<std::string> token;
  if (auto token_file = os.env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
    token = read_token_file(os, *token_file);
    if (!token) {
      return make_error(ErrorCode::kContainerCredentialsError,
                        "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + *token_file);
    }
    token = trim_trailing_space(*token);
  } else {
    token = os.env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }
  if (token) {
    if (token->find_first_of("\r\n") != std::string::npos) {
      return make_error(ErrorCode::kContainerCredentialsError,
                        "the container authorization token contains a line break");
    }
    request.headers.emplace_back("Authorization", *token);
  }
  request.headers.emplace_back("Accept", "application/json");

  // The agent is local; one retry covers a restart or a momentary hiccup.
  Result<HttpResponse> response = http->send(request);
  if (!response || response->status >= 500) response = http->send(request);
  const std::string source = "container credentials (" + url + ")";
  if (!response) {
    return make_error(ErrorCode::kContainerCredentialsError,
                      source + ": " + response.error().describe());
  }
  if (response->status != 200) {
    Error e = make_error(ErrorCode::kContainerCredentialsError,
                         source + ": HTTP " + std::to_string(response->status) + ": " +
                             response->body.substr(0, 300));
    e.http_status = response->status;
    return e;
  }
  return parse_metadata_credentials(response->body, ErrorCode::kContainerCredentialsError, source,
                                    context_->now());
}

// ---------------------------------------------------------------------------------------------

Result<Credentials> InstanceMetadataCredentialsProvider::get() {
  const Os& os = context_->os();
  std::string endpoint = context_->options().imds_endpoint;
  if (endpoint.empty()) endpoint = os.env("AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or("");
  if (endpoint.empty()) {
    const bool ipv6 =
        ascii_lower(os.env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").value_or("")) == "ipv6";
    endpoint = ipv6 ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
  }
  while (endpoint.ends_with('/')) endpoint.pop_back();
  const std::string label = "EC2 instance metadata (IMDSv2 at " + endpoint + ")";

  auto fail = [&](const std::string& why) -> Error {
    return required_ ? make_error(ErrorCode::kInstanceMetadataError, label + ": " + why)
                     : not_configured(label + ": " + why);
  };
  if (ascii_lower(os.env("AWS_EC2_METADATA_DISABLED").value_or("")) == "true") {
    return fail("disabled by AWS_EC2_METADATA_DISABLED=true");
  }
  HttpClient* http = context_->http();
  if (http == nullptr) return fail("no HTTP client");

  const auto timeout = context_->options().imds_timeout;
  auto make = [&](std::string method, const std::string& path) {
    HttpRequest r;
    r.method = std::move(method);
    r.url = endpoint + path;
    r.connect_timeout = timeout;
    r.timeout = timeout;
    return r;
  };

  HttpRequest token_request = make("PUT", "/latest/api/token");
  token_request.headers.emplace_back("X-aws-ec2-metadata-token-ttl-seconds", "21600");
  auto token_response = http->send(token_request);
  if (!token_response) return fail("not reachable (" + token_response.error().describe() + ")");
  std::string token;
  if (token_response->status == 200) {
    token = token_response->body;
  } else if (token_response->status != 403 && token_response->status != 404 &&
             token_response->status != 405) {
    // 403/404/405 mean IMDSv2 tokens are unavailable here: continue without one (IMDSv1).
    return fail("the token request answered HTTP " + std::to_string(token_response->status));
  }

  auto get = [&](const std::string& path) {
    HttpRequest r = make("GET", path);
    if (!token.empty()) r.headers.emplace_back("X-aws-ec2-metadata-token", token);
    return http->send(r);
  };
  const std::string base = "/latest/meta-data/iam/security-credentials/";
  auto roles = get(base);
  if (!roles) return fail("not reachable (" + roles.error().describe() + ")");
  if (roles->status == 404) return fail("no IAM role is attached to this instance");
  if (roles->status != 200) {
    return fail("listing the instance role answered HTTP " + std::to_string(roles->status));
  }
  std::string role = roles->body.substr(0, roles->body.find('\n'));
  role = trim_trailing_space(role);
  if (role.empty()) return fail("no IAM role is attached to this instance");

  auto creds = get(base + role);
  if (!creds) return fail("not reachable (" + creds.error().describe() + ")");
  if (creds->status != 200) {
    return fail("fetching credentials of role " + role + " answered HTTP " +
                std::to_string(creds->status));
  }
  auto parsed = parse_metadata_credentials(creds->body, ErrorCode::kInstanceMetadataError,
                                           "EC2 instance role " + role, context_->now());
  if (!parsed) return fail(parsed.error().message);
  return parsed;
}

// ---------------------------------------------------------------------------------------------

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  size_t pos = 0;
  auto number = [&](size_t digits, int& out) {
    if (pos + digits > text.size()) return false;
    out = 0;
    for (size_t i = 0; i < digits; ++i) {
      const char c = text[pos + i];
      if (c < '0' || c > '9') return false;
      out = out * 10 + (c - '0');
    }
    pos += digits;
    return true;
  };
  auto expect = [&](std::string_view chars) {
    if (pos < text.size() && chars.find(text[pos]) != std::string_view::npos) {
      ++pos;
      return true;
    }
    return false;
  };
  int year, month, day, hour, minute, second;
  if (!number(4, year) || !expect("-") || !number(2, month) || !expect("-") || !number(2, day) ||
      !expect("Tt ") || !number(2, hour) || !expect(":") || !number(2, minute) || !expect(":") ||
      !number(2, second)) {
    return std::nullopt;
  }
  std::chrono::nanoseconds fraction{0};
  if (expect(".")) {
    int64_t scale = 100000000;
    size_t digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      fraction += std::chrono::nanoseconds((text[pos] - '0') * scale);
      scale /= 10;
      ++pos;
      ++digits;
    }
    if (digits == 0) return std::nullopt;
  }
  std::chrono::minutes offset{0};
  if (expect("Zz")) {
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om;
    if (!number(2, oh)) return std::nullopt;
    expect(":");
    if (!number(2, om)) return std::nullopt;
    offset = std::chrono::minutes(sign * (oh * 60 + om));
  }
  if (pos != text.size()) return std::nullopt;

  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year(year),
                           std::chrono::month(static_cast<unsigned>(month)),
                           std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  auto tp = sys_days(ymd) + hours(hour) + minutes(minute) + seconds(second) - offset;
  return time_point_cast<system_clock::duration>(tp + fraction);
}

}  // namespace ecs_mcp::aws
