#include "aws/credential_sts.h"

#include <algorithm>
#include <cctype>
#include <pugixml.hpp>

#include "aws/credential_providers.h"
#include "aws/sigv4.h"
#include "common/strings.h"

namespace ecs_mcp::aws {

namespace {

constexpr std::string_view kStsVersion = "2011-06-15";

bool is_true(std::optional<std::string> v) {
  if (!v) return false;
  return ascii_lower(*v) == "true";
}

std::string form_body(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body += '&';
    body += uri_encode(name) + "=" + uri_encode(value);
  }
  return body;
}

HttpRequest make_request(const StsEndpoint& endpoint, std::string body) {
  HttpRequest request;
  request.method = "POST";
  request.url = endpoint.url;
  // The signer and the server both want an explicit path.
  const auto scheme_end = request.url.find("://");
  if (request.url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3) ==
      std::string::npos) {
    request.url += '/';
  }
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  request.body = std::move(body);
  request.connect_timeout = std::chrono::seconds(5);
  request.timeout = std::chrono::seconds(30);
  return request;
}

Result<Credentials> parse_response(const Result<HttpResponse>& sent, std::string_view action,
                                   const AssumeRoleParams& params) {
  const std::string what = std::string("STS ") + std::string(action) + " for " + params.role_arn;
  if (!sent) {
    Error e = sent.error();
    e.message = what + " failed: " + e.message;
    return e;
  }
  const HttpResponse& response = *sent;
  pugi::xml_document doc;
  const bool parsed = doc.load_buffer(response.body.data(), response.body.size());
  std::string request_id = response.header("x-amzn-requestid");

  if (response.status != 200) {
    Error e;
    e.http_status = response.status;
    e.request_id = request_id;
    pugi::xml_node error = doc.child("ErrorResponse").child("Error");
    if (parsed && error) {
      e.code = error.child_value("Code");
      e.message = what + ": " + error.child_value("Message");
      if (e.request_id.empty()) e.request_id = doc.child("ErrorResponse").child_value("RequestId");
    }
    if (e.code.empty()) {
      e.code = "StsError";
      e.message =
          what + ": HTTP " + std::to_string(response.status) + ": " + response.body.substr(0, 300);
    }
    return e;
  }

  const std::string response_name = std::string(action) + "Response";
  const std::string result_name = std::string(action) + "Result";
  pugi::xml_node creds =
      doc.child(response_name.c_str()).child(result_name.c_str()).child("Credentials");
  if (!parsed || !creds) {
    return Error{"StsInvalidResponse",
                 what + ": the response has no " + result_name + "/Credentials element", request_id,
                 response.status};
  }
  Credentials out;
  out.access_key_id = creds.child_value("AccessKeyId");
  out.secret_access_key = creds.child_value("SecretAccessKey");
  out.session_token = creds.child_value("SessionToken");
  out.expiration = parse_iso8601(creds.child_value("Expiration"));
  if (!out.expiration) {  // unreadable expiry: assume a short life rather than for ever
    out.expiration = std::chrono::system_clock::now() + std::chrono::minutes(10);
  }
  out.source = params.source;
  if (out.access_key_id.empty() || out.secret_access_key.empty()) {
    return Error{"StsInvalidResponse", what + ": the response has no AccessKeyId/SecretAccessKey",
                 request_id, response.status};
  }
  return out;
}

}  // namespace

StsEndpoint sts_endpoint(const Environment& env, std::string_view region) {
  if (!is_true(env.value("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
    std::optional<std::string> url = env.value("AWS_ENDPOINT_URL_STS");
    if (!url) url = env.value("AWS_ENDPOINT_URL");
    if (url) return {*url, region.empty() ? "us-east-1" : std::string(region)};
  }
  if (region.empty()) return {"https://sts.amazonaws.com", "us-east-1"};
  const std::string suffix = region.starts_with("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
  return {"https://sts." + std::string(region) + "." + suffix, std::string(region)};
}

Result<Credentials> sts_assume_role(HttpClient& http, const StsEndpoint& endpoint,
                                    const Credentials& source_credentials,
                                    const AssumeRoleParams& params,
                                    std::chrono::system_clock::time_point now) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"Action", "AssumeRole"},
      {"Version", std::string(kStsVersion)},
      {"RoleArn", params.role_arn},
      {"RoleSessionName", params.role_session_name}};
  if (!params.external_id.empty()) fields.emplace_back("ExternalId", params.external_id);
  if (params.duration_seconds) {
    fields.emplace_back("DurationSeconds", std::to_string(*params.duration_seconds));
  }
  HttpRequest request = make_request(endpoint, form_body(fields));
  SigningParams signing{endpoint.signing_region, "sts", now};
  if (Status signed_ok = sign_v4(request, source_credentials, signing); !signed_ok) {
    return signed_ok.error();
  }
  return parse_response(http.send(request), "AssumeRole", params);
}

Result<Credentials> sts_assume_role_with_web_identity(HttpClient& http, const StsEndpoint& endpoint,
                                                      const AssumeRoleParams& params,
                                                      const std::string& web_identity_token) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"Action", "AssumeRoleWithWebIdentity"},
      {"Version", std::string(kStsVersion)},
      {"RoleArn", params.role_arn},
      {"RoleSessionName", params.role_session_name},
      {"WebIdentityToken", web_identity_token}};
  if (params.duration_seconds) {
    fields.emplace_back("DurationSeconds", std::to_string(*params.duration_seconds));
  }
  return parse_response(http.send(make_request(endpoint, form_body(fields))),
                        "AssumeRoleWithWebIdentity", params);
}

}  // namespace ecs_mcp::aws
