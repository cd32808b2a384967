// The default chain without a network: environment, profiles, credential_process, errors,
// laziness and caching. HTTP-backed sources are in credentials_http_test.cpp.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "aws/credential_providers.h"
#include "aws/credentials.h"
#include "credentials_test_support.h"
#include "support/fake_credentials.h"
#include "support/fake_http_client.h"

namespace ecs_mcp::aws {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::system_clock;
using testing::FakeCredentialsProvider;
using testing::FakeHttpClient;
using testing::FakeOs;
using testing::TempHome;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

class ChainTest : public ::testing::Test {
 protected:
  // Every request fails the way an unreachable host does.
  ChainTest() : os_(FakeOs::make(home_.path())), http_(std::make_shared<FakeHttpClient>()) {
    http_->fail_with(ErrorCode::kHttpConnectError, "connection refused");
  }

  std::shared_ptr<CredentialsProvider> chain(ChainOptions options = {}) {
    return make_default_credentials_chain(os_, http_, std::move(options));
  }

  TempHome home_;
  std::shared_ptr<FakeOs> os_;
  std::shared_ptr<FakeHttpClient> http_;
};

TEST_F(ChainTest, EnvironmentKeysComeFirst) {
  home_.write_credentials("[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = s\n");
  os_->set("AWS_ACCESS_KEY_ID", "AKIDENV").set("AWS_SECRET_ACCESS_KEY", "secret");
  os_->set("AWS_SESSION_TOKEN", "token");
  auto creds = chain()->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "AKIDENV");
  EXPECT_EQ(creds->secret_access_key, "secret");
  EXPECT_EQ(creds->session_token, "token");
  EXPECT_EQ(creds->source, "environment");
  EXPECT_FALSE(creds->expiration.has_value());
}

TEST_F(ChainTest, HalfSetEnvironmentKeysAreAnError) {
  os_->set("AWS_ACCESS_KEY_ID", "AKIDENV");
  auto creds = chain()->get();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::kPartialCredentials);
  EXPECT_TRUE(contains(creds.error().message, "AWS_SECRET_ACCESS_KEY"));
}

TEST_F(ChainTest, DefaultProfileStaticKeysFromCredentialsFile) {
  home_.write_credentials(
      "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s3cr3t\n"
      "aws_session_token = tok\n");
  auto creds = chain()->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "AKIDFILE");
  EXPECT_EQ(creds->session_token, "tok");
  EXPECT_EQ(creds->source, "profile 'default'");
  EXPECT_EQ(http_->count(), 0);
}

TEST_F(ChainTest, AwsProfileSelectsProfileAndConfigFileKeysWork) {
  home_.write_credentials("[default]\naws_access_key_id = DEFAULT\naws_secret_access_key = s\n");
  home_.write_config("[profile dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = s\n");
  os_->set("AWS_PROFILE", "dev");
  auto creds = chain()->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "DEVKEY");
}

TEST_F(ChainTest, ProfileOptionOutranksEnvironmentKeys) {
  home_.write_credentials("[ops]\naws_access_key_id = OPSKEY\naws_secret_access_key = s\n");
  os_->set("AWS_ACCESS_KEY_ID", "AKIDENV").set("AWS_SECRET_ACCESS_KEY", "secret");
  ChainOptions options;
  options.profile = "ops";
  auto creds = chain(options)->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "OPSKEY");
}

TEST_F(ChainTest, MissingExplicitProfileIsProfileNotFound) {
  home_.write_credentials("[default]\naws_access_key_id = A\naws_secret_access_key = s\n");
  home_.write_config("[profile prod]\nregion = us-east-1\n");
  os_->set("AWS_PROFILE", "prdo");
  // Even with environment keys present: a mistyped profile is reported, as the CLI does.
  os_->set("AWS_ACCESS_KEY_ID", "AKIDENV").set("AWS_SECRET_ACCESS_KEY", "secret");
  auto creds = chain()->get();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::kProfileNotFound);
  const std::string& m = creds.error().message;
  EXPECT_TRUE(contains(m, "'prdo'")) << m;
  EXPECT_TRUE(contains(m, "AWS_PROFILE")) << m;
  EXPECT_TRUE(contains(m, home_.credentials_path())) << m;
  EXPECT_TRUE(contains(m, home_.config_path())) << m;
  EXPECT_TRUE(contains(m, "default, prod")) << m;
}

