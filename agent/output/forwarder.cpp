#include "output/forwarder.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

#include "nsm4/common/wire.h"
#include "output/backoff.h"
#include "output/collector_reply.h"
#include "output/gzip.h"

namespace nsm4::forward {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kSenderPoll{500};
constexpr size_t kLoggedBodyMax = 512;
constexpr std::chrono::milliseconds kDrainSlice{100};
constexpr int kRejectionsLogged = 5;  // then only counted

// A 4xx that no retry can fix for this batch: it goes to spool/rejected/.
// 408 and 429 are transient; 401 and 403 are about the agent's credentials,
// not the batch: rejecting would empty the whole backlog into the capped
// rejected/ folder, so they are retried until the operator fixes them.
bool permanent_rejection(int status) {
  if (status < 400 || status > 499) return false;
  return status != 408 && status != 429 && status != 401 && status != 403;
}

std::string shorten(std::string_view body) {
  std::string s(body.substr(0, kLoggedBodyMax));
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  if (body.size() > kLoggedBodyMax) s += "...";
  return s;
}

}  // namespace

std::string read_token_file(const std::string& path, std::string& token) {
  std::ifstream in(path);
  if (!in) return path + ": cannot read the token file: " + std::strerror(errno);
  std::getline(in, token);
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  size_t start = 0;
  while (start < token.size() && std::isspace(static_cast<unsigned char>(token[start]))) ++start;
  token.erase(0, start);
  if (token.empty()) return path + ": the token file is empty";
  for (char c : token)
    if (c < 0x21 || c > 0x7e) return path + ": the token holds a character not allowed in a header";
  return "";
}

Forwarder::Forwarder(ForwarderOptions opt, LogFn log)
    : opt_(std::move(opt)),
      log_(std::move(log)),
      builder_(opt_.batch_max_events, opt_.batch_max_bytes) {
  if (!log_) log_ = [](const std::string&) {};
}

Forwarder::~Forwarder() {
  if (started_) {
    {
      std::lock_guard lock(mu_);
      closing_ = true;
    }
    work_.notify_all();
    stop_threads();
  }
}

std::string Forwarder::open() {
  if (!opt_.token_file.empty()) {
    if (auto e = read_token_file(opt_.token_file, opt_.http.bearer_token); !e.empty()) return e;
  }
  std::vector<std::string> notes;
  if (auto e = spool_.open(opt_.spool, &notes); !e.empty()) return e;
  for (const auto& n : notes) log_(n);
  const SpoolCounters c = spool_.counters();
  if (c.batches)
    log_("spool: " + std::to_string(c.batches) + " batch(es) from an earlier run will be sent");
  std::string err;
  client_ = HttpsClient::create(opt_.http, err);
  if (!client_) return err;
  if (!opt_.http.url.tls)
    log_("warning: forwarding over plain http: events travel unencrypted (loopback tests only)");
  else if (!opt_.http.verify)
    log_("warning: output.forward.verify is off: the collector's certificate is not checked");
  return "";
}

void Forwarder::start() {
  if (started_ || !client_) return;
  started_ = true;
  spooler_ = std::thread([this] { spool_loop(); });
  sender_ = std::thread([this] { send_loop(); });
}

void Forwarder::on_eve_lines(std::string_view lines, uint64_t event_count) {
  std::vector<Batch> closed;
  std::unique_lock lock(mu_);
  if (spooler_done_) {
    // After the drain: nothing will spool these any more.
    unspooled_events_ += event_count;
    return;
  }
  builder_.add(lines, closed);
  bool waited = false;
  for (auto& b : closed) {
    while (closed_.size() >= opt_.batch_queue && !spooler_done_ && started_) {
      if (!waited) ++producer_waits_;
      waited = true;
      room_.wait(lock);
    }
    if (spooler_done_) {
      ++unspooled_batches_;
      unspooled_events_ += b.events;
      continue;
    }
    closed_.push_back(std::move(b));
  }
  lock.unlock();
  work_.notify_one();
}

