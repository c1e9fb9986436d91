#include "app/dns/dns_parser.h"

#include <algorithm>
#include <utility>

#include "app/dns/dns_probe.h"
#include "nsm4/common/json_writer.h"

namespace nsm4::app::dns {
namespace {

constexpr size_t idx(Dir d) {
  return static_cast<size_t>(d);
}
constexpr uint8_t kFirstInvalidOpcode = 7;

}  // namespace

DnsParser::DnsParser(const DnsConfig& config, bool tcp) : config_(config), tcp_(tcp) {}

void DnsParser::parse(Dir dir, std::span<const uint8_t> data, Timestamp ts) {
  (void)ts;
  if (tcp_) {
    parse_tcp(dir, data);
  } else {
    handle(dir, data);
  }
}

void DnsParser::parse_tcp(Dir dir, std::span<const uint8_t> data) {
  const size_t d = idx(dir);
  if (stopped_[d] || data.empty()) return;
  if (gap_[d]) {
    // Resume only where a message seems to start.
    if (probe_tcp(dir, data) == Probe::kNoMatch) {
      stats_.gap_bytes_skipped += data.size();
      return;
    }
    gap_[d] = false;
  }
  std::vector<uint8_t>& buf = buf_[d];
  std::span<const uint8_t> in = data;
  if (!buf.empty()) {
    buf.insert(buf.end(), data.begin(), data.end());
    in = buf;
  }
  size_t pos = 0;
  while (in.size() - pos >= 2) {
    const size_t len = static_cast<size_t>(in[pos] << 8 | in[pos + 1]);
    if (len == 0) {
      pos += 2;
      continue;
    }
    if (in.size() - pos - 2 < len) break;
    if (!handle(dir, in.subspan(pos + 2, len))) {
      stopped_[d] = true;
      ++stats_.tcp_stopped;
      buf.clear();
      return;
    }
    pos += 2 + len;
  }
  // At most one incomplete message (< 64 KiB + 2) stays buffered.
  if (buf.empty()) {
    buf.assign(in.begin() + static_cast<std::ptrdiff_t>(pos), in.end());
  } else {
    buf.erase(buf.begin(), buf.begin() + static_cast<std::ptrdiff_t>(pos));
  }
}

bool DnsParser::handle(Dir dir, std::span<const uint8_t> msg) {
  Message m;
  const ParseStatus status = parse_message(msg, m, config_.limits);
  if (status == ParseStatus::kBadHeader) {
    ++stats_.bad_header;
    return !tcp_;
  }
  if (status == ParseStatus::kMalformed) {
    ++stats_.malformed;
    event_on_last(dir, kEventMalformedData);
    return false;
  }
  if (dir == Dir::kToServer && m.is_response()) {
    ++stats_.not_request;
    event_on_last(dir, kEventNotRequest);
    return false;
  }
  auto tx = std::make_unique<DnsTx>();
  tx->tx_id = next_tx_id_++;
  tx->dir = dir;
  tx->wire_size = msg.size();
  tx->revision = 1;
  tx->complete[0] = tx->complete[1] = true;
  tx->message = std::move(m);
  const Message& mm = tx->message;
  if (mm.invalid_additionals) event_on_tx(*tx, kEventInvalidAdditionals);
  if (mm.invalid_authorities) event_on_tx(*tx, kEventInvalidAuthorities);
  if (dir == Dir::kToClient && !mm.is_response()) event_on_tx(*tx, kEventNotResponse);
  if (mm.header.flags & kFlagZ) event_on_tx(*tx, kEventZFlagSet);
  if (mm.header.opcode() >= kFirstInvalidOpcode) event_on_tx(*tx, kEventInvalidOpcode);
  if (mm.name_flags & kNameTruncated) event_on_tx(*tx, kEventNameTooLong);
  if (mm.name_flags & kNameInfiniteLoop) event_on_tx(*tx, kEventInfiniteLoop);
  if (mm.name_flags & kNameLabelLimit) event_on_tx(*tx, kEventTooManyLabels);
  ++(dir == Dir::kToServer ? stats_.requests : stats_.responses);
  txs_.push_back(std::move(tx));
  while (txs_.size() > std::max<uint32_t>(config_.max_txs, 1)) {
    if (!txs_.front()->logged) ++stats_.txs_evicted;
    txs_.pop_front();
  }
  return true;
}

void DnsParser::event_on_tx(const DnsTx& tx, std::string_view name) {
  events_.push_back(AppEvent{name, tx.dir, tx.tx_id});
}

// As Suricata: an event without a transaction of its own goes to the newest
// live one.
void DnsParser::event_on_last(Dir dir, std::string_view name) {
  if (txs_.empty()) {
    ++stats_.events_dropped;
    return;
  }
  events_.push_back(AppEvent{name, dir, txs_.back()->tx_id});
}

void DnsParser::gap(Dir dir, uint32_t len) {
  if (!tcp_ || len == 0) return;
  ++stats_.gaps;
  buf_[idx(dir)].clear();
  gap_[idx(dir)] = true;
}

void DnsParser::eof(Dir dir) {
  buf_[idx(dir)].clear();
}

void DnsParser::log_tx(DnsTx& tx, std::vector<AppLog>& out) {
  tx.logged = true;
  const Message& m = tx.message;
  const bool request = tx.dir == Dir::kToServer;
  if (request ? !config_.log_requests : !config_.log_responses) return;
  // Suricata logs a message only for a question whose type it logs.
  if (m.questions.empty()) return;
  if (config_.version == 2) {
    if (request) {
      for (size_t i = 0; i < m.questions.size(); ++i) {
        AppLog log{"dns", tx.tx_id, false, {}};
        JsonWriter w(log.body);
        write_v2_query(w, m, i, tx.tx_id);
        out.push_back(std::move(log));
      }
    } else {
      AppLog log{"dns", tx.tx_id, false, {}};
      JsonWriter w(log.body);
      write_v2_answer(w, m, config_.eve, stats_.records_cut);
      out.push_back(std::move(log));
    }
    return;
  }
  AppLog log{"dns", tx.tx_id, !request, {}};
  JsonWriter w(log.body);
  write_v3(w, m, tx.tx_id, config_.eve, stats_.records_cut);
  out.push_back(std::move(log));
}

void DnsParser::take_logs(std::vector<AppLog>& out, bool flow_end) {
  (void)flow_end;  // every transaction is complete once parsed
  for (auto& tx : txs_)
    if (!tx->logged) log_tx(*tx, out);
}

std::string DnsParser::alert_metadata(const AppTx& tx) const {
  const auto* dtx = dynamic_cast<const DnsTx*>(&tx);
  if (dtx == nullptr) return {};
  EveOptions opt = config_.eve;
  opt.detailed = true;
  opt.grouped = false;
  uint64_t cut = 0;  // already counted when the record was logged
  std::string out;
  JsonWriter w(out);
  write_v3(w, dtx->message, dtx->tx_id, opt, cut);
  return out;
}

void DnsParser::take_events(std::vector<AppEvent>& out) {
  out.insert(out.end(), events_.begin(), events_.end());
  events_.clear();
}

void DnsParser::prune() {
  std::erase_if(txs_, [](const std::unique_ptr<DnsTx>& tx) { return tx->logged; });
}

size_t DnsParser::memory() const {
  size_t total = sizeof(*this) + buf_[0].capacity() + buf_[1].capacity() +
                 events_.capacity() * sizeof(AppEvent);
  // A parsed message takes a few times its wire size (strings, record structs).
  for (const auto& tx : txs_)
    total += sizeof(DnsTx) + tx->wire_size * 4 +
             (tx->message.answers.size() + tx->message.authorities.size() +
              tx->message.additionals.size()) *
                 sizeof(Record);
  return total;
}

std::unique_ptr<AppParser> make_udp_parser(const DnsConfig& config) {
  return std::make_unique<DnsParser>(config, false);
}

std::unique_ptr<AppParser> make_tcp_parser(const DnsConfig& config) {
  return std::make_unique<DnsParser>(config, true);
}

}  // namespace nsm4::app::dns