TEST_F(ChainTest, MissingDefaultProfileIsNotAnErrorWhenNotSelected) {
  os_->set("AWS_EC2_METADATA_DISABLED", "true");
  auto creds = chain()->get();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::kNoCredentials);
}

TEST_F(ChainTest, NoCredentialsListsEverySourceTried) {
  home_.write_config("[default]\nregion = us-east-1\n");  // a profile without credentials
  auto creds = chain()->get();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::kNoCredentials);
  const std::string& m = creds.error().message;
  EXPECT_TRUE(contains(m, "AWS_ACCESS_KEY_ID")) << m;
  EXPECT_TRUE(contains(m, home_.credentials_path())) << m;
  EXPECT_TRUE(contains(m, home_.config_path())) << m;
  EXPECT_TRUE(contains(m, "profile 'default'")) << m;
  EXPECT_TRUE(contains(m, "AWS_WEB_IDENTITY_TOKEN_FILE")) << m;
  EXPECT_TRUE(contains(m, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) << m;
  EXPECT_TRUE(contains(m, "IMDSv2 at http://169.254.169.254")) << m;
  EXPECT_TRUE(contains(m, "not reachable")) << m;
  EXPECT_TRUE(contains(m, "To fix")) << m;
  EXPECT_EQ(http_->count(), 1);  // one IMDS token attempt, no retries
  EXPECT_EQ(http_->requests().back().url, "http://169.254.169.254/latest/api/token");
}

TEST_F(ChainTest, MetadataDisabledMakesNoRequest) {
  os_->set("AWS_EC2_METADATA_DISABLED", "TRUE");
  auto creds = chain()->get();
  ASSERT_FALSE(creds.ok());
  EXPECT_TRUE(contains(creds.error().message, "disabled by AWS_EC2_METADATA_DISABLED"));
  EXPECT_EQ(http_->count(), 0);
}

TEST_F(ChainTest, ConstructionDoesNoIoAndFirstGetReadsTheFiles) {
  auto provider = chain();
  // Written after construction: only a lazy chain sees it.
  home_.write_credentials("[default]\naws_access_key_id = LATE\naws_secret_access_key = s\n");
  EXPECT_EQ(http_->count(), 0);
  auto creds = provider->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "LATE");
}

TEST_F(ChainTest, PreloadedSharedConfigIsUsedInsteadOfTheFiles) {
  auto config =
      SharedConfig::parse("", "[default]\naws_access_key_id = MEM\naws_secret_access_key = s\n");
  ASSERT_TRUE(config.ok());
  ChainOptions options;
  options.shared_config = std::make_shared<const SharedConfig>(std::move(config).value());
  auto creds = chain(options)->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "MEM");
}

TEST_F(ChainTest, BrokenConfigFileIsReported) {
  home_.write_config("[default]\nnot a key value line\n");
  auto creds = chain()->get();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::kConfigParseError);
}

TEST_F(ChainTest, CredentialProcessSuccess) {
  const std::string script = home_.write("bin/creds.sh",
                                         "#!/bin/sh\n"
                                         "echo 'ignored on stderr' >&2\n"
                                         "cat <<EOF\n"
                                         "{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\",\n"
                                         " \"SecretAccessKey\": \"procsecret\",\n"
                                         " \"SessionToken\": \"proctoken\",\n"
                                         " \"Expiration\": \"2030-01-02T03:04:05Z\"}\n"
                                         "EOF\n",
                                         /*executable=*/true);
  home_.write_config("[profile proc]\ncredential_process = " + script + " --flag\n");
  os_->set("AWS_PROFILE", "proc");
  auto creds = chain()->get();
  ASSERT_TRUE(creds.ok()) << creds.error().describe();
  EXPECT_EQ(creds->access_key_id, "AKIDPROC");
  EXPECT_EQ(creds->secret_access_key, "procsecret");
  EXPECT_EQ(creds->session_token, "proctoken");
  ASSERT_TRUE(creds->expiration.has_value());
  EXPECT_EQ(*creds->expiration, *parse_iso8601("2030-01-02T03:04:05Z"));
}

