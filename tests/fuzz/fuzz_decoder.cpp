// libFuzzer target for the packet path: decoder, defragmenter, flow table.
//
// Input format (tests/fuzz/make_corpus.py writes seeds in it):
//   byte 0          bits 0-6: datalink selector, kDatalinks[sel % size];
//                   bit 7: TCP midstream pickup on
//   then records    [dt][len_hi][len_lo][len bytes of frame]  (the last one may be short)
// dt advances packet time by dt seconds, so defragmentation and flow timeouts
// are exercised too. Every input starts from fresh state, so a crash replays
// from its input file alone.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "decode/decoder.h"
#include "flow/flow_table.h"
#include "reassembly/defrag.h"

namespace {

// Keep in sync with DATALINKS in make_corpus.py.
constexpr int kDatalinks[] = {1, 0, 101, 228, 229, 113, 276, 12, 14};
constexpr size_t kMaxRecords = 64;

struct Record {
  uint8_t dt;
  const uint8_t* data;
  uint32_t len;
};

std::vector<Record> split(const uint8_t* data, size_t size) {
  std::vector<Record> out;
  size_t pos = 0;
  while (pos < size && out.size() < kMaxRecords) {
    uint8_t dt = data[pos++];
    uint32_t len = 0;
    if (pos + 2 <= size) {
      len = static_cast<uint32_t>(data[pos] << 8 | data[pos + 1]);
      pos += 2;
    } else {
      pos = size;
    }
    if (len > size - pos) len = static_cast<uint32_t>(size - pos);
    out.push_back({dt, data + pos, len});
    pos += len;
  }
  return out;
}

// A frame copied into an exactly sized heap buffer, so ASan flags any read
// past caplen.
void handle(nsm4::DecodeContext& ctx, nsm4::Defragmenter& defrag, nsm4::FlowTable& flows,
            int datalink, nsm4::Timestamp ts, uint64_t index, const Record& r) {
  std::vector<uint8_t> frame(r.data, r.data + r.len);
  nsm4::Packet p;
  p.pcap_cnt = index;
  p.ts = ts;
  p.data = frame.data();
  p.caplen = r.len;
  p.wirelen = r.len;
  p.datalink = datalink;
  nsm4::decode_packet(ctx, p);
  defrag.advance_time(ts);
  flows.advance_time(ts);
  bool toserver = false;
  flows.process(p, toserver);  // fragments too, as the pipeline dispatches them
  if (!p.is_fragment || p.invalid) return;
  std::vector<uint8_t> whole;
  if (!defrag.add(ctx, p, whole)) return;
  // Decode the rebuilt datagram from its IP layer, as the pipeline does.
  const std::vector<uint8_t> buf(whole.begin(), whole.end());  // exact size, for ASan
  nsm4::Packet q;
  q.pcap_cnt = index;
  q.ts = ts;
  q.datalink = datalink;
  q.vlan_count = p.vlan_count;
  q.vlan = p.vlan;
  q.tunnel_depth = p.tunnel_depth;
  q.reassembled = true;
  q.data = buf.data();
  q.caplen = static_cast<uint32_t>(buf.size());
  q.wirelen = q.caplen;
  ctx.depth = 0;
  auto layer = p.ip_version == 4 ? nsm4::Layer::kIpv4 : nsm4::Layer::kIpv6;
  nsm4::decode_layer(ctx, q, layer, q.data, q.caplen);
  flows.process(q, toserver);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  int datalink = kDatalinks[(data[0] & 0x7f) % (sizeof(kDatalinks) / sizeof(kDatalinks[0]))];
  nsm4::DecodeConfig dcfg;
  dcfg.checksum = nsm4::ChecksumMode::kOn;  // exercise the checksum paths too
  nsm4::DecodeContext ctx(dcfg);
  nsm4::DefragConfig fcfg;
  fcfg.memcap = 1 << 20;
  nsm4::Defragmenter defrag(fcfg);
  nsm4::FlowConfig flow_cfg;
  flow_cfg.memcap = 1 << 20;
  flow_cfg.midstream = (data[0] & 0x80) != 0;
  uint64_t ended = 0;
  nsm4::FlowTable flows(flow_cfg, [&ended](const nsm4::Flow& f, nsm4::FlowEndReason) {
    ended += f.toserver.pkts + f.toclient.pkts;
  });
  nsm4::Timestamp ts{1700000000, 0};
  uint64_t index = 0;
  for (const Record& r : split(data + 1, size - 1)) {
    ts.sec += r.dt;
    handle(ctx, defrag, flows, datalink, ts, ++index, r);
  }
  flows.flush_all();
  return 0;
}
