// Turning AWS error responses, and responses that are not what the protocol promised, into
// Error values that keep the AWS code, message, HTTP status and request id.
//
// Shared by the protocol parsers because AWS front ends (and moto) sometimes answer in
// another protocol's format: an XML signature error for a JSON service, an HTML page for an
// unimplemented operation. Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "aws/http_client.h"
#include "common/result.h"

namespace ecs_mcp::aws::protocols {

// The first `limit` bytes of a body, whitespace collapsed, for error messages.
std::string body_excerpt(const std::string& body, size_t limit = 300);

// x-amzn-requestid, x-amz-request-id or x-amzn-request-id, whichever is present.
std::string request_id_from_headers(const HttpResponse& response);

// Parses the XML error shapes AWS uses: <ErrorResponse><Error>, <Response><Errors><Error>
// (EC2) and a bare <Error> (S3-style, also moto's auth failures). nullopt when the body is
// not such a document.
std::optional<Error> parse_xml_error(const HttpResponse& response);

// Parses a JSON error body ({"__type": "...#Code", "message": "..."}); nullopt when the
// body is not JSON or names no error.
std::optional<Error> parse_json_error(const HttpResponse& response);

// The last resort: an error that says what arrived, so that a proxy's HTML page or a
// truncated body is recognisable in the message. The code is UnexpectedResponse unless the
// status says more: 429 and 503 are service errors "TooManyRequestsException" and
// "ServiceUnavailable", as AWS would name them.
Error unexpected_response_error(const HttpResponse& response, const std::string& expected);

}  // namespace ecs_mcp::aws::protocols
