// Result<T> and Status: errors as values across module boundaries.
//
// Every fallible call in aws/ and mcp/ returns one of these instead of throwing. An Error
// keeps a machine-readable code (an AWS error code such as "ThrottlingException", or a local
// one such as "InvalidArgument"), a message for people, and, for AWS calls, the HTTP status
// and request id so they can reach the user unchanged.
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace ecs_mcp {

struct Error {
  std::string code;
  std::string message;
  std::string request_id;  // AWS x-amzn-RequestId / RequestId when known
  int http_status = 0;     // 0 when the error never reached HTTP

  // "Code: message (HTTP 400, request id abc)" — the form shown to users.
  std::string describe() const {
    std::string out = code.empty() ? message : code + ": " + message;
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

inline Error make_error(std::string code, std::string message) {
  return Error{std::move(code), std::move(message), {}, 0};
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
