#pragma once
// The store's hash chain: hash_i = SHA-256(hash_{i-1} || encode(row_i)), the
// first row chained from a fixed genesis value. encode() is canonical: every
// stored column, integers as 8 bytes big-endian, texts length-prefixed (8 bytes
// big-endian) so that no two different rows encode alike.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

struct evp_md_ctx_st;
struct evp_md_st;

namespace nsm4::collector {

using ChainHash = std::array<uint8_t, 32>;

// The row as hashed: the events table's columns except the hash itself.
struct ChainRow {
  int64_t id = 0;
  int64_t ts_us = 0;
  int64_t received_us = 0;
  std::string_view agent;
  std::string_view site;
  std::string_view event_type;
  int64_t severity = 0;
  int64_t sid = 0;
  std::string_view signature;
  std::string_view category;
  std::string_view src_ip;
  std::string_view dest_ip;
  std::string_view community_id;
  std::string_view json;
};

// SHA-256("nsm4 event store hash chain v1"): the predecessor of row 1.
const ChainHash& chain_genesis();

// Reuses one digest context and one encoding buffer (not thread-safe: one per
// writer or verifier).
class ChainHasher {
 public:
  ChainHasher();
  ~ChainHasher();
  ChainHasher(const ChainHasher&) = delete;
  ChainHasher& operator=(const ChainHasher&) = delete;

  ChainHash next(const ChainHash& prev, const ChainRow& row);

 private:
  evp_md_ctx_st* ctx_;
  evp_md_st* md_;
  std::string buf_;
};

std::string chain_hash_hex(std::string_view bytes);
// Copies a stored 32-byte hash; false when `bytes` has another length.
bool chain_hash_from(std::string_view bytes, ChainHash* out);

}  // namespace nsm4::collector
