#include "store/agent_registry.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <thread>

#include "collector/store/store_test_util.h"
#include "store/event_store.h"

namespace nsm4::collector {
namespace {

using test::TempDir;

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Polls `reg` until it answers `want` for the token, for at most 3 s.
bool eventually(AgentRegistry& reg, const std::string& token, AuthResult want) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (std::chrono::steady_clock::now() < deadline) {
    if (reg.authenticate_token(token, nullptr) == want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(AgentRegistry, AddListAuthenticateRevoke) {
  TempDir dir;
  auto reg = AgentRegistry::open(dir.file("nsm4.db"));
  const std::string token = reg->add("sensor-1", "ward.1");
  ASSERT_EQ(token.size(), 64u);
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos);
  const std::string token2 = reg->add("sensor_2", "ward-2");
  EXPECT_NE(token, token2);

  const auto agents = reg->list();
  ASSERT_EQ(agents.size(), 2u);
  EXPECT_EQ(agents[0].name, "sensor-1");
  EXPECT_EQ(agents[0].site, "ward.1");
  EXPECT_GT(agents[0].created_us, 0);
  EXPECT_FALSE(agents[0].revoked);

  AgentRecord who;
  EXPECT_EQ(reg->authenticate_token(token, &who), AuthResult::kOk);
  EXPECT_EQ(who.name, "sensor-1");
  EXPECT_EQ(who.site, "ward.1");
  EXPECT_EQ(reg->authenticate_token(token2, &who), AuthResult::kOk);
  EXPECT_EQ(who.name, "sensor_2");
  EXPECT_EQ(reg->authenticate_token(token, &who), AuthResult::kOk);  // cached path
  EXPECT_EQ(who.name, "sensor-1");
  std::string wrong = token;
  wrong[10] = wrong[10] == 'a' ? 'b' : 'a';
  EXPECT_EQ(reg->authenticate_token(wrong, nullptr), AuthResult::kUnknown);
  EXPECT_EQ(reg->authenticate_token("", nullptr), AuthResult::kUnknown);
  EXPECT_EQ(reg->authenticate_token(std::string(10000, 'a'), nullptr), AuthResult::kUnknown);
  EXPECT_EQ(reg->authenticate_name("sensor-1", &who), AuthResult::kOk);
  EXPECT_EQ(reg->authenticate_name("nobody", nullptr), AuthResult::kUnknown);

  EXPECT_TRUE(reg->revoke("sensor-1"));
  EXPECT_FALSE(reg->revoke("nobody"));
  EXPECT_EQ(reg->authenticate_token(token, &who), AuthResult::kRevoked);
  EXPECT_EQ(who.name, "sensor-1");
  EXPECT_TRUE(who.revoked);
  EXPECT_GT(who.revoked_us, 0);
  EXPECT_EQ(reg->authenticate_name("sensor-1", nullptr), AuthResult::kRevoked);
  EXPECT_EQ(reg->authenticate_token(token2, nullptr), AuthResult::kOk);
  EXPECT_TRUE(reg->list()[0].revoked);

  // Tokens never reach the file in clear.
  reg.reset();
  const std::string bytes = file_bytes(dir.file("nsm4.db")) + file_bytes(dir.file("nsm4.db-wal"));
  EXPECT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find(token), std::string::npos);
  EXPECT_EQ(bytes.find(token2), std::string::npos);
}

TEST(AgentRegistry, RejectsBadAndDuplicateNames) {
  TempDir dir;
  auto reg = AgentRegistry::open(dir.file("nsm4.db"));
  EXPECT_THROW(reg->add("", "s"), StoreError);
  EXPECT_THROW(reg->add("a b", "s"), StoreError);
  EXPECT_THROW(reg->add(std::string(65, 'a'), "s"), StoreError);
  EXPECT_THROW(reg->add("a", "s/1"), StoreError);
  EXPECT_NO_THROW(reg->add(std::string(64, 'a'), "s"));
  reg->add("dup", "s");
  EXPECT_THROW(reg->add("dup", "t"), StoreError);
  reg->revoke("dup");
  EXPECT_THROW(reg->add("dup", "t"), StoreError);
  EXPECT_EQ(reg->list().size(), 2u);
}

TEST(AgentRegistry, SeesChangesFromAnotherConnectionWithinASecond) {
  TempDir dir;
  const std::string path = dir.file("nsm4.db");
  auto running = AgentRegistry::open(path);  // the collector
  // The collector's event writer commits to the same file all the time.
  StoreOptions so;
  so.path = path;
  auto store = EventStore::open(so);
  store->store_batch(test::key("x", "s"), {test::make_event("flow", 1)});

  auto cli = AgentRegistry::open(path);  // `nsm4-collector agent add` in another process
  const std::string token = cli->add("late", "s");
  EXPECT_TRUE(eventually(*running, token, AuthResult::kOk));
  store->store_batch(test::key("x", "s"), {test::make_event("flow", 2)});
  EXPECT_TRUE(cli->revoke("late"));
  const auto before = std::chrono::steady_clock::now();
  EXPECT_TRUE(eventually(*running, token, AuthResult::kRevoked));
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::milliseconds(1500));
  EXPECT_EQ(running->list().size(), 1u);
}

TEST(AgentRegistry, ConcurrentAuthentication) {
  TempDir dir;
  auto reg = AgentRegistry::open(dir.file("nsm4.db"));
  std::vector<std::string> tokens;
  for (int i = 0; i < 5; ++i) tokens.push_back(reg->add("a" + std::to_string(i), "s"));
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        AgentRecord who;
        const size_t k = static_cast<size_t>((t + i) % 5);
        if (reg->authenticate_token(tokens[k], &who) == AuthResult::kOk &&
            who.name == "a" + std::to_string(k)) {
          ok.fetch_add(1);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 800);
}

}  // namespace
}  // namespace nsm4::collector
