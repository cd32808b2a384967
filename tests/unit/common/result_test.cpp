#include "common/result.h"

#include <gtest/gtest.h>

#include <set>
#include <sstream>
#include <string>

namespace ecs_mcp {
namespace {

TEST(ErrorCode, EveryValueHasItsOwnPrintedName) {
  std::set<std::string_view> names;
  for (const auto& [code, name] : kErrorCodeNames) {
    EXPECT_EQ(error_code_name(code), name);
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << "printed twice: " << name;
  }
  std::ostringstream out;
  out << ErrorCode::kNoRegion;
  EXPECT_EQ(out.str(), "NoRegion");
}

TEST(Error, DescribesALocalErrorByItsCodeName) {
  Error e = make_error(ErrorCode::kInvalidPath, "outside the home directory");
  EXPECT_EQ(e.name(), "InvalidPath");
  EXPECT_EQ(e.describe(), "InvalidPath: outside the home directory");
  EXPECT_FALSE(e.is_cancelled());
  EXPECT_FALSE(e.is_service_error("InvalidPath"));
  EXPECT_TRUE(make_error(ErrorCode::kCancelled, "stop").is_cancelled());
}

TEST(Error, AServiceErrorKeepsTheServiceCodeStatusAndRequestId) {
  Error e = make_service_error("ThrottlingException", "Rate exceeded");
  e.http_status = 400;
  e.request_id = "abc-123";
  EXPECT_EQ(e.code, ErrorCode::kServiceError);
  EXPECT_EQ(e.name(), "ThrottlingException");
  EXPECT_TRUE(e.is_service_error("ThrottlingException"));
  EXPECT_FALSE(e.is_service_error("ValidationError"));
  EXPECT_EQ(e.describe(), "ThrottlingException: Rate exceeded (HTTP 400, request id abc-123)");

  Error retold = e.with_message("CreateStack web failed: " + e.describe());
  EXPECT_TRUE(retold.is_service_error("ThrottlingException"));
  EXPECT_EQ(retold.describe(),
            "ThrottlingException: CreateStack web failed: ThrottlingException: Rate exceeded "
            "(HTTP 400, request id abc-123)");
}

Status check(bool fail) {
  if (fail) return make_error(ErrorCode::kInvalidArgument, "bad");
  return Status::Ok();
}

Result<std::string> fetch(bool fail) {
  if (fail) return make_service_error("NoSuchEntity", "no role");
  return std::string("body");
}

Result<size_t> length_of(bool check_fails, bool fetch_fails) {
  ECS_MCP_RETURN_IF_ERROR(check(check_fails));
  ECS_MCP_ASSIGN_OR_RETURN(std::string body, fetch(fetch_fails));
  ECS_MCP_ASSIGN_OR_RETURN(auto again, fetch(fetch_fails));
  return body.size() + again.size();
}

Status both(bool check_fails, bool fetch_fails) {
  ECS_MCP_RETURN_IF_ERROR(check(check_fails));
  ECS_MCP_RETURN_IF_ERROR(fetch(fetch_fails));
  return Status::Ok();
}

TEST(ResultMacros, ReturnTheFirstErrorOrGoOn) {
  auto ok = length_of(false, false);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 8u);
  EXPECT_EQ(length_of(true, false).error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(length_of(false, true).error().is_service_error("NoSuchEntity"));
  EXPECT_TRUE(both(false, false).ok());
  EXPECT_EQ(both(true, true).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(both(false, true).error().describe(), "NoSuchEntity: no role");
}

}  // namespace
}  // namespace ecs_mcp