TEST_F(ChainTest, FailingCredentialProcessStopsTheChainWithItsExitCodeAndStderr) {
  const std::string script =
      home_.write("bin/fail.sh", "#!/bin/sh\necho 'token expired, run login' >&2\nexit 3\n", true);
  home_.write_config("[default]\ncredential_process = " + script + "\n");
  auto creds = chain()->get();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::kCredentialProcessError);
  EXPECT_TRUE(contains(creds.error().message, "exited with status 3")) << creds.error().message;
  EXPECT_TRUE(contains(creds.error().message, "token expired, run login"));
  EXPECT_TRUE(contains(creds.error().message, script));
  EXPECT_EQ(http_->count(), 0);  // did not fall through to instance metadata
}

TEST_F(ChainTest, FailingCredentialProcessErrorsCarryNoCredentials) {
  // A helper that echoes what it was given and what it fetched before failing.
  const std::string secret = "q8Hn3vT0bXz+Lk2Wm/9JdR4sYc7uPeA1gF6iOw5N";
  const std::string script =
      home_.write("bin/leaky.sh",
                  "#!/bin/sh\necho \"login with $2 failed; cached key " + secret +
                      ", see https://sso.example.com/?token=tok-987\" >&2\nexit 2\n",
                  true);
  home_.write_config("[default]\ncredential_process = " + script +
                     " --password pw-654 --profile-name dev\n");
  auto creds = chain()->get();
  ASSERT_FALSE(creds.ok());
  const std::string& message = creds.error().message;
  EXPECT_EQ(creds.error().code, ErrorCode::kCredentialProcessError);
  for (const std::string& leaked : {std::string("pw-654"), secret, std::string("tok-987")}) {
    EXPECT_FALSE(contains(message, leaked)) << leaked << " in " << message;
  }
  // What helps the user stays: the command, its other arguments, the status and the story.
  for (const std::string& kept :
       {script, std::string("--password [REDACTED]"), std::string("--profile-name dev"),
        std::string("exited with status 2"), std::string("failed; cached key")}) {
    EXPECT_TRUE(contains(message, kept)) << kept << " not in " << message;
  }
}

TEST_F(ChainTest, CredentialProcessWithBadJsonOrVersion) {
  home_.write_config(
      "[profile a]\ncredential_process = echo not-json\n"
      "[profile b]\ncredential_process = echo '{\"Version\": 2, "
      "\"AccessKeyId\": \"A\", \"SecretAccessKey\": \"S\"}'\n");
  os_->set("AWS_PROFILE", "a");
  auto a = chain()->get();
  ASSERT_FALSE(a.ok());
  EXPECT_TRUE(contains(a.error().message, "not a JSON object"));
  os_->set("AWS_PROFILE", "b");
  auto b = chain()->get();
  ASSERT_FALSE(b.ok());
  EXPECT_TRUE(contains(b.error().message, "\"Version\": 1"));
}

TEST_F(ChainTest, CredentialProcessOutputIsNeverEchoedIntoErrors) {
  // A common mistake: a command that prints the keys as shell assignments.
  home_.write_config(
      R"([profile a]
credential_process = printf 'AWS_ACCESS_KEY_ID=AKIDLEAK\nAWS_SECRET_ACCESS_KEY=SECRETLEAK\n'
)");
  os_->set("AWS_PROFILE", "a");
  auto a = chain()->get();
  ASSERT_FALSE(a.ok());
  EXPECT_TRUE(contains(a.error().message, "not a JSON object")) << a.error().message;
  EXPECT_FALSE(contains(a.error().message, "SECRETLEAK")) << a.error().message;
  EXPECT_FALSE(contains(a.error().message, "AKIDLEAK")) << a.error().message;
}

