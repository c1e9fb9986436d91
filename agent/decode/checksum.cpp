#include "decode/checksum.h"

namespace nsm4 {

namespace {
// Adds big-endian 16-bit words; the 64-bit accumulator cannot overflow for
// any buffer a packet can hold.
uint64_t sum_words(const uint8_t* data, size_t len) {
  uint64_t sum = 0;
  size_t i = 0;
  for (; i + 1 < len; i += 2) sum += static_cast<uint32_t>(data[i] << 8 | data[i + 1]);
  if (i < len) sum += static_cast<uint32_t>(data[i] << 8);  // odd byte, zero padded
  return sum;
}

uint32_t fold32(uint64_t sum) {
  while (sum >> 32) sum = (sum & 0xffffffff) + (sum >> 32);
  return static_cast<uint32_t>(sum);
}
}  // namespace

uint16_t inet_checksum(const uint8_t* data, size_t len, uint32_t initial) {
  uint64_t sum = initial + sum_words(data, len);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum & 0xffff);
}

uint32_t pseudo_header_sum_v4(const Packet& p, uint8_t proto, uint32_t l4len) {
  uint64_t sum = sum_words(p.src.bytes.data(), 4) + sum_words(p.dst.bytes.data(), 4);
  sum += proto;
  sum += l4len & 0xffff;
  sum += l4len >> 16;
  return fold32(sum);
}

uint32_t pseudo_header_sum_v6(const Packet& p, uint8_t next_header, uint32_t l4len) {
  uint64_t sum = sum_words(p.src.bytes.data(), 16) + sum_words(p.dst.bytes.data(), 16);
  sum += l4len >> 16;
  sum += l4len & 0xffff;
  sum += next_header;
  return fold32(sum);
}

}  // namespace nsm4
