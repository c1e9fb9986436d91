#pragma once
// Where EVE lines go: a file (appended, line-buffered per write) or stdout.
// Workers format into their own buffers and hand whole lines here.
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace nsm4 {

// Sees every chunk of lines the sink writes, in order, under the sink's lock
// (the forwarder to the collector). May block: that holds up the writers.
class EveLineObserver {
 public:
  virtual void on_eve_lines(std::string_view lines, uint64_t event_count) = 0;

 protected:
  ~EveLineObserver() = default;
};

class EveSink {
 public:
  EveSink() = default;
  ~EveSink();
  EveSink(const EveSink&) = delete;
  EveSink& operator=(const EveSink&) = delete;

  // Opens `path` for appending ("-" = stdout). Returns an error message or "".
  std::string open(const std::string& path, bool truncate);
  // Writes complete newline-terminated lines, atomically with respect to
  // other writers.
  void write(std::string_view lines, uint64_t event_count);
  void flush();
  // Every line written from now on also goes to `observer` (nullptr: none).
  void set_observer(EveLineObserver* observer);
  const std::string& path() const { return path_; }
  uint64_t events_written() const { return events_.load(std::memory_order_relaxed); }
  uint64_t write_errors() const { return write_errors_.load(std::memory_order_relaxed); }

 private:
  std::mutex mu_;
  FILE* file_ = nullptr;
  bool owns_ = false;
  EveLineObserver* observer_ = nullptr;
  std::string path_;
  std::atomic<uint64_t> events_{0};
  std::atomic<uint64_t> write_errors_{0};
};

}  // namespace nsm4
