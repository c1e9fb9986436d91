#include "output/spool.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "nsm4/common/wire.h"

namespace nsm4::forward {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kBatchSuffix = ".ndjson.gz";
constexpr std::string_view kPartSuffix = ".part";
constexpr const char* kStreamFile = "stream";
constexpr const char* kStreamMagic = "nsm4-spool 1";
constexpr size_t kStreamIdLength = 16;

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool parse_u64(std::string_view s, uint64_t& out) {
  if (s.empty() || s.size() > 20) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const auto d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  out = v;
  return true;
}

// "<seq>-<events>.ndjson.gz"
bool parse_batch_name(std::string_view name, uint64_t& seq, uint64_t& events) {
  if (!ends_with(name, kBatchSuffix)) return false;
  name.remove_suffix(kBatchSuffix.size());
  const auto dash = name.find('-');
  if (dash == std::string_view::npos) return false;
  return parse_u64(name.substr(0, dash), seq) && parse_u64(name.substr(dash + 1), events);
}

std::string random_stream_id() {
  static constexpr char kAlphabet[] =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  unsigned char raw[kStreamIdLength];
  if (RAND_bytes(raw, sizeof raw) != 1) {
    // No entropy source: time and pid still make a collision unlikely.
    const auto t = static_cast<uint64_t>(
        std::chrono::system_clock::now().time_since_epoch().count() ^ (uint64_t(getpid()) << 32));
    for (size_t i = 0; i < sizeof raw; ++i) raw[i] = static_cast<unsigned char>(t >> (i % 8 * 8));
  }
  std::string id;
  for (unsigned char c : raw) id.push_back(kAlphabet[c % (sizeof kAlphabet - 1)]);
  return id;
}

// Writes `data` under `name` in the directory `dir_fd` so that the name
// either does not exist or holds all of it: temporary file, fsync, rename,
// fsync of the directory.
std::string write_atomically(int dir_fd, const std::string& name, std::string_view data) {
  const std::string tmp = name + std::string(kPartSuffix);
  const int fd = openat(dir_fd, tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0) return errno_text(tmp);
  std::string err;
  size_t done = 0;
  while (done < data.size() && err.empty()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      err = errno_text("writing " + tmp);
    else
      done += static_cast<size_t>(n);
  }
  if (err.empty() && fsync(fd) != 0) err = errno_text("fsync " + tmp);
  if (::close(fd) != 0 && err.empty()) err = errno_text("close " + tmp);
  if (err.empty() && renameat(dir_fd, tmp.c_str(), dir_fd, name.c_str()) != 0)
    err = errno_text("rename " + tmp);
  if (!err.empty()) {
    unlinkat(dir_fd, tmp.c_str(), 0);
    return err;
  }
  if (fsync(dir_fd) != 0) return errno_text("fsync of the spool directory");
  return "";
}

std::string read_whole(const fs::path& p, std::string& out) {
  out.clear();
  FILE* f = std::fopen(p.c_str(), "rb");
  if (!f) return errno_text(p.string());
  char buf[64 * 1024];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  const bool bad = std::ferror(f) != 0;
  std::fclose(f);
  if (bad) return "reading " + p.string() + ": I/O error";
  return "";
}

}  // namespace

Spool::~Spool() {
  if (dir_fd_ >= 0) ::close(dir_fd_);
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

std::string Spool::file_name(uint64_t seq, uint64_t events) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%020llu-%llu", static_cast<unsigned long long>(seq),
                static_cast<unsigned long long>(events));
  return std::string(buf) + std::string(kBatchSuffix);
}

