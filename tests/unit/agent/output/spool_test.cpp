#include "output/spool.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <future>
#include <memory>
#include <thread>

#include "nsm4/common/wire.h"
#include "output/gzip.h"
#include "temp_dir.h"

namespace nsm4::forward {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::TempDir;

std::string gz_of(const std::string& text) {
  std::string gz;
  EXPECT_EQ(gzip_compress(text, 1, gz), "");
  return gz;
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& de : fs::directory_iterator(dir))
    if (de.is_regular_file()) out.push_back(de.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

SpoolOptions options(const fs::path& dir, uint64_t max_bytes = 1 << 20,
                     FullPolicy policy = FullPolicy::kDropOldest) {
  SpoolOptions o;
  o.dir = dir;
  o.max_bytes = max_bytes;
  o.policy = policy;
  return o;
}

TEST(Spool, WritesOneCompleteFilePerBatchNamedBySequence) {
  TempDir tmp("spool");
  Spool s;
  ASSERT_EQ(s.open(options(tmp.path())), "");
  EXPECT_TRUE(wire::valid_stream_name(s.stream()));
  EXPECT_EQ(s.next_seq(), 0u);
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(s.append(gz_of("{\"i\":" + std::to_string(i) + "}\n"), 1), AppendResult::kStored);
  const auto names = names_in(tmp.path());
  EXPECT_EQ(names, (std::vector<std::string>{Spool::file_name(0, 1), Spool::file_name(1, 1),
                                             Spool::file_name(2, 1), "lock", "stream"}));
  // No temporary left behind; every file is a whole gzip stream.
  for (int i = 0; i < 3; ++i) {
    std::string body, text;
    auto e = s.oldest(0ms);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->seq, static_cast<uint64_t>(i));
    ASSERT_EQ(s.read(*e, body), "");
    ASSERT_EQ(gzip_decompress(body, 1 << 20, text), "");
    EXPECT_EQ(text, "{\"i\":" + std::to_string(i) + "}\n");
    ASSERT_EQ(s.acknowledge(e->seq), "");
  }
  EXPECT_EQ(names_in(tmp.path()), (std::vector<std::string>{"lock", "stream"}));
  const auto c = s.counters();
  EXPECT_EQ(c.batches, 0u);
  EXPECT_EQ(c.bytes, 0u);
  EXPECT_EQ(c.written_batches, 3u);
}

TEST(Spool, ReopenKeepsTheStreamAndNeverReusesASequenceNumber) {
  TempDir tmp("spool");
  std::string stream;
  {
    Spool s;
    ASSERT_EQ(s.open(options(tmp.path())), "");
    stream = s.stream();
    for (int i = 0; i < 4; ++i) ASSERT_EQ(s.append(gz_of("{}\n"), 1), AppendResult::kStored);
    // All acknowledged: no batch file is left to tell the next number.
    while (auto e = s.oldest(0ms)) ASSERT_EQ(s.acknowledge(e->seq), "");
  }
  {
    Spool s;
    ASSERT_EQ(s.open(options(tmp.path())), "");
    EXPECT_EQ(s.stream(), stream);
    EXPECT_EQ(s.next_seq(), 4u);
    ASSERT_EQ(s.append(gz_of("{}\n"), 1), AppendResult::kStored);
    ASSERT_EQ(s.append(gz_of("{}\n"), 1), AppendResult::kStored);
  }
  {
    // Batch files beyond the persisted number (written, not yet removed)
    // win: next = highest file + 1.
    Spool s;
    ASSERT_EQ(s.open(options(tmp.path())), "");
    EXPECT_EQ(s.next_seq(), 6u);
    EXPECT_EQ(s.counters().batches, 2u);
    auto e = s.oldest(0ms);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->seq, 4u);
  }
}

TEST(Spool, PartialFilesOfAnInterruptedWriteAreRemovedAndCounted) {
  TempDir tmp("spool");
  {
    Spool s;
    ASSERT_EQ(s.open(options(tmp.path())), "");
    ASSERT_EQ(s.append(gz_of("{}\n"), 1), AppendResult::kStored);
  }
  std::ofstream(tmp.path() / (Spool::file_name(1, 5) + ".part")) << "\x1f\x8b half a batch";
  std::ofstream(tmp.path() / "stream.part") << "nsm4-spool 1\nstr";
  Spool s;
  std::vector<std::string> notes;
  ASSERT_EQ(s.open(options(tmp.path()), &notes), "");
  EXPECT_EQ(s.counters().partial_removed, 2u);
  EXPECT_EQ(s.counters().batches, 1u);
  EXPECT_FALSE(notes.empty());
  EXPECT_EQ(names_in(tmp.path()),
            (std::vector<std::string>{Spool::file_name(0, 1), "lock", "stream"}));
  EXPECT_EQ(s.next_seq(), 1u);
}

