#include "reassembly/tcp_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace nsm4 {
namespace {

// Records what the stream hands on: data bytes, gaps (as '?' per byte in
// `text`, so a test sees where they fell) and events.
class RecordingSink : public StreamSink {
 public:
  void data(const uint8_t* p, uint32_t len) override {
    bytes.insert(bytes.end(), p, p + len);
    text.append(reinterpret_cast<const char*>(p), len);
    ++data_calls;
  }
  void gap(uint32_t len) override {
    gaps.push_back(len);
    text.append(len, '?');
  }
  void event(StreamEvent e) override { events.push_back(e); }

  size_t count(StreamEvent e) const { return std::count(events.begin(), events.end(), e); }

  std::vector<uint8_t> bytes;
  std::string text;
  std::vector<uint32_t> gaps;
  std::vector<StreamEvent> events;
  int data_calls = 0;
};

const uint8_t* bytes_of(const std::string& s) {
  return reinterpret_cast<const uint8_t*>(s.data());
}

// One stream with its own memory and stats.
struct Fixture {
  explicit Fixture(StreamConfig c = {}) : cfg(c), stream(cfg, mem, stats) {}
  void add(uint32_t seq, const std::string& s) {
    stream.add(seq, bytes_of(s), static_cast<uint32_t>(s.size()), sink);
  }
  StreamConfig cfg;
  StreamMemory mem;
  StreamStats stats;
  RecordingSink sink;
  TcpStream stream;
};

constexpr uint32_t kIsn = 1000;

TEST(TcpStreamBasics, EventNames) {
  EXPECT_STREQ(stream_event_name(StreamEvent::kOverlapDifferentData),
               "REASSEMBLY_OVERLAP_DIFFERENT_DATA");
  EXPECT_STREQ(stream_event_name(StreamEvent::kDepthReached), "REASSEMBLY_DEPTH_REACHED");
}

TEST(TcpStreamBasics, InOrderIsHandedOnAtOnceWithoutHolding) {
  Fixture f;
  f.stream.start(kIsn);
  EXPECT_TRUE(f.stream.started());
  f.add(kIsn, "hello ");
  EXPECT_EQ(f.sink.text, "hello ");
  f.add(kIsn + 6, "world");
  EXPECT_EQ(f.sink.text, "hello world");
  EXPECT_EQ(f.sink.data_calls, 2);
  EXPECT_EQ(f.stream.next_seq(), kIsn + 11);
  EXPECT_EQ(f.stream.delivered(), 11u);
  EXPECT_EQ(f.stream.held_bytes(), 0u);
  EXPECT_EQ(f.stream.memory(), 0u);
  EXPECT_EQ(f.mem.used, 0u);
  EXPECT_EQ(f.stats.segments, 2u);
  EXPECT_EQ(f.stats.in_order, 2u);
  EXPECT_TRUE(f.sink.events.empty());
}

TEST(TcpStreamBasics, ZeroLengthSegmentDoesNothing) {
  Fixture f;
  f.stream.start(kIsn);
  f.stream.add(kIsn, nullptr, 0, f.sink);
  EXPECT_EQ(f.stats.segments, 0u);
  EXPECT_EQ(f.stream.next_seq(), kIsn);
}

TEST(TcpStreamBasics, MidstreamPickupStartsAtTheFirstSegment) {
  Fixture f;
  EXPECT_FALSE(f.stream.started());
  f.add(5555, "abc");
  EXPECT_TRUE(f.stream.started());
  EXPECT_EQ(f.sink.text, "abc");
  EXPECT_EQ(f.stream.next_seq(), 5558u);
}

TEST(TcpStreamOutOfOrder, HeldUntilTheHoleFills) {
  Fixture f;
  f.stream.start(kIsn);
  f.add(kIsn + 4, "EFGH");
  f.add(kIsn + 8, "IJ");
  EXPECT_EQ(f.sink.text, "");
  EXPECT_EQ(f.stream.held_bytes(), 6u);
  EXPECT_GT(f.stream.memory(), 6u);
  EXPECT_EQ(f.mem.used, f.stream.memory());
  f.add(kIsn, "ABCD");
  EXPECT_EQ(f.sink.text, "ABCDEFGHIJ");
  EXPECT_EQ(f.stream.held_bytes(), 0u);
  EXPECT_EQ(f.mem.used, 0u);
  EXPECT_GT(f.mem.peak, 0u);
  EXPECT_EQ(f.stats.out_of_order, 2u);
  EXPECT_EQ(f.stats.in_order, 1u);
}

// Every order of a few segments (some of them overlapping) yields the
// original bytes, whatever the policy, since all copies agree.
void check_all_orders(const std::string& original, std::vector<std::pair<uint32_t, uint32_t>> segs,
                      StreamPolicy policy) {
  std::vector<size_t> order(segs.size());
  std::iota(order.begin(), order.end(), 0);
  int perms = 0;
  do {
    StreamConfig cfg;
    cfg.policy = policy;
    Fixture f(cfg);
    f.stream.start(kIsn);
    for (size_t i : order) {
      f.add(kIsn + segs[i].first, original.substr(segs[i].first, segs[i].second));
    }
    ASSERT_EQ(f.sink.text, original) << "permutation " << perms;
    EXPECT_TRUE(f.sink.events.empty());
    EXPECT_EQ(f.mem.used, 0u);
    ++perms;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_GT(perms, 1);
}

TEST(TcpStreamOutOfOrder, AllPermutationsOfFiveSegments) {
  const std::string original = "The quick brown fox jumps";
  check_all_orders(original, {{0, 5}, {5, 5}, {10, 5}, {15, 5}, {20, 5}}, StreamPolicy::kBsd);
}

TEST(TcpStreamOutOfOrder, AllPermutationsOfOverlappingSegmentsUnderEveryPolicy) {
  const std::string original = "0123456789abcdefghijklmnop";
  for (StreamPolicy p : {StreamPolicy::kBsd, StreamPolicy::kFirst, StreamPolicy::kLast,
                         StreamPolicy::kLinux, StreamPolicy::kWindows, StreamPolicy::kSolaris}) {
    check_all_orders(original, {{0, 6}, {4, 8}, {10, 4}, {12, 10}, {20, 6}}, p);
  }
}

TEST(TcpStreamRetransmission, OldDataIsCountedAndDropped) {
  Fixture f;
  f.stream.start(kIsn);
  f.add(kIsn, "abcdef");
  f.add(kIsn, "abcdef");
  f.add(kIsn + 2, "cd");
  EXPECT_EQ(f.sink.text, "abcdef");
  EXPECT_EQ(f.stats.retransmissions, 2u);
  EXPECT_EQ(f.stats.overlaps, 0u);
}

TEST(TcpStreamRetransmission, DuplicateOfHeldDataIsARetransmission) {
  Fixture f;
  f.stream.start(kIsn);
  f.add(kIsn + 3, "def");
  f.add(kIsn + 3, "def");
  EXPECT_EQ(f.stream.held_bytes(), 3u);
  EXPECT_EQ(f.stats.retransmissions, 1u);
  f.add(kIsn, "abc");
  EXPECT_EQ(f.sink.text, "abcdef");
}

TEST(TcpStreamOverlap, PartialOverlapPassesOnlyTheNewBytes) {
  Fixture f;
  f.stream.start(kIsn);
  f.add(kIsn, "abcd");
  f.add(kIsn + 2, "cdefg");
  EXPECT_EQ(f.sink.text, "abcdefg");
  EXPECT_EQ(f.stats.overlaps, 1u);
  EXPECT_EQ(f.stream.delivered(), 7u);
}

TEST(TcpStreamOverlap, SegmentSpanningHeldDataFillsAroundIt) {
  Fixture f;
  f.stream.start(kIsn);
  f.add(kIsn + 3, "de");
  f.add(kIsn + 7, "h");
  f.add(kIsn + 2, "cdefghij");
  EXPECT_EQ(f.sink.text, "");
  EXPECT_EQ(f.stream.held_bytes(), 8u);
  f.add(kIsn, "ab");
  EXPECT_EQ(f.sink.text, "abcdefghij");
  EXPECT_EQ(f.mem.used, 0u);
}

// The held segment "XXXX" at +4 and a new segment over it with other bytes.
struct PolicyCase {
  StreamPolicy policy;
  const char* name;
  // new segment (offset, bytes) arriving after the held "XXXX" at offset 4
  uint32_t off;
  const char* bytes;
  const char* expect;  // after "0123" fills what is before both and close
};

std::string run_policy_case(const PolicyCase& c, size_t* diff_events) {
  StreamConfig cfg;
  cfg.policy = c.policy;
  Fixture f(cfg);
  f.stream.start(kIsn);
  f.add(kIsn + 4, "XXXX");
  f.add(kIsn + c.off, c.bytes);
  f.add(kIsn, std::string("0123").substr(0, std::min<uint32_t>(c.off, 4)));
  f.stream.close(f.sink);
  *diff_events = f.sink.count(StreamEvent::kOverlapDifferentData);
  EXPECT_EQ(f.stats.overlap_diff, *diff_events);
  EXPECT_EQ(f.mem.used, 0u);
  return f.sink.text;
}

TEST(TcpStreamPolicy, WhichCopySurvives) {
  using P = StreamPolicy;
  const PolicyCase cases[] = {
      // new starts before the held segment and covers it
      {P::kFirst, "first/before", 3, "abcdefg", "012aXXXXfg"},
      {P::kBsd, "bsd/before", 3, "abcdefg", "012abcdefg"},
      {P::kLast, "last/before", 3, "abcdefg", "012abcdefg"},
      {P::kLinux, "linux/before", 3, "abcdefg", "012abcdefg"},
      {P::kWindows, "windows/before", 3, "abcdefg", "012abcdefg"},
      {P::kSolaris, "solaris/before", 3, "abcdefg", "012abcdefg"},
      // new starts before, ends inside the held segment
      {P::kBsd, "bsd/before-short", 2, "abcd", "01abcdXX"},
      {P::kSolaris, "solaris/before-short", 2, "abcd", "01abXXXX"},
      {P::kFirst, "first/before-short", 2, "abcd", "01abXXXX"},
      // same start, same length
      {P::kFirst, "first/same", 4, "abcd", "0123XXXX"},
      {P::kBsd, "bsd/same", 4, "abcd", "0123XXXX"},
      {P::kLast, "last/same", 4, "abcd", "0123abcd"},
      {P::kLinux, "linux/same", 4, "abcd", "0123XXXX"},
      {P::kSolaris, "solaris/same", 4, "abcd", "0123abcd"},
      // same start, longer
      {P::kBsd, "bsd/same-longer", 4, "abcdef", "0123XXXXef"},
      {P::kLinux, "linux/same-longer", 4, "abcdef", "0123abcdef"},
      {P::kWindows, "windows/same-longer", 4, "abcdef", "0123XXXXef"},
      // starts inside, ends beyond
      {P::kBsd, "bsd/after", 6, "abcd", "0123XXXXcd"},
      {P::kFirst, "first/after", 6, "abcd", "0123XXXXcd"},
      {P::kLast, "last/after", 6, "abcd", "0123XXabcd"},
      {P::kSolaris, "solaris/after", 6, "abcd", "0123XXabcd"},
      {P::kLinux, "linux/after", 6, "abcd", "0123XXXXcd"},
      // inside
      {P::kBsd, "bsd/inside", 5, "ab", "0123XXXX"},
      {P::kLast, "last/inside", 5, "ab", "0123XabX"},
  };
  for (const PolicyCase& c : cases) {
    size_t events = 0;
    EXPECT_EQ(run_policy_case(c, &events), c.expect) << c.name;
    EXPECT_EQ(events, 1u) << c.name;
  }
}

TEST(TcpStreamPolicy, SameBytesRaiseNoEvent) {
  Fixture f;
  f.stream.start(kIsn);
  f.add(kIsn + 4, "efgh");
  f.add(kIsn + 2, "cdefghij");
  f.add(kIsn, "ab");
  EXPECT_EQ(f.sink.text, "abcdefghij");
  EXPECT_TRUE(f.sink.events.empty());
  EXPECT_EQ(f.stats.overlaps, 1u);
}

TEST(TcpStreamPolicy, OneEventPerSegmentOverlappingSeveralHeld) {
  StreamConfig cfg;
  cfg.policy = StreamPolicy::kFirst;
  Fixture f(cfg);
  f.stream.start(kIsn);
  f.add(kIsn + 2, "XX");
  f.add(kIsn + 6, "YY");
  f.add(kIsn + 1, "abcdefgh");
  EXPECT_EQ(f.sink.count(StreamEvent::kOverlapDifferentData), 1u);
  f.add(kIsn, "0");
  EXPECT_EQ(f.sink.text, "0aXXdeYYh");
}

TEST(TcpStreamPolicy, DeliveredBytesNeverChange) {
  StreamConfig cfg;
  cfg.policy = StreamPolicy::kLast;
  cfg.overlap_window = 16;
  Fixture f(cfg);
  f.stream.start(kIsn);
  f.add(kIsn, "abcdef");
  f.add(kIsn + 2, "XXXXgh");
  EXPECT_EQ(f.sink.text, "abcdefgh");
  EXPECT_EQ(f.sink.count(StreamEvent::kOverlapDifferentData), 1u);
  f.add(kIsn, "ab");  // same bytes: no event
  EXPECT_EQ(f.sink.count(StreamEvent::kOverlapDifferentData), 1u);
  f.add(kIsn + 7, "Z");  // all old, different
  EXPECT_EQ(f.sink.count(StreamEvent::kOverlapDifferentData), 2u);
  EXPECT_EQ(f.sink.text, "abcdefgh");
  EXPECT_EQ(f.stats.overlap_diff, 2u);
}

TEST(TcpStreamPolicy, OverlapWindowIsBoundedAndAccounted) {
  StreamConfig cfg;
  cfg.overlap_window = 4;
  Fixture f(cfg);
  f.stream.start(kIsn);
  f.add(kIsn, "abcdefgh");
  EXPECT_EQ(f.mem.used, 4u);
  f.add(kIsn, "XXXX");  // older than the window: cannot be compared
  EXPECT_TRUE(f.sink.events.empty());
  f.add(kIsn + 5, "X");  // within the window
  EXPECT_EQ(f.sink.count(StreamEvent::kOverlapDifferentData), 1u);
}

TEST(TcpStreamPolicy, WithoutOverlapWindowDeliveredDataIsNotCompared) {
  Fixture f;
  f.stream.start(kIsn);
  f.add(kIsn, "abcdef");
  f.add(kIsn, "XXXXXX");
  EXPECT_TRUE(f.sink.events.empty());
  EXPECT_EQ(f.mem.used, 0u);
}

TEST(TcpStreamGap, AckPastAHoleReportsItAndHandsOnWhatFollows) {
  Fixture f;
  f.stream.start(kIsn);
  f.add(kIsn, "ab");
  f.add(kIsn + 5, "fg");
  f.add(kIsn + 10, "kl");
  f.stream.acked(kIsn + 7, f.sink);
  EXPECT_EQ(f.sink.text, "ab???fg");
  EXPECT_EQ(f.sink.gaps, std::vector<uint32_t>{3});
  f.stream.acked(kIsn + 12, f.sink);
  EXPECT_EQ(f.sink.text, "ab???fg???kl");
  EXPECT_EQ(f.stats.gaps, 2u);
  EXPECT_EQ(f.stats.gap_bytes, 6u);
  EXPECT_EQ(f.stream.delivered(), 6u);
  EXPECT_EQ(f.stream.next_seq(), kIsn + 12);
  EXPECT_EQ(f.mem.used, 0u);
}

TEST(TcpStreamGap, OneAckCrossesSeveralHoles) {
  Fixture f;
  f.stream.start(kIsn);
  f.add(kIsn + 2, "c");
  f.add(kIsn + 4, "e");
  f.stream.acked(kIsn + 8, f.sink);
  EXPECT_EQ(f.sink.text, "??c?e???");
}

TEST(TcpStreamGap, AckBeyondEverythingSeenIsAGapUpToTheAck) {
  Fixture f;
  f.stream.start(kIsn);
  f.stream.acked(kIsn + 100, f.sink);
  EXPECT_EQ(f.sink.gaps, std::vector<uint32_t>{100});
  EXPECT_EQ(f.stream.next_seq(), kIsn + 100);
  f.add(kIsn + 100, "x");
  EXPECT_EQ(f.sink.text.back(), 'x');
}

TEST(TcpStreamGap, AckOnlyUpToItsOwnSeq) {
  Fixture f;
  f.stream.start(kIsn);
  f.add(kIsn + 10, "k");
  f.stream.acked(kIsn + 4, f.sink);
  EXPECT_EQ(f.sink.text, "????");
  EXPECT_EQ(f.stream.held_bytes(), 1u);
}

TEST(TcpStreamGap, OldAndAbsurdAcksAreIgnored) {
  Fixture f;
  f.stream.start(kIsn);
  f.add(kIsn, "abcd");
  f.stream.acked(kIsn + 2, f.sink);
  f.stream.acked(kIsn + 4, f.sink);
  f.stream.acked(kIsn + 4 + (1u << 30) + 1, f.sink);
  f.stream.acked(kIsn - 100, f.sink);
  EXPECT_TRUE(f.sink.gaps.empty());
  EXPECT_EQ(f.stream.next_seq(), kIsn + 4);
}

TEST(TcpStreamGap, CloseHandsOnEverythingHeld) {
  Fixture f;
  f.stream.start(kIsn);
  f.add(kIsn, "a");
  f.add(kIsn + 3, "d");
  f.add(kIsn + 5, "fg");
  f.stream.close(f.sink);
  EXPECT_EQ(f.sink.text, "a??d?fg");
  EXPECT_EQ(f.mem.used, 0u);
  f.add(kIsn + 7, "h");  // closed: nothing more
  EXPECT_EQ(f.sink.text, "a??d?fg");
}

TEST(TcpStreamWrap, SequenceNumbersWrapAround) {
  Fixture f;
  const uint32_t isn = 0xfffffffau;
  f.stream.start(isn);
  f.add(isn + 8, "ijkl");  // wrapped: seq 2
  f.add(isn + 4, "efgh");  // crosses 2^32
  f.add(isn, "abcd");
  EXPECT_EQ(f.sink.text, "abcdefghijkl");
  EXPECT_EQ(f.stream.next_seq(), 6u);
  f.add(isn + 2, "cdefghijklmn");  // partly old across the wrap
  EXPECT_EQ(f.sink.text, "abcdefghijklmn");
  f.add(14, "u");
  f.stream.acked(15, f.sink);
  EXPECT_EQ(f.sink.text, "abcdefghijklmn??????u");
}

TEST(TcpStreamDepth, StopsAtDepthOnce) {
  StreamConfig cfg;
  cfg.depth = 10;
  Fixture f(cfg);
  f.stream.start(kIsn);
  f.add(kIsn + 8, "ijkl");
  f.add(kIsn, "abcdefgh");
  EXPECT_EQ(f.sink.text, "abcdefghij");
  EXPECT_EQ(f.sink.count(StreamEvent::kDepthReached), 1u);
  EXPECT_EQ(f.stats.depth_reached, 1u);
  EXPECT_EQ(f.mem.used, 0u);
  f.add(kIsn + 12, "mn");
  f.stream.acked(kIsn + 20, f.sink);
  f.stream.close(f.sink);
  EXPECT_EQ(f.sink.text, "abcdefghij");
  EXPECT_EQ(f.sink.count(StreamEvent::kDepthReached), 1u);
}

TEST(TcpStreamDepth, GapsCountTowardsDepth) {
  StreamConfig cfg;
  cfg.depth = 6;
  Fixture f(cfg);
  f.stream.start(kIsn);
  f.add(kIsn + 4, "efgh");
  f.stream.acked(kIsn + 8, f.sink);
  EXPECT_EQ(f.sink.text, "????ef");
  EXPECT_EQ(f.sink.count(StreamEvent::kDepthReached), 1u);
}

TEST(TcpStreamLimits, MaxSegmentsDropsAndCounts) {
  StreamConfig cfg;
  cfg.max_segments = 2;
  Fixture f(cfg);
  f.stream.start(kIsn);
  f.add(kIsn + 2, "c");
  f.add(kIsn + 4, "e");
  f.add(kIsn + 6, "g");  // third held segment: dropped
  EXPECT_EQ(f.sink.count(StreamEvent::kSegmentsLimit), 1u);
  EXPECT_EQ(f.stats.segment_limit_drops, 1u);
  f.add(kIsn + 4, "e");  // a duplicate of a held one is no new segment
  EXPECT_EQ(f.stats.segment_limit_drops, 1u);
  f.add(kIsn, "ab");  // in order: never limited
  EXPECT_EQ(f.sink.text, "abc");
  f.stream.close(f.sink);
  EXPECT_EQ(f.sink.text, "abc?e");
}

TEST(TcpStreamLimits, MemcapIsSharedAndReleasedOnDestruction) {
  StreamConfig cfg;
  cfg.memcap = 1000;
  StreamMemory mem;
  StreamStats stats;
  RecordingSink sink;
  const std::string block(300, 'x');
  {
    TcpStream a(cfg, mem, stats);
    TcpStream b(cfg, mem, stats);
    a.start(kIsn);
    b.start(kIsn);
    a.add(kIsn + 10, bytes_of(block), 300, sink);
    b.add(kIsn + 10, bytes_of(block), 300, sink);
    EXPECT_EQ(mem.used, a.memory() + b.memory());
    EXPECT_EQ(sink.count(StreamEvent::kMemcap), 0u);
    b.add(kIsn + 400, bytes_of(block), 300, sink);  // 900+ of 1000
    EXPECT_EQ(sink.count(StreamEvent::kMemcap), 1u);
    EXPECT_EQ(stats.memcap_drops, 1u);
    EXPECT_EQ(mem.used, a.memory() + b.memory());
    EXPECT_LE(mem.used, cfg.memcap);
    EXPECT_EQ(mem.peak, mem.used);
  }
  EXPECT_EQ(mem.used, 0u);
  EXPECT_GT(mem.peak, 600u);
}

TEST(TcpStreamLimits, FarAheadSegmentIsDropped) {
  Fixture f;
  f.stream.start(kIsn);
  f.add(kIsn + (1u << 30) + 10, "x");
  EXPECT_EQ(f.stats.out_of_window, 1u);
  EXPECT_EQ(f.stream.held_bytes(), 0u);
}

TEST(TcpStreamStats, MergeAddsEveryCounter) {
  StreamStats a;
  a.segments = 2;
  a.memcap_drops = 1;
  StreamStats b;
  b.segments = 3;
  b.out_of_window = 4;
  a.merge(b);
  EXPECT_EQ(a.segments, 5u);
  EXPECT_EQ(a.memcap_drops, 1u);
  EXPECT_EQ(a.out_of_window, 4u);
}

// Random segmentation, duplication and reordering of a random buffer: after
// close every byte came through once, in order, with no gap.
TEST(TcpStreamProperty, RandomSegmentationAndReorderingReassembles) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 300; ++round) {
    const size_t size = 1 + rng() % 3000;
    std::vector<uint8_t> original(size);
    for (uint8_t& b : original) b = static_cast<uint8_t>(rng());
    struct Seg {
      uint32_t off, len;
    };
    std::vector<Seg> segs;
    for (uint32_t off = 0; off < size;) {
      const uint32_t len = std::min<uint32_t>(1 + rng() % 200, static_cast<uint32_t>(size) - off);
      segs.push_back({off, len});
      off += len;
    }
    const size_t extra = rng() % (segs.size() + 1);
    for (size_t i = 0; i < extra; ++i) {  // duplicates and overlapping re-cuts
      const uint32_t off = rng() % size;
      const uint32_t len = 1 + rng() % std::min<uint32_t>(300, static_cast<uint32_t>(size) - off);
      segs.push_back({off, len});
    }
    std::shuffle(segs.begin(), segs.end(), rng);
    StreamConfig cfg;
    cfg.policy = static_cast<StreamPolicy>(round % 6);
    cfg.overlap_window = round % 2 ? 512 : 0;
    Fixture f(cfg);
    const uint32_t isn = static_cast<uint32_t>(rng());  // wraps in some rounds
    f.stream.start(isn);
    for (const Seg& s : segs) f.stream.add(isn + s.off, original.data() + s.off, s.len, f.sink);
    f.stream.close(f.sink);
    ASSERT_EQ(f.sink.bytes, original) << "round " << round;
    EXPECT_TRUE(f.sink.gaps.empty());
    EXPECT_TRUE(f.sink.events.empty());
    EXPECT_EQ(f.stream.next_seq(), isn + static_cast<uint32_t>(size));
    EXPECT_EQ(f.stats.in_order + f.stats.out_of_order + f.stats.retransmissions, segs.size());
  }
}