TEST_F(ChainTest, CredentialProcessDoesNotReadOurStdinAndTimesOut) {
  // `cat` would block on an inherited stdin; with /dev/null it ends at once.
  home_.write_config(
      "[profile cat]\ncredential_process = cat; exit 1\n"
      "[profile slow]\ncredential_process = sleep 5\n");
  os_->set("AWS_PROFILE", "cat");
  auto cat = chain()->get();
  ASSERT_FALSE(cat.ok());
  EXPECT_TRUE(contains(cat.error().message, "exited with status 1"));

  os_->set("AWS_PROFILE", "slow");
  ChainOptions options;
  options.process_timeout = seconds(1);
  const auto start = std::chrono::steady_clock::now();
  auto slow = chain(options)->get();
  ASSERT_FALSE(slow.ok());
  EXPECT_TRUE(contains(slow.error().message, "did not finish within 1 s"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, seconds(4));
}

TEST_F(ChainTest, SourceProfileProblemsAreErrorsNotFallThrough) {
  home_.write_config(
      "[profile loop-a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = loop-b\n"
      "[profile loop-b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = loop-a\n"
      "[profile dangling]\nrole_arn = arn:aws:iam::1:role/d\nsource_profile = nowhere\n"
      "[profile sourceless]\nrole_arn = arn:aws:iam::1:role/s\n"
      "[profile both]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = a\n"
      "credential_source = Environment\n"
      "[profile weird]\nrole_arn = arn:aws:iam::1:role/w\ncredential_source = Moon\n"
      "[profile empty-source]\nrole_arn = arn:aws:iam::1:role/e\nsource_profile = nothing\n"
      "[profile nothing]\nregion = us-east-1\n"
      "[profile envsource]\nrole_arn = arn:aws:iam::1:role/e\ncredential_source = Environment\n"
      "[profile baddur]\nrole_arn = arn:aws:iam::1:role/e\nsource_profile = baddur\n"
      "aws_access_key_id = A\naws_secret_access_key = S\nduration_seconds = 1h\n");
  auto error_for = [&](const std::string& profile) {
    os_->set("AWS_PROFILE", profile);
    auto creds = chain()->get();
    EXPECT_FALSE(creds.ok()) << profile;
    return creds.ok() ? Error{} : creds.error();
  };
  Error loop = error_for("loop-a");
  EXPECT_EQ(loop.code, ErrorCode::kInvalidProfile);
  EXPECT_TRUE(contains(loop.message, "loop-a -> loop-b -> loop-a")) << loop.message;

  Error dangling = error_for("dangling");
  EXPECT_EQ(dangling.code, ErrorCode::kProfileNotFound);
  EXPECT_TRUE(contains(dangling.message, "'nowhere'")) << dangling.message;

  EXPECT_EQ(error_for("sourceless").code, ErrorCode::kInvalidProfile);
  EXPECT_EQ(error_for("both").code, ErrorCode::kInvalidProfile);
  EXPECT_TRUE(contains(error_for("weird").message, "Moon"));
  Error empty = error_for("empty-source");
  EXPECT_TRUE(contains(empty.message, "'nothing' has no credentials")) << empty.message;
  Error env_source = error_for("envsource");  // credential_source=Environment, nothing set
  EXPECT_EQ(env_source.code, ErrorCode::kInvalidProfile);
  EXPECT_TRUE(contains(env_source.message, "AWS_ACCESS_KEY_ID")) << env_source.message;
  Error duration = error_for("baddur");
  EXPECT_EQ(duration.code, ErrorCode::kInvalidProfile);
  EXPECT_TRUE(contains(duration.message, "duration_seconds")) << duration.message;
  EXPECT_EQ(http_->count(), 0);
}

TEST_F(ChainTest, SsoAndMfaProfilesExplainTheWorkaround) {
  home_.write_config(
      "[profile sso]\nsso_session = corp\nsso_account_id = 1\n"
      "[profile mfa]\nrole_arn = arn:aws:iam::1:role/m\nsource_profile = mfa\n"
      "mfa_serial = arn:aws:iam::1:mfa/me\naws_access_key_id = A\n"
      "aws_secret_access_key = S\n");
  os_->set("AWS_PROFILE", "sso");
  auto sso = chain()->get();
  ASSERT_FALSE(sso.ok());
  EXPECT_EQ(sso.error().code, ErrorCode::kUnsupportedCredentialSource);
  EXPECT_TRUE(contains(sso.error().message, "aws configure export-credentials --profile sso"));
  os_->set("AWS_PROFILE", "mfa");
  auto mfa = chain()->get();
  ASSERT_FALSE(mfa.ok());
  EXPECT_TRUE(contains(mfa.error().message, "mfa_serial"));
}

TEST_F(ChainTest, FullUriToAForeignHostIsRefused) {
  os_->set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://evil.example.com/creds");
  auto creds = chain()->get();
  ASSERT_FALSE(creds.ok());
  EXPECT_EQ(creds.error().code, ErrorCode::kInvalidContainerCredentialsUri);
  EXPECT_EQ(http_->count(), 0);
}

// A credential_process that counts its runs in a file, handing out credentials that expire
// one hour after a fixed time.
class CountingProcess {
 public:
  explicit CountingProcess(const TempHome& home, const std::string& expiration)
      : count_file_(home.path() + "/runs") {
    command_ =
        home.write("bin/count.sh",
                   "#!/bin/sh\necho run >> '" + count_file_ + "'\nn=$(wc -l < '" + count_file_ +
                       "' | tr -d ' ')\n"
                       "printf '{\"Version\":1,\"AccessKeyId\":\"AKID%s\","
                       "\"SecretAccessKey\":\"S\",\"SessionToken\":\"T\","
                       "\"Expiration\":\"" +
                       expiration + "\"}' \"$n\"\n",
                   true);
  }
  const std::string& command() const { return command_; }
  int runs() const {
    std::ifstream in(count_file_);
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }

 private:
  std::string count_file_;
  std::string command_;
};

TEST_F(ChainTest, TemporaryCredentialsAreCachedAndRefreshedFiveMinutesBeforeExpiry) {
  CountingProcess process(home_, "2030-01-01T01:00:00Z");
  home_.write_config("[default]\ncredential_process = " + process.command() + "\n");
  os_->set_now(*parse_iso8601("2030-01-01T00:00:00Z"));
  auto provider = chain();

  auto first = provider->get();
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_EQ(first->access_key_id, "AKID1");
  os_->advance(minutes(54));
  EXPECT_EQ(provider->get()->access_key_id, "AKID1");  // cached: 6 minutes left
  EXPECT_EQ(process.runs(), 1);
  os_->advance(minutes(2));  // 4 minutes left: inside the refresh window
  EXPECT_EQ(provider->get()->access_key_id, "AKID2");
  EXPECT_EQ(process.runs(), 2);
}

TEST_F(ChainTest, ConcurrentFirstCallsRunTheSourceOnce) {
  CountingProcess process(home_, "2099-01-01T00:00:00Z");
  home_.write_config("[default]\ncredential_process = " + process.command() + "\n");
  auto provider = chain();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (provider->get().ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(process.runs(), 1);
}

// Keys numbered by call ("AKID1", "AKID2", ...), for the caching rules on their own.
std::shared_ptr<FakeCredentialsProvider> numbered_credentials() {
  auto provider = std::make_shared<FakeCredentialsProvider>("AKID", "S", "T");
  provider->number_keys();
  return provider;
}

TEST(CachingCredentialsProvider, KeepsValidCredentialsWhenARefreshFailsUntilTheyExpire) {
  auto inner = numbered_credentials();
  auto os = FakeOs::make();
  os->set_now(system_clock::time_point{} + std::chrono::hours(1000));
  inner->expire_at(os->now() + minutes(10));
  CachingCredentialsProvider cache(inner, minutes(5), os);

  EXPECT_EQ(cache.get()->access_key_id, "AKID1");
  EXPECT_EQ(cache.get()->access_key_id, "AKID1");
  EXPECT_EQ(inner->calls(), 1);

  os->advance(minutes(6));  // inside the window
  inner->fail_with(make_error(ErrorCode::kInternalError, "refresh failed"));
  auto during = cache.get();
  ASSERT_TRUE(during.ok());
  EXPECT_EQ(during->access_key_id, "AKID1");
  EXPECT_EQ(inner->calls(), 2);

  os->advance(minutes(5));  // past expiration
  auto after = cache.get();
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, ErrorCode::kInternalError);

  inner->succeed();
  inner->expire_at(os->now() + std::chrono::hours(1));
  EXPECT_EQ(cache.get()->access_key_id, "AKID4");
}

// A refresh that takes its time (a slow credential_process) while other calls need credentials.
class SlowProvider : public CredentialsProvider {
 public:
  Result<Credentials> get() override {
    int n = ++calls;
    if (n > 1) {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return released; });
    }
    return Credentials{"AKID" + std::to_string(n), "S", "T", expiration, "slow"};
  }
  void release() {
    std::lock_guard lock(mu);
    released = true;
    cv.notify_all();
  }
  std::atomic<int> calls{0};
  std::optional<system_clock::time_point> expiration;
  std::mutex mu;
  std::condition_variable cv;
  bool released = false;
};

