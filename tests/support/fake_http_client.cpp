#include "support/fake_http_client.h"

#include <cctype>

#include "support/fixtures.h"

namespace ecs_mcp::testing {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

aws::HttpResponse fake_response(const std::string& body, int status,
                                const std::string& request_id) {
  aws::HttpResponse r;
  r.status = status;
  r.body = body;
  if (!request_id.empty()) r.headers["x-amzn-requestid"] = request_id;
  const bool xml = !body.empty() && body[0] == '<';
  r.headers["content-type"] = xml ? "text/xml" : "application/x-amz-json-1.1";
  return r;
}

std::string form_value(const std::string& body, const std::string& key) {
  size_t at = 0;
  while (at < body.size()) {
    size_t end = body.find('&', at);
    if (end == std::string::npos) end = body.size();
    if (body.compare(at, key.size() + 1, key + "=") == 0) {
      return body.substr(at + key.size() + 1, end - at - key.size() - 1);
    }
    at = end + 1;
  }
  return "";
}

std::string request_header(const aws::HttpRequest& request, const std::string& name) {
  const std::string wanted = lower(name);
  for (const auto& [k, v] : request.headers) {
    if (lower(k) == wanted) return v;
  }
  return "";
}

FakeHttpClient::FakeHttpClient(std::string fixture_root) : fixture_root_(std::move(fixture_root)) {
  fail_with(ErrorCode::kHttpConnectError, "");
}

std::string FakeHttpClient::operation_of(const aws::HttpRequest& request) {
  const std::string target = request_header(request, "x-amz-target");
  if (!target.empty()) return target.substr(target.find('.') + 1);
  return form_value(request.body, "Action");
}

Result<aws::HttpResponse> FakeHttpClient::send(const aws::HttpRequest& request) {
  Sent sent{operation_of(request), request};
  Responder fallback;
  {
    std::lock_guard lock(mu_);
    sent_.push_back(sent);
    auto it = by_operation_.find(sent.operation);
    if (it != by_operation_.end() && !it->second.empty()) {
      auto reply = it->second.front();
      if (it->second.size() > 1) it->second.pop_front();
      return reply;
    }
    if (!in_order_.empty()) {
      auto reply = std::move(in_order_.front());
      in_order_.pop_front();
      return reply;
    }
    fallback = otherwise_;
  }
  return fallback(sent);
}

void FakeHttpClient::on(const std::string& operation, const std::string& body, int status) {
  on(operation, fake_response(body, status, "req-" + operation));
}

void FakeHttpClient::on_json(const std::string& operation, const nlohmann::json& body, int status) {
  on(operation, body.dump(), status);
}

void FakeHttpClient::on_file(const std::string& operation, const std::string& relative,
                             int status) {
  on(operation, read_fixture(std::filesystem::path("aws_responses") / fixture_root_ / relative),
     status);
}

void FakeHttpClient::on(const std::string& operation, Result<aws::HttpResponse> reply) {
  std::lock_guard lock(mu_);
  by_operation_[operation].push_back(std::move(reply));
}

void FakeHttpClient::then(Result<aws::HttpResponse> reply) {
  std::lock_guard lock(mu_);
  in_order_.push_back(std::move(reply));
}

void FakeHttpClient::otherwise(Responder responder) {
  std::lock_guard lock(mu_);
  otherwise_ = std::move(responder);
}

void FakeHttpClient::fail_with(ErrorCode code, const std::string& message) {
  otherwise([code, message](const Sent& sent) -> Result<aws::HttpResponse> {
    return make_error(code,
                      message.empty() ? "no recorded response for " + sent.operation : message);
  });
}

void FakeHttpClient::forward_to(std::shared_ptr<aws::HttpClient> inner) {
  otherwise([inner = std::move(inner)](const Sent& sent) { return inner->send(sent.request); });
}

std::vector<FakeHttpClient::Sent> FakeHttpClient::sent() const {
  std::lock_guard lock(mu_);
  return sent_;
}

std::vector<aws::HttpRequest> FakeHttpClient::requests() const {
  std::lock_guard lock(mu_);
  std::vector<aws::HttpRequest> out;
  for (const auto& s : sent_) out.push_back(s.request);
  return out;
}

std::vector<FakeHttpClient::Sent> FakeHttpClient::calls(const std::string& operation) const {
  std::lock_guard lock(mu_);
  std::vector<Sent> out;
  for (const auto& s : sent_) {
    if (s.operation == operation) out.push_back(s);
  }
  return out;
}

std::vector<std::string> FakeHttpClient::operations() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& s : sent_) out.push_back(s.operation);
  return out;
}

int FakeHttpClient::count() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(sent_.size());
}

void FakeHttpClient::clear() {
  std::lock_guard lock(mu_);
  sent_.clear();
}

}  // namespace ecs_mcp::testing
