// RpcResult<T>: the value a request handler produces, or the JSON-RPC error to answer with.
//
// The protocol's counterpart of Result<T>: an RpcError keeps the numeric JSON-RPC code (and
// optional data) the client sees, which an Error does not. RpcOutcome, the common case, holds
// the "result" member of a response.
//
// Thread-safety: plain values; no shared state.
#pragma once

#include <cassert>
#include <utility>
#include <variant>

#include "mcp/jsonrpc.h"

namespace ecs_mcp::mcp {

template <typename T>
class [[nodiscard]] RpcResult {
 public:
  RpcResult(T value) : v_(std::in_place_index<0>, std::move(value)) {}         // NOLINT: implicit
  RpcResult(RpcError error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  const T& operator*() const& { return value(); }
  const T* operator->() const { return &value(); }

  const RpcError& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, RpcError> v_;
};

using RpcOutcome = RpcResult<json>;

// The response to request `id`: its result, or its error.
inline json make_outcome_response(const json& id, RpcOutcome outcome) {
  if (!outcome.ok()) return make_error_response(id, outcome.error());
  return make_response(id, std::move(outcome).value());
}

// The errors every handler may answer with.
inline RpcError method_not_found(std::string_view method) {
  return RpcError{rpc_error::kMethodNotFound, "Method not found: " + std::string(method), nullptr};
}
inline RpcError invalid_params(std::string message) {
  return RpcError{rpc_error::kInvalidParams, std::move(message), nullptr};
}

}  // namespace ecs_mcp::mcp