TEST(CachingCredentialsProvider, ASlowRefreshDoesNotHoldUpCallersWithValidCredentials) {
  auto inner = std::make_shared<SlowProvider>();
  auto os = FakeOs::make();
  os->set_now(system_clock::time_point{} + std::chrono::hours(1000));
  inner->expiration = os->now() + minutes(10);
  CachingCredentialsProvider cache(inner, minutes(5), os);
  EXPECT_EQ(cache.get()->access_key_id, "AKID1");
  os->advance(minutes(6));  // inside the refresh window: the next call refreshes
  std::thread refresher([&] { EXPECT_EQ(cache.get()->access_key_id, "AKID2"); });
  while (inner->calls < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(cache.get()->access_key_id, "AKID1");  // still valid: no waiting
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  EXPECT_EQ(inner->calls, 2) << "one refresh at a time";
  inner->expiration = os->now() + std::chrono::hours(1);
  inner->release();
  refresher.join();
  EXPECT_EQ(cache.get()->access_key_id, "AKID2");
}

TEST(CachingCredentialsProvider, LongTermCredentialsAreFetchedOnce) {
  auto inner = numbered_credentials();
  CachingCredentialsProvider cache(inner);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(cache.get().ok());
  EXPECT_EQ(inner->calls(), 1);
}

TEST(ParseIso8601, FormsSeenFromStsImdsAndCredentialProcesses) {
  using namespace std::chrono;
  const auto base = sys_days(year(2024) / 5 / 1) + hours(12);
  EXPECT_EQ(parse_iso8601("2024-05-01T12:00:00Z"), base);
  EXPECT_EQ(parse_iso8601("2024-05-01T12:00:00.250Z"), base + milliseconds(250));
  EXPECT_EQ(parse_iso8601("2024-05-01T14:00:00+02:00"), base);
  EXPECT_EQ(parse_iso8601("2024-05-01T11:30:00-0030"), base);
  EXPECT_EQ(parse_iso8601("2024-05-01T12:00:00"), base);
  EXPECT_FALSE(parse_iso8601("2024-13-01T12:00:00Z"));
  EXPECT_FALSE(parse_iso8601("2024-05-01"));
  EXPECT_FALSE(parse_iso8601("yesterday"));
  EXPECT_FALSE(parse_iso8601("2024-05-01T12:00:00Zjunk"));
}

}  // namespace
}  // namespace ecs_mcp::aws
