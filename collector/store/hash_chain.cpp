#include "store/hash_chain.h"

#include <openssl/evp.h>

#include <bit>
#include <cstring>

#include "store/store_error.h"

namespace nsm4::collector {

namespace {

void put_u64(std::string& buf, uint64_t v) {
  if constexpr (std::endian::native == std::endian::little) v = __builtin_bswap64(v);
  char b[8];
  std::memcpy(b, &v, sizeof b);
  buf.append(b, sizeof b);
}

void put_text(std::string& buf, std::string_view s) {
  put_u64(buf, s.size());
  buf.append(s);
}

}  // namespace

const ChainHash& chain_genesis() {
  static const ChainHash genesis = [] {
    ChainHash h{};
    static constexpr std::string_view kSeed = "nsm4 event store hash chain v1";
    unsigned int len = 0;
    EVP_Digest(kSeed.data(), kSeed.size(), h.data(), &len, EVP_sha256(), nullptr);
    return h;
  }();
  return genesis;
}

ChainHasher::ChainHasher() : ctx_(EVP_MD_CTX_new()), md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)) {
  if (ctx_ == nullptr || md_ == nullptr) {
    EVP_MD_CTX_free(ctx_);
    EVP_MD_free(md_);
    throw StoreError("SHA-256 is not available from OpenSSL");
  }
}

ChainHasher::~ChainHasher() {
  EVP_MD_CTX_free(ctx_);
  EVP_MD_free(md_);
}

ChainHash ChainHasher::next(const ChainHash& prev, const ChainRow& row) {
  buf_.clear();
  buf_.append(reinterpret_cast<const char*>(prev.data()), prev.size());
  put_u64(buf_, static_cast<uint64_t>(row.id));
  put_u64(buf_, static_cast<uint64_t>(row.ts_us));
  put_u64(buf_, static_cast<uint64_t>(row.received_us));
  put_text(buf_, row.agent);
  put_text(buf_, row.site);
  put_text(buf_, row.event_type);
  put_u64(buf_, static_cast<uint64_t>(row.severity));
  put_u64(buf_, static_cast<uint64_t>(row.sid));
  put_text(buf_, row.signature);
  put_text(buf_, row.category);
  put_text(buf_, row.src_ip);
  put_text(buf_, row.dest_ip);
  put_text(buf_, row.community_id);
  // The json text (most of the row) goes to the digest in place, after its
  // length prefix: the same bytes as put_text(), without copying it.
  put_u64(buf_, row.json.size());
  ChainHash out{};
  unsigned int len = 0;
  if (EVP_DigestInit_ex2(ctx_, md_, nullptr) != 1 ||
      EVP_DigestUpdate(ctx_, buf_.data(), buf_.size()) != 1 ||
      (!row.json.empty() && EVP_DigestUpdate(ctx_, row.json.data(), row.json.size()) != 1) ||
      EVP_DigestFinal_ex(ctx_, out.data(), &len) != 1 || len != out.size()) {
    throw StoreError("SHA-256 failed");
  }
  return out;
}

std::string chain_hash_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

bool chain_hash_from(std::string_view bytes, ChainHash* out) {
  if (bytes.size() != out->size()) return false;
  std::memcpy(out->data(), bytes.data(), out->size());
  return true;
}

}  // namespace nsm4::collector
