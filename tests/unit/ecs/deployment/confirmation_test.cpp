// Confirmation tokens for delete_ecs_infrastructure.
#include "ecs/deployment/confirmation.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "support/fixtures.h"

namespace ecs_mcp::ecs {
namespace {

TEST(Confirmation, HmacSha256MatchesRfc4231) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
}

TEST(Confirmation, ATokenConfirmsOnlyTheStacksItWasIssuedFor) {
  ConfirmationTokens tokens("-");
  std::string t = tokens.issue("delete", {"app=web", "stack-id-1", "stack-id-2"});
  EXPECT_TRUE(tokens.verify(t, "delete", {"stack-id-2", "app=web", "stack-id-1"}).ok())
      << "order does not matter";
  EXPECT_EQ(tokens.verify(t, "delete", {"app=web", "stack-id-1"}).error().code,
            ErrorCode::kConfirmationMismatch);
  EXPECT_EQ(tokens.verify(t, "delete", {"app=web", "stack-id-1", "stack-id-3"}).error().code,
            ErrorCode::kConfirmationMismatch);
  EXPECT_EQ(tokens.verify(t, "other", {"app=web", "stack-id-1", "stack-id-2"}).error().code,
            ErrorCode::kConfirmationMismatch);
  EXPECT_EQ(tokens.verify("garbage", "delete", {}).error().code, ErrorCode::kConfirmationMismatch);
  std::string forged = t;
  forged.back() = forged.back() == '0' ? '1' : '0';
  EXPECT_EQ(tokens.verify(forged, "delete", {"app=web", "stack-id-1", "stack-id-2"}).error().code,
            ErrorCode::kConfirmationMismatch);
}

TEST(Confirmation, TokensExpire) {
  auto now = std::chrono::system_clock::now();
  auto clock_now = now;
  ConfirmationTokens tokens("-", std::chrono::minutes(10), [&] { return clock_now; });
  std::string t = tokens.issue("delete", {"a"});
  clock_now = now + std::chrono::minutes(9);
  EXPECT_TRUE(tokens.verify(t, "delete", {"a"}).ok());
  clock_now = now + std::chrono::minutes(11);
  EXPECT_EQ(tokens.verify(t, "delete", {"a"}).error().code, ErrorCode::kConfirmationExpired);
}

TEST(Confirmation, TheKeyFileLetsAnotherProcessVerify) {
  testing::TempDir dir;
  std::string file = (dir.path() / "state" / "confirmation.key").string();
  ConfirmationTokens first(file);
  std::string t = first.issue("delete", {"x"});
  EXPECT_TRUE(first.persistent_key());
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ConfirmationTokens second(file);  // as a new server process would
  EXPECT_TRUE(second.verify(t, "delete", {"x"}).ok());
  ConfirmationTokens other("-");
  EXPECT_FALSE(other.verify(t, "delete", {"x"}).ok());
}

}  // namespace
}  // namespace ecs_mcp::ecs
