// FakeHttpClient: the test double for the aws::HttpClient seam. It records every request and
// answers from what the test queued, so signing, protocol parsing, paging and retries run as
// they do against AWS, without a network.
//
// A request is answered by the first of:
//   1. a reply queued for its operation with on()/on_json()/on_file(): served in order, and
//      the last one repeats;
//   2. a reply queued with then(): served once each, in order, whatever the operation;
//   3. the fallback set with otherwise() (by default an "HttpConnectError" naming the
//      operation); forward_to() makes the fake a recording decorator of a real client.
//
// The operation of a request is its X-Amz-Target suffix (JSON services) or its Action= form
// field (Query and EC2 services), "" for anything else.
//
// Thread-safety: send() may be called from many threads; the fallback runs outside the lock.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "aws/http_client.h"

namespace ecs_mcp::testing {

// A response as AWS sends it: the request id header, and a content type that follows the body
// (XML when it starts with '<', JSON 1.1 otherwise).
aws::HttpResponse fake_response(const std::string& body, int status = 200,
                                const std::string& request_id = "");

// The value of `key` in a form-encoded body ("" when absent), undecoded.
std::string form_value(const std::string& body, const std::string& key);

// The value of a request header, its name compared without case ("" when absent).
std::string request_header(const aws::HttpRequest& request, const std::string& name);

class FakeHttpClient : public aws::HttpClient {
 public:
  struct Sent {
    std::string operation;
    aws::HttpRequest request;
  };
  using Responder = std::function<Result<aws::HttpResponse>(const Sent&)>;

  // `fixture_root`, under tests/fixtures/aws_responses, is where on_file() looks.
  explicit FakeHttpClient(std::string fixture_root = "");

  Result<aws::HttpResponse> send(const aws::HttpRequest& request) override;

  // Queues a reply to `operation` (request id "req-<operation>").
  void on(const std::string& operation, const std::string& body, int status = 200);
  void on_json(const std::string& operation, const nlohmann::json& body, int status = 200);
  // The body of a recorded response file, relative to the fixture root.
  void on_file(const std::string& operation, const std::string& relative, int status = 200);
  void on(const std::string& operation, Result<aws::HttpResponse> reply);

  // Queues a reply to the next request that has no reply queued for its operation.
  void then(Result<aws::HttpResponse> reply);

  void otherwise(Responder responder);
  // Every request the queues do not answer fails with this transport error.
  void fail_with(ErrorCode code, const std::string& message);
  void forward_to(std::shared_ptr<aws::HttpClient> inner);

  std::vector<Sent> sent() const;
  std::vector<aws::HttpRequest> requests() const;
  std::vector<Sent> calls(const std::string& operation) const;
  std::vector<std::string> operations() const;
  int count() const;
  // Forgets what was sent (queued replies stay).
  void clear();

  static std::string operation_of(const aws::HttpRequest& request);

 private:
  std::string fixture_root_;
  mutable std::mutex mu_;
  std::vector<Sent> sent_;
  std::map<std::string, std::deque<Result<aws::HttpResponse>>> by_operation_;
  std::deque<Result<aws::HttpResponse>> in_order_;
  Responder otherwise_;
};

}  // namespace ecs_mcp::testing