TEST(Spool, UnreadableStreamFileStartsANewStream) {
  TempDir tmp("spool");
  std::string first;
  {
    Spool s;
    ASSERT_EQ(s.open(options(tmp.path())), "");
    first = s.stream();
    ASSERT_EQ(s.append(gz_of("{}\n"), 1), AppendResult::kStored);
  }
  std::ofstream(tmp.path() / "stream", std::ios::trunc) << "garbage";
  Spool s;
  std::vector<std::string> notes;
  ASSERT_EQ(s.open(options(tmp.path()), &notes), "");
  EXPECT_NE(s.stream(), first);
  EXPECT_TRUE(wire::valid_stream_name(s.stream()));
  EXPECT_EQ(s.next_seq(), 1u);  // past the batch still on disk
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(notes.back().find("stream"), std::string::npos);
}

TEST(Spool, KillDuringWritesLeavesOnlyWholeBatches) {
  TempDir tmp("spool");
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    Spool s;
    if (!s.open(options(tmp.path(), 1ull << 40)).empty()) _exit(2);
    std::string text;
    for (int i = 0; i < 2000; ++i)
      text += "{\"event_type\":\"flow\",\"i\":" + std::to_string(i) + "}\n";
    std::string gz;
    gzip_compress(text, 0, gz);  // stored blocks: large files, slow enough to be cut
    for (int n = 0;; ++n) {
      s.append(gz, 2000);
      if (n % 10 == 9) {
        // The sender's side too: acknowledging the highest persists the next number.
        while (auto e = s.oldest(std::chrono::milliseconds(0))) s.acknowledge(e->seq);
      }
    }
  }
  std::this_thread::sleep_for(300ms);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));

  Spool s;
  ASSERT_EQ(s.open(options(tmp.path(), 1ull << 40)), "");
  const uint64_t next = s.next_seq();
  EXPECT_GT(next, 0u);
  uint64_t highest = 0;
  bool any = false;
  while (auto e = s.oldest(0ms)) {
    std::string body, text;
    ASSERT_EQ(s.read(*e, body), "");
    ASSERT_EQ(gzip_decompress(body, 1 << 26, text), "") << "batch " << e->seq << " is corrupt";
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2000);
    highest = std::max(highest, e->seq);
    any = true;
    ASSERT_EQ(s.acknowledge(e->seq), "");
  }
  if (any) {
    EXPECT_GT(next, highest);
  }
  for (const auto& name : names_in(tmp.path())) EXPECT_EQ(name.find(".part"), std::string::npos);
}

TEST(Spool, DropOldestKeepsTheCapAndCountsWhatItDrops) {
  TempDir tmp("spool");
  std::string body(1000, 'x');  // stored as is: size known
  Spool s;
  ASSERT_EQ(s.open(options(tmp.path(), 3500)), "");
  for (int i = 0; i < 5; ++i) ASSERT_EQ(s.append(body, 10 + i), AppendResult::kStored);
  const auto c = s.counters();
  EXPECT_EQ(c.batches, 3u);
  EXPECT_LE(c.bytes, 3500u);
  EXPECT_EQ(c.dropped_batches, 2u);
  EXPECT_EQ(c.dropped_events, 10u + 11u);
  auto e = s.oldest(0ms);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->seq, 2u);  // the oldest two went
}

TEST(Spool, DropOldestSparesTheBatchBeingSent) {
  TempDir tmp("spool");
  std::string body(1000, 'x');
  Spool s;
  ASSERT_EQ(s.open(options(tmp.path(), 2500)), "");
  ASSERT_EQ(s.append(body, 1), AppendResult::kStored);
  ASSERT_EQ(s.append(body, 2), AppendResult::kStored);
  auto sending = s.oldest(0ms);
  ASSERT_TRUE(sending);
  EXPECT_EQ(sending->seq, 0u);
  ASSERT_EQ(s.append(body, 3), AppendResult::kStored);
  EXPECT_EQ(s.counters().dropped_events, 2u);  // seq 1 went, not seq 0
  std::string read_back;
  EXPECT_EQ(s.read(*sending, read_back), "");
  EXPECT_EQ(read_back, body);
}