std::string Spool::open(const SpoolOptions& opt, std::vector<std::string>* notes) {
  std::lock_guard lock(mu_);
  opt_ = opt;
  std::error_code ec;
  fs::create_directories(opt_.dir / "rejected", ec);
  if (ec) return opt_.dir.string() + ": cannot create the spool directory: " + ec.message();
  if (dir_fd_ >= 0) ::close(dir_fd_);
  dir_fd_ = ::open(opt_.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) return errno_text(opt_.dir.string());
  if (faccessat(dir_fd_, ".", W_OK, AT_EACCESS) != 0)
    return opt_.dir.string() + ": spool directory not writable";
  // Two agents on one spool would send each other's batches and reuse numbers.
  if (lock_fd_ < 0) {
    lock_fd_ = openat(dir_fd_, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0640);
    if (lock_fd_ < 0) return errno_text((opt_.dir / "lock").string());
    if (flock(lock_fd_, LOCK_EX | LOCK_NB) != 0) {
      const bool busy = errno == EWOULDBLOCK;
      ::close(lock_fd_);
      lock_fd_ = -1;
      if (busy) return opt_.dir.string() + ": spool in use by another running agent";
      return errno_text("locking " + (opt_.dir / "lock").string());
    }
  }

  entries_.clear();
  bytes_ = 0;
  uint64_t highest_plus_one = 0;
  for (const auto& de : fs::directory_iterator(opt_.dir, ec)) {
    const std::string name = de.path().filename().string();
    if (ends_with(name, kPartSuffix)) {
      // An interrupted write: its batch was never complete, so never sent.
      if (unlinkat(dir_fd_, name.c_str(), 0) == 0) ++counters_.partial_removed;
      continue;
    }
    uint64_t seq = 0, events = 0;
    if (!de.is_regular_file() || !parse_batch_name(name, seq, events)) continue;
    const uint64_t size = de.file_size(ec);
    entries_[seq] = SpoolEntry{seq, events, ec ? 0 : size};
    bytes_ += ec ? 0 : size;
    highest_plus_one = std::max(highest_plus_one, seq + 1);
  }
  if (ec) return opt_.dir.string() + ": " + ec.message();
  if (counters_.partial_removed && notes)
    notes->push_back("spool: removed " + std::to_string(counters_.partial_removed) +
                     " partial file(s) of an interrupted write");

  // The stream file: "<magic>\nstream <id>\nnext <seq>\n".
  std::string text;
  const fs::path stream_path = opt_.dir / kStreamFile;
  const bool exists = fs::exists(stream_path, ec);
  uint64_t persisted = 0;
  bool valid = false;
  if (exists && read_whole(stream_path, text).empty()) {
    char id[64] = {0};
    unsigned long long next = 0;
    char magic[32] = {0};
    if (std::sscanf(text.c_str(), "%31[^\n]\nstream %63s\nnext %llu", magic, id, &next) == 3 &&
        std::string_view(magic) == kStreamMagic && wire::valid_stream_name(id)) {
      stream_ = id;
      persisted = next;
      valid = true;
    }
  }
  if (!valid) {
    stream_ = random_stream_id();
    if (notes)
      notes->push_back(exists ? "spool: stream file unreadable, starting stream " + stream_
                              : "spool: new stream " + stream_);
  }
  next_seq_ = std::max(persisted, highest_plus_one);
  persisted_next_ = valid ? persisted : 0;
  if (!valid || next_seq_ != persisted) {
    if (auto e = persist_next_locked(next_seq_); !e.empty()) return e;
  }
  counters_.batches = entries_.size();
  counters_.bytes = bytes_;
  interrupted_ = false;
  return "";
}

uint64_t Spool::next_seq() const {
  std::lock_guard lock(mu_);
  return next_seq_;
}

std::string Spool::persist_next_locked(uint64_t next) {
  const std::string text =
      std::string(kStreamMagic) + "\nstream " + stream_ + "\nnext " + std::to_string(next) + "\n";
  if (auto e = write_atomically(dir_fd_, kStreamFile, text); !e.empty()) return e;
  persisted_next_ = next;
  return "";
}

std::string Spool::remove_locked(uint64_t seq, const fs::path* move_to) {
  auto it = entries_.find(seq);
  if (it == entries_.end()) return "";
  // Removing the highest batch file would let a restart reuse its number:
  // persist the next one first.
  if (seq == entries_.rbegin()->first && persisted_next_ <= seq) {
    if (auto e = persist_next_locked(next_seq_); !e.empty()) return e;
  }
  const std::string name = file_name(seq, it->second.events);
  int rc;
  if (move_to)
    rc = renameat(dir_fd_, name.c_str(), AT_FDCWD, move_to->c_str());
  else
    rc = unlinkat(dir_fd_, name.c_str(), 0);
  if (rc != 0 && errno != ENOENT) return errno_text((opt_.dir / name).string());
  bytes_ -= std::min(bytes_, it->second.bytes);
  entries_.erase(it);
  if (in_flight_ == seq) in_flight_.reset();
  counters_.batches = entries_.size();
  counters_.bytes = bytes_;
  changed_.notify_all();
  return "";
}