TEST(TcpStreamPolicy, RetransmissionOfHeldBytesFollowsThePolicy) {
  StreamConfig cfg;
  cfg.policy = StreamPolicy::kLast;
  Fixture f(cfg);
  f.stream.start(kIsn);
  f.add(kIsn + 2, "cd");
  f.add(kIsn + 2, "XY");  // nothing new, but `last` takes it
  EXPECT_EQ(f.stats.retransmissions, 1u);
  EXPECT_EQ(f.sink.count(StreamEvent::kOverlapDifferentData), 1u);
  f.add(kIsn, "ab");
  EXPECT_EQ(f.sink.text, "abXY");
}

// Random segments whose copies disagree, against a byte-level model of the
// two policies that are simple to state: under `first` every byte is the
// first copy of it that arrived; under `last` it is the last copy that
// arrived before the byte was handed on.
TEST(TcpStreamProperty, DisagreeingCopiesFollowFirstAndLast) {
  std::mt19937 rng(777);
  for (int round = 0; round < 400; ++round) {
    const bool last = round % 2 == 1;
    const uint32_t size = 1 + rng() % 400;
    StreamConfig cfg;
    cfg.policy = last ? StreamPolicy::kLast : StreamPolicy::kFirst;
    Fixture f(cfg);
    const uint32_t isn = static_cast<uint32_t>(rng());
    f.stream.start(isn);
    std::vector<uint8_t> model(size);
    std::vector<bool> seen(size, false);
    uint32_t frontier = 0;  // the model's bytes handed on
    auto feed = [&](uint32_t off, uint32_t len) {
      std::vector<uint8_t> bytes(len);
      for (uint8_t& b : bytes) b = static_cast<uint8_t>('a' + rng() % 3);
      for (uint32_t i = 0; i < len; ++i) {
        const uint32_t o = off + i;
        if (o >= frontier && (last || !seen[o])) model[o] = bytes[i];
        seen[o] = true;
      }
      while (frontier < size && seen[frontier]) ++frontier;
      f.stream.add(isn + off, bytes.data(), len, f.sink);
    };
    for (int i = 0; i < 40; ++i) {
      const uint32_t off = rng() % size;
      feed(off, 1 + rng() % std::min<uint32_t>(40, size - off));
    }
    for (uint32_t off = 0; off < size; off += 50) feed(off, std::min<uint32_t>(50, size - off));
    ASSERT_EQ(frontier, size);
    f.stream.close(f.sink);
    ASSERT_EQ(f.sink.bytes, model) << "round " << round << (last ? " last" : " first");
    EXPECT_EQ(f.mem.used, 0u);
  }
}

}  // namespace
}  // namespace nsm4
