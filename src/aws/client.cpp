#include "aws/client.h"

#include <utility>

#include "aws/protocols/ec2_query.h"
#include "aws/protocols/json_1_1.h"
#include "aws/sigv4.h"
#include "common/secret_scrubber.h"
#include "common/stoppable_sleep.h"

namespace ecs_mcp::aws {

using nlohmann::json;

namespace {

// Errors leave the AWS layer here, so nothing AWS, a proxy or a credential helper echoed
// (SignatureDoesNotMatch's canonical request, a page quoting the Authorization header) goes on
// to the caller, the client or the log with credentials in it.
Error scrubbed(Error error) {
  error.message = scrub_secrets(error.message);
  return error;
}

}  // namespace

AwsClient::AwsClient(ServiceDescriptor service, ClientConfig config)
    : service_(std::move(service)),
      config_(std::move(config)),
      endpoint_(resolve_endpoint(service_.endpoint, config_.region,
                                 config_.os ? *config_.os : *real_os())) {}

HttpRequest AwsClient::build_request(const std::string& operation, const json& params) const {
  switch (service_.protocol) {
    case Protocol::kJson11:
      return json_1_1::build_request(endpoint_->url, service_.target_prefix, operation, params);
    case Protocol::kQuery:
      return query::build_request(endpoint_->url, operation, service_.api_version, params,
                                  service_.request_options);
    case Protocol::kEc2Query:
      return ec2_query::build_request(endpoint_->url, operation, service_.api_version, params,
                                      service_.request_options);
  }
  return {};
}

Result<json> AwsClient::parse_response(const std::string& operation,
                                       const HttpResponse& response) const {
  switch (service_.protocol) {
    case Protocol::kJson11:
      return json_1_1::parse_response(response);
    case Protocol::kQuery:
      return query::parse_response(response, operation, service_.response_hints);
    case Protocol::kEc2Query:
      return ec2_query::parse_response(response, operation, service_.response_hints);
  }
  return make_error(ErrorCode::kInternalError, "unknown protocol");
}

Result<json> AwsClient::attempt(const std::string& operation, const json& params,
                                const CallOptions& options) const {
  HttpRequest request = build_request(operation, params);
  request.timeout = options.timeout;
  request.connect_timeout = options.connect_timeout;
  request.cancelled = options.cancelled;
  if (config_.sign_requests) {
    if (!config_.credentials)
      return make_error(ErrorCode::kMissingCredentials, "no credentials provider");
    auto credentials = config_.credentials->get();
    if (!credentials.ok()) return credentials.error();
    SigningParams signing{endpoint_->signing_region, service_.signing_name,
                          config_.os ? config_.os->now() : std::chrono::system_clock::now()};
    if (Status signed_ok = sign_v4(request, *credentials, signing); !signed_ok.ok()) {
      return signed_ok.error();
    }
  }
  auto response = config_.http->send(request);
  if (!response.ok()) return response.error();
  return parse_response(operation, *response);
}

Result<json> AwsClient::call(const std::string& operation, const json& params,
                             const CallOptions& options) const {
  if (!endpoint_.ok()) return endpoint_.error();
  if (!config_.http) return make_error(ErrorCode::kInternalError, "no HTTP client configured");

  auto retry = config_.retry.retry_policy ? config_.retry.retry_policy->clone()
                                          : std::make_unique<StandardRetryPolicy>();
  auto backoff = config_.retry.backoff_policy ? config_.retry.backoff_policy->clone()
                                              : std::make_unique<ExponentialJitterBackoff>();
  while (true) {
    if (options.cancelled && options.cancelled()) {
      return make_error(ErrorCode::kCancelled, service_.name + " " + operation + " was cancelled");
    }
    auto result = attempt(operation, params, options);
    if (result.ok()) return result;
    Error error = std::move(result).take_error();
    if (!retry->on_failure(error)) {
      if (retry->attempts() > 1) {
        error.message += " (gave up after " + std::to_string(retry->attempts()) + " attempts)";
      }
      return scrubbed(std::move(error));
    }
    auto delay = backoff->on_completion();
    bool slept = config_.retry.sleep            ? config_.retry.sleep(delay, options.cancelled)
                 : options.stop.stop_possible() ? sleep_unless_stopped(delay, options.stop) &&
                                                      !(options.cancelled && options.cancelled())
                                                : sleep_unless_cancelled(delay, options.cancelled);
    if (!slept) {
      return make_error(ErrorCode::kCancelled, service_.name + " " + operation +
                                                   " was cancelled while waiting to retry after " +
                                                   error.name());
    }
  }
}

Result<json> AwsClient::paginate(const std::string& operation, json params, const PageSpec& spec,
                                 const CallOptions& options) const {
  if (params.is_null()) params = json::object();
  json merged;
  size_t pages = 0;
  size_t items = 0;
  while (true) {
    auto page = call(operation, params, options);
    if (!page.ok()) return page;
    ++pages;
    json& body = *page;
    if (pages == 1) {
      merged = body;
      for (const auto& key : spec.result_keys) {
        if (!merged.contains(key) || merged[key].is_null()) merged[key] = json::array();
      }
    } else {
      for (const auto& key : spec.result_keys) {
        if (auto it = body.find(key); it != body.end() && it->is_array()) {
          for (auto& item : *it) merged[key].push_back(std::move(item));
        }
      }
    }
    if (!spec.result_keys.empty() && merged[spec.result_keys.front()].is_array()) {
      items = merged[spec.result_keys.front()].size();
    }

    std::string next;
    if (auto it = body.find(spec.output_token); it != body.end() && it->is_string()) {
      next = it->get<std::string>();
    }
    if (!spec.more_results_key.empty()) {
      auto more = body.find(spec.more_results_key);
      if (more == body.end() || !more->is_boolean() || !more->get<bool>()) next.clear();
    }
    if (next.empty()) {
      merged.erase(spec.output_token);
      if (!spec.more_results_key.empty()) merged[spec.more_results_key] = false;
      return merged;
    }

    const bool item_cap = spec.max_items > 0 && items >= spec.max_items;
    if (item_cap || pages >= spec.max_pages) {
      // Whole pages are kept even past max_items: trimming would lose the position the
      // token points after.
      merged[spec.output_token] = next;
      if (!spec.more_results_key.empty()) merged[spec.more_results_key] = true;
      return merged;
    }
    params[spec.input_token] = next;
  }
}

}  // namespace ecs_mcp::aws