AppendResult Spool::append(std::string_view gzip_body, uint64_t events, std::string* error) {
  const uint64_t need = gzip_body.size();
  std::unique_lock lock(mu_);
  bool waited = false;
  while (bytes_ + need > opt_.max_bytes && !entries_.empty()) {
    if (opt_.policy == FullPolicy::kDropOldest) {
      auto victim = entries_.begin();
      if (in_flight_ && victim->first == *in_flight_) ++victim;
      if (victim == entries_.end()) break;  // only the batch being sent is left
      const uint64_t ev = victim->second.events;
      if (auto e = remove_locked(victim->first, nullptr); !e.empty()) {
        if (error) *error = e;
        break;
      }
      ++counters_.dropped_batches;
      counters_.dropped_events += ev;
      continue;
    }
    if (interrupted_) {
      ++counters_.dropped_batches;
      counters_.dropped_events += events;
      return AppendResult::kDropped;
    }
    if (!waited) ++counters_.blocked_waits;
    waited = true;
    changed_.wait(lock);
  }
  const uint64_t seq = next_seq_;
  const std::string name = file_name(seq, events);
  // Only this thread appends: the file is written without the lock so that
  // the sender is not held up by the fsyncs.
  lock.unlock();
  std::string err = write_atomically(dir_fd_, name, gzip_body);
  lock.lock();
  if (!err.empty()) {
    ++counters_.write_errors;
    ++counters_.dropped_batches;
    counters_.dropped_events += events;
    if (error) *error = err;
    return AppendResult::kWriteError;
  }
  next_seq_ = seq + 1;
  entries_[seq] = SpoolEntry{seq, events, need};
  bytes_ += need;
  ++counters_.written_batches;
  counters_.batches = entries_.size();
  counters_.bytes = bytes_;
  changed_.notify_all();
  return AppendResult::kStored;
}

std::optional<SpoolEntry> Spool::oldest(std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  changed_.wait_for(lock, wait, [&] { return !entries_.empty() || interrupted_; });
  if (entries_.empty()) return std::nullopt;
  in_flight_ = entries_.begin()->first;
  return entries_.begin()->second;
}

std::string Spool::read(const SpoolEntry& e, std::string& body) const {
  return read_whole(opt_.dir / file_name(e.seq, e.events), body);
}

std::string Spool::acknowledge(uint64_t seq) {
  std::lock_guard lock(mu_);
  return remove_locked(seq, nullptr);
}

std::string Spool::reject(uint64_t seq) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(seq);
  if (it == entries_.end()) return "";
  const fs::path to = rejected_dir() / (stream_ + "-" + file_name(seq, it->second.events));
  if (auto e = remove_locked(seq, &to); !e.empty()) return e;
  ++counters_.rejected_batches;
  trim_rejected_locked();
  return "";
}

void Spool::trim_rejected_locked() {
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> files;
  for (const auto& de : fs::directory_iterator(rejected_dir(), ec))
    if (de.is_regular_file(ec)) files.emplace_back(de.last_write_time(ec), de.path());
  if (files.size() <= opt_.rejected_max_files) return;
  std::sort(files.begin(), files.end());
  const size_t excess = files.size() - opt_.rejected_max_files;
  for (size_t i = 0; i < excess; ++i) fs::remove(files[i].second, ec);
}

void Spool::interrupt() {
  std::lock_guard lock(mu_);
  interrupted_ = true;
  changed_.notify_all();
}

bool Spool::wait_until_empty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return changed_.wait_until(lock, deadline, [&] { return entries_.empty(); });
}

SpoolCounters Spool::counters() const {
  std::lock_guard lock(mu_);
  return counters_;
}

}  // namespace nsm4::forward
