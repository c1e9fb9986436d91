#include "flow/community_id.h"

#include <openssl/evp.h>

#include <cstring>
#include <utility>

#include "flow/flow.h"

namespace nsm4 {

namespace {

constexpr uint8_t kIcmp = 1;
constexpr uint8_t kTcp = 6;
constexpr uint8_t kUdp = 17;
constexpr uint8_t kIcmpv6 = 58;
constexpr uint8_t kSctp = 132;

// The spec's ICMP "port equivalents": the counterpart of a request or reply
// type, or -1 for one-way messages.
int spec_counterpart(uint8_t proto, uint16_t type) {
  if (proto == kIcmp) {
    switch (type) {
      case 0:
        return 8;
      case 8:
        return 0;
      case 9:
        return 10;
      case 10:
        return 9;
      case 13:
        return 14;
      case 14:
        return 13;
      case 15:
        return 16;
      case 16:
        return 15;
      case 17:
        return 18;
      case 18:
        return 17;
      default:
        return -1;
    }
  }
  switch (type) {
    case 128:
      return 129;
    case 129:
      return 128;
    case 130:
      return 131;
    case 131:
      return 130;
    case 133:
      return 134;
    case 134:
      return 133;
    case 135:
      return 136;
    case 136:
      return 135;
    case 139:
      return 140;
    case 140:
      return 139;
    case 144:
      return 145;
    case 145:
      return 144;
    default:
      return -1;
  }
}

bool has_ports(uint8_t proto) {
  return proto == kTcp || proto == kUdp || proto == kSctp || proto == kIcmp || proto == kIcmpv6;
}

void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

}  // namespace

std::string community_id_v1(const IpAddr& saddr, const IpAddr& daddr, uint8_t proto, uint16_t sport,
                            uint16_t dport, uint16_t seed, bool base64) {
  const IpAddr* src = &saddr;
  const IpAddr* dst = &daddr;
  bool one_way = false;
  if (proto == kIcmp || proto == kIcmpv6) {
    int c = spec_counterpart(proto, sport);
    if (c < 0) {
      one_way = true;
    } else {
      dport = static_cast<uint16_t>(c);
    }
  }
  size_t alen = saddr.size();
  if (!one_way) {
    int cmp = std::memcmp(src->bytes.data(), dst->bytes.data(), alen);
    if (cmp > 0 || (cmp == 0 && sport > dport)) {
      std::swap(src, dst);
      std::swap(sport, dport);
    }
  }
  // seed (2) | saddr | daddr | proto (1) | padding (1) | sport (2) | dport (2)
  uint8_t buf[2 + 16 + 16 + 2 + 4];
  size_t n = 0;
  put16(buf, seed);
  n += 2;
  std::memcpy(buf + n, src->bytes.data(), alen);
  n += alen;
  std::memcpy(buf + n, dst->bytes.data(), alen);
  n += alen;
  buf[n++] = proto;
  buf[n++] = 0;
  if (has_ports(proto)) {
    put16(buf + n, sport);
    put16(buf + n + 2, dport);
    n += 4;
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (EVP_Digest(buf, n, md, &md_len, EVP_sha1(), nullptr) != 1) return {};
  std::string out = "1:";
  if (base64) {
    unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
    int len = EVP_EncodeBlock(b64, md, static_cast<int>(md_len));
    out.append(reinterpret_cast<const char*>(b64), static_cast<size_t>(len));
  } else {
    static constexpr char kHex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < md_len; ++i) {
      out.push_back(kHex[md[i] >> 4]);
      out.push_back(kHex[md[i] & 0xf]);
    }
  }
  return out;
}

std::string flow_community_id(const Flow& f, uint16_t seed, bool base64) {
  const FlowKey& k = f.key;
  if (k.proto == kIcmp || k.proto == kIcmpv6)
    return community_id_v1(k.src, k.dst, k.proto, f.icmp_type, f.icmp_code, seed, base64);
  return community_id_v1(k.src, k.dst, k.proto, k.sport, k.dport, seed, base64);
}

}  // namespace nsm4
