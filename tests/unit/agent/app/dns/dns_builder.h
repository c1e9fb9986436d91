#pragma once
// Builds DNS messages byte by byte for the DNS tests.
#include <cstdint>
#include <string_view>
#include <vector>

namespace nsm4::app::dns::test {

class MsgBuilder {
 public:
  std::vector<uint8_t> bytes;

  MsgBuilder& header(uint16_t id, uint16_t flags, uint16_t qd, uint16_t an = 0, uint16_t ns = 0,
                     uint16_t ar = 0) {
    u16(id).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    return *this;
  }
  MsgBuilder& u8(uint8_t v) {
    bytes.push_back(v);
    return *this;
  }
  MsgBuilder& u16(uint16_t v) {
    bytes.push_back(static_cast<uint8_t>(v >> 8));
    bytes.push_back(static_cast<uint8_t>(v));
    return *this;
  }
  MsgBuilder& u32(uint32_t v) {
    return u16(static_cast<uint16_t>(v >> 16)).u16(static_cast<uint16_t>(v));
  }
  MsgBuilder& raw(std::string_view s) {
    bytes.insert(bytes.end(), s.begin(), s.end());
    return *this;
  }
  // Labels of a dotted name; `terminate` adds the root label.
  MsgBuilder& labels(std::string_view dotted, bool terminate = true) {
    while (!dotted.empty()) {
      size_t dot = dotted.find('.');
      std::string_view label = dotted.substr(0, dot);
      u8(static_cast<uint8_t>(label.size())).raw(label);
      dotted = dot == std::string_view::npos ? std::string_view() : dotted.substr(dot + 1);
    }
    if (terminate) u8(0);
    return *this;
  }
  MsgBuilder& ptr(uint16_t offset) { return u16(static_cast<uint16_t>(0xc000 | offset)); }
  MsgBuilder& question(std::string_view name, uint16_t type, uint16_t cls = 1) {
    return labels(name).u16(type).u16(cls);
  }
  // Type, class IN, ttl, rdlength: after the owner name.
  MsgBuilder& rr(uint16_t type, uint32_t ttl, uint16_t rdlen, uint16_t cls = 1) {
    return u16(type).u16(cls).u32(ttl).u16(rdlen);
  }
  size_t size() const { return bytes.size(); }
};

// A query for `name`/`type` with RD set.
inline std::vector<uint8_t> query(uint16_t id, std::string_view name, uint16_t type,
                                  uint16_t flags = 0x0100) {
  MsgBuilder b;
  b.header(id, flags, 1).question(name, type);
  return b.bytes;
}

// A response to `name`/A with one A record per address (owner: pointer to the
// question name).
inline std::vector<uint8_t> a_response(uint16_t id, std::string_view name,
                                       std::vector<uint32_t> addrs, uint16_t flags = 0x8180) {
  MsgBuilder b;
  b.header(id, flags, 1, static_cast<uint16_t>(addrs.size())).question(name, 1);
  for (uint32_t a : addrs) b.ptr(12).rr(1, 60, 4).u32(a);
  return b.bytes;
}

// `msg` behind its 2-byte TCP length prefix.
inline std::vector<uint8_t> framed(const std::vector<uint8_t>& msg) {
  std::vector<uint8_t> out;
  out.reserve(msg.size() + 2);
  out.push_back(static_cast<uint8_t>(msg.size() >> 8));
  out.push_back(static_cast<uint8_t>(msg.size()));
  for (uint8_t c : msg) out.push_back(c);
  return out;
}

// The first `n` bytes of `v`.
inline std::vector<uint8_t> prefix(const std::vector<uint8_t>& v, size_t n) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i < n && i < v.size(); ++i) out.push_back(v[i]);
  return out;
}

}  // namespace nsm4::app::dns::test
