#pragma once
// Cuts a stream of EVE lines into batches of NDJSON: a batch closes when it
// holds max_events lines, or when the next line would take it past max_bytes
// (a single line longer than max_bytes travels alone). Lines are never split.
// The time bound (max-delay) is the caller's: it closes the open batch.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nsm4::forward {

struct Batch {
  std::string ndjson;  // newline-terminated lines
  uint64_t events = 0;
};

class BatchBuilder {
 public:
  using Clock = std::chrono::steady_clock;
  BatchBuilder(uint64_t max_events, uint64_t max_bytes);

  // Adds newline-separated lines (a final line without '\n' gets one); every
  // batch that closes is appended to `closed`.
  void add(std::string_view lines, std::vector<Batch>& closed);
  // Closes the open batch (if any) into `closed`.
  void close(std::vector<Batch>& closed);

  bool empty() const { return open_.events == 0; }
  // When the open batch got its first line (meaningless when empty()).
  Clock::time_point opened_at() const { return opened_at_; }

 private:
  void add_line(std::string_view line, std::vector<Batch>& closed);

  uint64_t max_events_;
  uint64_t max_bytes_;
  Batch open_;
  Clock::time_point opened_at_{};
};

}  // namespace nsm4::forward