void Forwarder::spool_batch(const Batch& b) {
  std::string gz;
  if (auto e = gzip_compress(b.ndjson, opt_.gzip_level, gz); !e.empty()) {
    log_("gzip failed, batch of " + std::to_string(b.events) + " events dropped: " + e);
    std::lock_guard lock(mu_);
    ++unspooled_batches_;
    unspooled_events_ += b.events;
    return;
  }
  const SpoolCounters before = spool_.counters();
  std::string err;
  const AppendResult r = spool_.append(gz, b.events, &err);
  if (r == AppendResult::kWriteError)
    log_("spool write failed, batch of " + std::to_string(b.events) + " events dropped: " + err);
  else if (r == AppendResult::kDropped)
    log_("spool full at shutdown (block policy): batch of " + std::to_string(b.events) +
         " events dropped");
  // The full spool's policy at work: said once, counted always.
  const SpoolCounters after = spool_.counters();
  if (after.dropped_batches > before.dropped_batches && r == AppendResult::kStored &&
      !logged_drop_oldest_) {
    logged_drop_oldest_ = true;
    log_(
        "spool full (output.forward.spool.max-size): dropping the oldest batches; counted in "
        "stats.forward.dropped_batches/dropped_events");
  }
  if (after.blocked_waits > before.blocked_waits && !logged_block_) {
    logged_block_ = true;
    log_(
        "spool was full (block policy): event output waited for the collector (live capture: "
        "kernel drops); counted in stats.forward.blocked_waits");
  }
}

void Forwarder::spool_loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (closed_.empty()) {
      std::vector<Batch> due;
      if (closing_) {
        builder_.close(due);
      } else if (!builder_.empty() && Clock::now() >= builder_.opened_at() + opt_.batch_max_delay) {
        builder_.close(due);
      }
      for (auto& b : due) closed_.push_back(std::move(b));
      if (closed_.empty()) {
        if (closing_) break;
        if (builder_.empty())
          work_.wait(lock);
        else
          work_.wait_until(lock, builder_.opened_at() + opt_.batch_max_delay);
        continue;
      }
    }
    Batch b = std::move(closed_.front());
    closed_.pop_front();
    room_.notify_all();
    lock.unlock();
    spool_batch(b);
    lock.lock();
  }
  spooler_done_ = true;
  room_.notify_all();
  work_.notify_all();
}

bool Forwarder::pause(std::chrono::milliseconds d) {
  std::unique_lock lock(pause_mu_);
  pause_cv_.wait_for(lock, d, [&] { return stop_sender_; });
  return !stop_sender_;
}

void Forwarder::note_failure(const std::string& error, bool& failing) {
  {
    std::lock_guard lock(stats_mu_);
    ++retries_;
    last_error_ = error;
  }
  if (!failing) {
    const SpoolCounters c = spool_.counters();
    log_("cannot deliver to the collector: " + error + "; retrying (" + std::to_string(c.batches) +
         " batch(es) spooled)");
  }
  failing = true;
}

void Forwarder::send_loop() {
  std::random_device rd;
  Backoff backoff(opt_.retry_initial, opt_.retry_max, (uint64_t{rd()} << 32) | rd());
  bool failing = false;
  bool logged_line_rejection = false;
  int rejections_logged = 0;
  const std::string& stream = spool_.stream();
  for (;;) {
    {
      std::lock_guard lock(pause_mu_);
      if (stop_sender_) break;
    }
    const auto entry = spool_.oldest(kSenderPoll);
    if (!entry) continue;
    std::string body;
    if (auto e = spool_.read(*entry, body); !e.empty()) {
      note_failure("reading the spool: " + e, failing);
      if (!pause(backoff.next())) break;
      continue;
    }
    HttpRequest req;
    req.target = opt_.http.url.target;
    req.content_type = wire::kNdjsonType;
    req.content_encoding = "gzip";
    req.headers.emplace_back(std::string(wire::kBatchHeader),
                             wire::format_batch_id({stream, entry->seq}));
    req.body = body;
    const HttpReply reply = client_->post(req);
    const std::string batch_name = stream + "/" + std::to_string(entry->seq);

    if (reply.status >= 200 && reply.status <= 299) {
      if (auto e = spool_.acknowledge(entry->seq); !e.empty()) {
        // Delivered, but still on disk: it will be sent again (the collector
        // deduplicates it).
        note_failure("removing an acknowledged batch: " + e, failing);
        if (!pause(backoff.next())) break;
        continue;
      }
      const CollectorReply cr = parse_collector_reply(reply.body);
      {
        std::lock_guard lock(stats_mu_);
        ++sent_batches_;
        sent_events_ += entry->events;
        rejected_lines_ += cr.rejected_lines;
        last_error_.clear();
      }
      if (cr.rejected_lines && !logged_line_rejection) {
        logged_line_rejection = true;
        log_("collector refused " + std::to_string(cr.rejected_lines) + " line(s) of batch " +
             batch_name + " (" + cr.first_rejection +
             "); further refusals are only counted (stats.forward.rejected_lines)");
      }
      if (failing)
        log_("collector reachable again after " + std::to_string(backoff.failures()) +
             " failed attempt(s)");
      failing = false;
      backoff.reset();
      continue;
    }
    if (permanent_rejection(reply.status)) {
      if (++rejections_logged <= kRejectionsLogged) {
        log_("collector rejected batch " + batch_name + " (" + std::to_string(entry->events) +
             " events) with HTTP " + std::to_string(reply.status) + ": " + shorten(reply.body) +
             "; moved to " + spool_.rejected_dir().string() +
             (rejections_logged == kRejectionsLogged
                  ? "; further rejections are only counted (stats.forward.rejected_batches)"
                  : ""));
      }
      if (auto e = spool_.reject(entry->seq); !e.empty()) {
        note_failure("moving a rejected batch: " + e, failing);
        if (!pause(backoff.next())) break;
      }
      continue;
    }
    {
      std::lock_guard lock(pause_mu_);
      if (stop_sender_) break;
    }
    std::string why = reply.error;
    if (reply.status) {
      why = "HTTP " + std::to_string(reply.status);
      if (!reply.body.empty()) why += ": " + shorten(reply.body);
    }
    note_failure(why, failing);
    if (!pause(backoff.next())) break;
  }
}

