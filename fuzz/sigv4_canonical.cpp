// SigV4 canonicalisation of a request built from the input: first line the method, second the
// URL (or a path and query under an AWS endpoint), then "name: value" header lines, then after
// an empty line the body.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "aws/sigv4.h"

using namespace ecs_mcp::aws;

namespace {
std::string_view next_line(std::string_view& text) {
  size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  return line;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  HttpRequest request;
  request.method = std::string(next_line(text));
  std::string_view url = next_line(text);
  request.url = url.find("://") == std::string_view::npos
                    ? "https://ecs.us-east-1.amazonaws.com" + std::string(url)
                    : std::string(url);
  while (!text.empty()) {
    std::string_view line = next_line(text);
    if (line.empty()) break;
    size_t colon = line.find(':');
    request.headers.emplace_back(
        std::string(line.substr(0, colon)),
        colon == std::string_view::npos ? std::string() : std::string(line.substr(colon + 1)));
  }
  request.body = std::string(text);

  Credentials credentials{
      "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token", {}, "fuzz"};
  SigningParams params{
      "us-east-1", "ecs",
      std::chrono::system_clock::time_point{} + std::chrono::seconds(1'440'938'160)};
  auto first = compute_signature_v4(request, credentials, params);
  auto second = compute_signature_v4(request, credentials, params);
  if (first.ok() != second.ok()) __builtin_trap();
  if (first.ok()) {
    if (first->signature != second->signature || first->signature.size() != 64) __builtin_trap();
    if (first->canonical_request != second->canonical_request) __builtin_trap();
  }
  HttpRequest signed_request = request;
  auto status = sign_v4(signed_request, credentials, params);
  if (status.ok() != first.ok()) __builtin_trap();
  return 0;
}
