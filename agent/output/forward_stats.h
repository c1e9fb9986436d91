#pragma once
// The forwarder's health, as reported in the heartbeat (stats.forward) and in
// the agent's final summary. A plain snapshot: no locks, copied by value.
#include <cstdint>
#include <string>

namespace nsm4::forward {

struct ForwardStats {
  uint64_t spool_batches = 0;    // batches on disk, not yet acknowledged
  uint64_t spool_bytes = 0;      // their size (gzip'd)
  uint64_t queued_batches = 0;   // closed in memory, waiting for the spool writer
  uint64_t dropped_batches = 0;  // lost to the spool's full policy or a spool write error
  uint64_t dropped_events = 0;
  uint64_t sent_batches = 0;  // acknowledged by the collector (2xx)
  uint64_t sent_events = 0;
  uint64_t retries = 0;           // failed attempts that will be retried
  uint64_t rejected_batches = 0;  // permanent 4xx: moved to spool/rejected/
  uint64_t rejected_lines = 0;    // lines the collector refused inside accepted batches
  uint64_t blocked_waits = 0;     // times a producer waited for room (block policy, slow disk)
  uint64_t partial_removed = 0;   // temporary files of an interrupted write removed at open
  uint64_t write_errors = 0;      // spool writes that failed (the batch is dropped, counted)
  std::string last_error;         // the last failed attempt, "" after a success
};

}  // namespace nsm4::forward