void Forwarder::stop_threads() {
  // The spool writer finishes what it holds (drop-oldest never waits; a
  // blocked append gives up once interrupted).
  spool_.interrupt();
  {
    std::lock_guard lock(pause_mu_);
    stop_sender_ = true;
  }
  pause_cv_.notify_all();
  if (client_) client_->cancel();
  if (spooler_.joinable()) spooler_.join();
  if (sender_.joinable()) sender_.join();
  started_ = false;
}

bool Forwarder::drain(const std::atomic<bool>* abort) {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  work_.notify_all();
  if (!started_) {
    // Never started (or already stopped): spool what is held, send nothing.
    if (!client_) return false;
    spool_loop();
    return spool_.counters().batches == 0;
  }
  // Waits in short slices so that `abort` is noticed.
  const auto deadline = Clock::now() + opt_.drain_timeout;
  auto slice_end = [&] { return std::min(deadline, Clock::now() + kDrainSlice); };
  auto aborted = [&] { return abort && abort->load(); };
  bool spooled = false;
  while (!spooled && !aborted() && Clock::now() < deadline) {
    std::unique_lock lock(mu_);
    spooled = work_.wait_until(lock, slice_end(), [&] { return spooler_done_; });
  }
  if (const uint64_t left = spool_.counters().batches; left > 0)
    log_("draining: " + std::to_string(left) + " batch(es) spooled; waiting up to " +
         std::to_string(
             std::chrono::duration_cast<std::chrono::seconds>(deadline - Clock::now()).count()) +
         " s for the collector");
  bool empty = false;
  while (!empty && !aborted() && Clock::now() < deadline)
    empty = spool_.wait_until_empty(slice_end());
  stop_threads();
  return spool_.counters().batches == 0;
}

ForwardStats Forwarder::stats() const {
  const SpoolCounters c = spool_.counters();
  ForwardStats s;
  s.spool_batches = c.batches;
  s.spool_bytes = c.bytes;
  s.dropped_batches = c.dropped_batches;
  s.dropped_events = c.dropped_events;
  s.rejected_batches = c.rejected_batches;
  s.partial_removed = c.partial_removed;
  s.write_errors = c.write_errors;
  s.blocked_waits = c.blocked_waits;
  {
    std::lock_guard lock(mu_);
    s.queued_batches = closed_.size();
    s.blocked_waits += producer_waits_;
    s.dropped_batches += unspooled_batches_;
    s.dropped_events += unspooled_events_;
  }
  std::lock_guard lock(stats_mu_);
  s.sent_batches = sent_batches_;
  s.sent_events = sent_events_;
  s.retries = retries_;
  s.rejected_lines = rejected_lines_;
  s.last_error = last_error_;
  return s;
}

}  // namespace nsm4::forward