TEST(Spool, BlockPolicyWaitsForRoom) {
  TempDir tmp("spool");
  std::string body(1000, 'x');
  Spool s;
  ASSERT_EQ(s.open(options(tmp.path(), 2500, FullPolicy::kBlock)), "");
  ASSERT_EQ(s.append(body, 1), AppendResult::kStored);
  ASSERT_EQ(s.append(body, 1), AppendResult::kStored);
  auto third = std::async(std::launch::async, [&] { return s.append(body, 1); });
  EXPECT_EQ(third.wait_for(200ms), std::future_status::timeout);  // full: the producer waits
  EXPECT_EQ(s.counters().blocked_waits, 1u);
  auto e = s.oldest(0ms);
  ASSERT_TRUE(e);
  ASSERT_EQ(s.acknowledge(e->seq), "");
  ASSERT_EQ(third.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(third.get(), AppendResult::kStored);
  const auto c = s.counters();
  EXPECT_EQ(c.batches, 2u);
  EXPECT_EQ(c.dropped_batches, 0u);
}

TEST(Spool, BlockPolicyDropsTheNewBatchOnceInterrupted) {
  TempDir tmp("spool");
  std::string body(1000, 'x');
  Spool s;
  ASSERT_EQ(s.open(options(tmp.path(), 2500, FullPolicy::kBlock)), "");
  ASSERT_EQ(s.append(body, 1), AppendResult::kStored);
  ASSERT_EQ(s.append(body, 1), AppendResult::kStored);
  auto third = std::async(std::launch::async, [&] { return s.append(body, 7); });
  EXPECT_EQ(third.wait_for(100ms), std::future_status::timeout);
  s.interrupt();
  ASSERT_EQ(third.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(third.get(), AppendResult::kDropped);
  const auto c = s.counters();
  EXPECT_EQ(c.batches, 2u);  // the older batches are kept
  EXPECT_EQ(c.dropped_batches, 1u);
  EXPECT_EQ(c.dropped_events, 7u);
}

TEST(Spool, RejectedBatchesMoveAsideUnderTheirOwnCap) {
  TempDir tmp("spool");
  SpoolOptions o = options(tmp.path());
  o.rejected_max_files = 2;
  {
    Spool s;
    ASSERT_EQ(s.open(o), "");
    for (int i = 0; i < 3; ++i) ASSERT_EQ(s.append(gz_of("{}\n"), 1), AppendResult::kStored);
    for (int i = 0; i < 3; ++i) {
      auto e = s.oldest(0ms);
      ASSERT_TRUE(e);
      ASSERT_EQ(s.reject(e->seq), "");
    }
    EXPECT_EQ(s.counters().rejected_batches, 3u);
    EXPECT_EQ(s.counters().batches, 0u);
    EXPECT_EQ(names_in(s.rejected_dir()).size(), 2u);
  }
  // Reopening does not resend rejected batches nor reuse their numbers.
  Spool again;
  ASSERT_EQ(again.open(o), "");
  EXPECT_EQ(again.counters().batches, 0u);
  EXPECT_EQ(again.next_seq(), 3u);
}

TEST(Spool, OneAgentPerSpool) {
  TempDir tmp("spool");
  auto first = std::make_unique<Spool>();
  ASSERT_EQ(first->open(options(tmp.path())), "");
  Spool second;
  const std::string err = second.open(options(tmp.path()));
  EXPECT_NE(err.find("in use"), std::string::npos) << err;
  first.reset();  // released with the first
  EXPECT_EQ(second.open(options(tmp.path())), "");
}

TEST(Spool, WaitUntilEmptyAndInterrupt) {
  TempDir tmp("spool");
  Spool s;
  ASSERT_EQ(s.open(options(tmp.path())), "");
  EXPECT_TRUE(s.wait_until_empty(std::chrono::steady_clock::now()));
  ASSERT_EQ(s.append(gz_of("{}\n"), 1), AppendResult::kStored);
  EXPECT_FALSE(s.wait_until_empty(std::chrono::steady_clock::now() + 50ms));
  std::thread ack([&] {
    std::this_thread::sleep_for(50ms);
    auto e = s.oldest(0ms);
    if (e) s.acknowledge(e->seq);
  });
  EXPECT_TRUE(s.wait_until_empty(std::chrono::steady_clock::now() + 5s));
  ack.join();
  s.interrupt();
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_FALSE(s.oldest(5s));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
}

TEST(Spool, UnwritableDirectoryIsAnError) {
  if (geteuid() == 0) GTEST_SKIP() << "root can write anywhere";
  TempDir tmp("spool");
  fs::create_directories(tmp.path() / "ro");
  fs::permissions(tmp.path() / "ro", fs::perms::owner_read | fs::perms::owner_exec);
  Spool s;
  EXPECT_NE(s.open(options(tmp.path() / "ro")), "");
  fs::permissions(tmp.path() / "ro", fs::perms::owner_all);
}

}  // namespace
}  // namespace nsm4::forward
