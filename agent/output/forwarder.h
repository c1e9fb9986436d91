#pragma once
// Forwards the agent's EVE lines to the collector, at least once:
//   EveSink --lines--> batcher --closed batches--> spool writer --files--> sender --HTTPS-->
//   collector
// The batcher closes a batch at batch.max-events, batch.max-bytes or
// batch.max-delay; the spool writer gzips it and writes it to the spool
// before anything is sent (write-ahead); one sender thread sends the spooled
// files in sequence order, one at a time, and deletes each only after the
// collector's 2xx. Failures are retried with exponential backoff and jitter.
// Batches left in the spool by an earlier run are sent first.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "output/batch_builder.h"
#include "output/eve_sink.h"
#include "output/forward_stats.h"
#include "output/https_client.h"
#include "output/spool.h"

namespace nsm4::forward {

struct ForwarderOptions {
  HttpsClientOptions http;
  std::string token_file;  // read by open() into http.bearer_token
  SpoolOptions spool;
  uint64_t batch_max_events = 2000;
  uint64_t batch_max_bytes = 1 << 20;
  std::chrono::milliseconds batch_max_delay{1000};
  uint64_t batch_queue = 4;  // closed batches in memory before producers wait
  int gzip_level = 1;
  std::chrono::milliseconds retry_initial{500};
  std::chrono::milliseconds retry_max{30000};
  std::chrono::milliseconds drain_timeout{30000};
};

// The first line of a token file, trimmed. Returns "" or the problem.
std::string read_token_file(const std::string& path, std::string& token);

class Forwarder final : public EveLineObserver {
 public:
  using LogFn = std::function<void(const std::string&)>;
  Forwarder(ForwarderOptions opt, LogFn log);
  // Stops without waiting for the collector; what is spooled stays spooled.
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  // Opens the spool and loads the TLS material (before dropping privileges).
  // Returns "" or why forwarding cannot work.
  std::string open();
  // Starts the spool writer and the sender.
  void start();
  // Closes the open batch, spools it and waits up to drain-timeout for the
  // collector to acknowledge every spooled batch (less when `abort` becomes
  // true); then stops. Returns true when the spool ended empty.
  bool drain(const std::atomic<bool>* abort = nullptr);

  void on_eve_lines(std::string_view lines, uint64_t event_count) override;

  ForwardStats stats() const;
  const Spool& spool() const { return spool_; }

 private:
  void spool_loop();
  void send_loop();
  void spool_batch(const Batch& b);
  // Sleeps up to `d`; false when stopping.
  bool pause(std::chrono::milliseconds d);
  void stop_threads();
  void note_failure(const std::string& error, bool& failing);

  ForwarderOptions opt_;
  LogFn log_;
  Spool spool_;
  std::unique_ptr<HttpsClient> client_;

  // Producer side, guarded by mu_.
  mutable std::mutex mu_;
  std::condition_variable work_;  // to the spool writer: a batch or a deadline
  std::condition_variable room_;  // to producers: the queue has room again
  BatchBuilder builder_;
  std::deque<Batch> closed_;
  bool closing_ = false;
  bool spooler_done_ = false;
  uint64_t producer_waits_ = 0;
  // Batches that never reached the spool: closed after the spool writer
  // stopped (drain), or gzip failed.
  uint64_t unspooled_batches_ = 0;
  uint64_t unspooled_events_ = 0;
  // Spool writer only.
  bool logged_drop_oldest_ = false;
  bool logged_block_ = false;

  std::thread spooler_;
  std::thread sender_;
  std::atomic<bool> started_{false};

  // Sender side.
  std::mutex pause_mu_;
  std::condition_variable pause_cv_;
  bool stop_sender_ = false;  // guarded by pause_mu_

  mutable std::mutex stats_mu_;
  uint64_t sent_batches_ = 0;
  uint64_t sent_events_ = 0;
  uint64_t retries_ = 0;
  uint64_t rejected_lines_ = 0;
  std::string last_error_;
};

}  // namespace nsm4::forward
