#include "store/agent_registry.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <chrono>
#include <mutex>
#include <unordered_map>

#include "store/hash_chain.h"
#include "store/sqlite_db.h"

namespace nsm4::collector {

namespace {

constexpr size_t kTokenBytes = 32;
constexpr size_t kSaltBytes = 16;
constexpr size_t kMaxTokenChars = 256;       // longer credentials are unknown, unhashed
constexpr size_t kMaxCachedTokens = 10'000;  // the cache is cleared when it grows past this
constexpr auto kPollInterval = std::chrono::seconds(1);

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool valid_name(const std::string& s) {
  if (s.empty() || s.size() > 64) return false;
  for (const char c : s) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string random_bytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    throw StoreError("agent registry: no random bytes from OpenSSL");
  }
  return out;
}

std::string sha256(std::string_view a, std::string_view b = {}) {
  std::string out(32, '\0');
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  unsigned int len = 0;
  const bool ok = ctx != nullptr && EVP_DigestInit_ex2(ctx, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(ctx, a.data(), a.size()) == 1 &&
                  EVP_DigestUpdate(ctx, b.data(), b.size()) == 1 &&
                  EVP_DigestFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()), &len) == 1;
  EVP_MD_CTX_free(ctx);
  if (!ok || len != out.size()) throw StoreError("agent registry: SHA-256 failed");
  return out;
}

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS agents(
  name TEXT PRIMARY KEY,
  site TEXT NOT NULL,
  token_salt BLOB NOT NULL,
  token_hash BLOB NOT NULL,
  created_us INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0,
  revoked_us INTEGER NOT NULL DEFAULT 0);
)sql";

struct KnownAgent {
  AgentRecord rec;
  std::string salt;
  std::string token_hash;  // SHA-256(salt || token)
  bool operator==(const KnownAgent& o) const {
    return rec.name == o.rec.name && rec.site == o.rec.site && rec.revoked == o.rec.revoked &&
           rec.created_us == o.rec.created_us && rec.revoked_us == o.rec.revoked_us &&
           salt == o.salt && token_hash == o.token_hash;
  }
};

class SqliteAgentRegistry final : public AgentRegistry {
 public:
  explicit SqliteAgentRegistry(const std::string& path)
      : db_(open_db(path)),
        select_all_(db_,
                    "SELECT name, site, token_salt, token_hash, created_us, revoked, revoked_us "
                    "FROM agents ORDER BY name"),
        exists_(db_, "SELECT 1 FROM agents WHERE name = ?1"),
        insert_(db_,
                "INSERT INTO agents(name, site, token_salt, token_hash, created_us) "
                "VALUES (?1, ?2, ?3, ?4, ?5)"),
        revoke_(db_,
                "UPDATE agents SET revoked = 1, revoked_us = ?2 WHERE name = ?1 AND revoked = 0"),
        data_version_(db_, "PRAGMA data_version") {
    reload();
  }

  std::string add(const std::string& name, const std::string& site) override {
    if (!valid_name(name)) {
      throw StoreError("agent name \"" + name + "\" is not [0-9a-zA-Z_.-]{1,64}");
    }
    if (!valid_name(site)) {
      throw StoreError("site name \"" + site + "\" is not [0-9a-zA-Z_.-]{1,64}");
    }
    const std::string raw = random_bytes(kTokenBytes);
    std::string token = chain_hash_hex(raw);
    const std::string salt = random_bytes(kSaltBytes);
    const std::string hash = sha256(salt, token);
    std::lock_guard<std::mutex> lock(mu_);
    {
      sql::Transaction txn(db_, true);
      {
        sql::ResetOnExit reset(exists_);
        exists_.bind(1, name);
        if (exists_.step()) throw StoreError("agent \"" + name + "\" already exists");
      }
      insert_.bind(1, name)
          .bind(2, site)
          .bind_blob(3, salt.data(), salt.size())
          .bind_blob(4, hash.data(), hash.size())
          .bind(5, now_us())
          .run();
      txn.commit();
    }
    reload();
    return token;
  }

  bool revoke(const std::string& name) override {
    std::lock_guard<std::mutex> lock(mu_);
    bool known = false;
    {
      sql::Transaction txn(db_, true);
      {
        sql::ResetOnExit reset(exists_);
        exists_.bind(1, name);
        known = exists_.step();
      }
      if (known) revoke_.bind(1, name).bind(2, now_us()).run();
      txn.commit();
    }
    reload();
    return known;
  }

  std::vector<AgentRecord> list() override {
    std::lock_guard<std::mutex> lock(mu_);
    reload();
    std::vector<AgentRecord> out;
    out.reserve(agents_.size());
    for (const KnownAgent& a : agents_) out.push_back(a.rec);
    return out;
  }

  AuthResult authenticate_token(const std::string& token, AgentRecord* out) override {
    if (token.empty() || token.size() > kMaxTokenChars) return AuthResult::kUnknown;
    const std::string key = sha256(token);
    std::lock_guard<std::mutex> lock(mu_);
    poll();
    auto it = token_cache_.find(key);
    size_t match = agents_.size();
    if (it != token_cache_.end()) {
      match = it->second;
    } else {
      // Every agent is compared, in constant time, whatever matches first.
      for (size_t i = 0; i < agents_.size(); ++i) {
        const std::string h = sha256(agents_[i].salt, token);
        if (h.size() == agents_[i].token_hash.size() &&
            CRYPTO_memcmp(h.data(), agents_[i].token_hash.data(), h.size()) == 0) {
          match = i;
        }
      }
      if (match == agents_.size()) return AuthResult::kUnknown;
      if (token_cache_.size() >= kMaxCachedTokens) token_cache_.clear();
      token_cache_.emplace(key, match);
    }
    return result_for(agents_[match], out);
  }

  AuthResult authenticate_name(const std::string& name, AgentRecord* out) override {
    std::lock_guard<std::mutex> lock(mu_);
    poll();
    for (const KnownAgent& a : agents_) {
      if (a.rec.name == name) return result_for(a, out);
    }
    return AuthResult::kUnknown;
  }

 private:
  static sql::Db open_db(const std::string& path) {
    sql::DbOptions opt;
    opt.cache_kib = 1024;
    sql::Db db = sql::Db::open(path, opt);
    sql::Transaction txn(db, true);
    db.exec(kSchema);
    txn.commit();
    return db;
  }

  static AuthResult result_for(const KnownAgent& a, AgentRecord* out) {
    if (out != nullptr) *out = a.rec;
    return a.rec.revoked ? AuthResult::kRevoked : AuthResult::kOk;
  }

  // At most once a second: when any connection (another process: the CLI)
  // committed to the file, reread the table.
  void poll() {
    const auto now = std::chrono::steady_clock::now();
    if (now < next_poll_) return;
    next_poll_ = now + kPollInterval;
    int64_t version = 0;
    {
      sql::ResetOnExit reset(data_version_);
      if (data_version_.step()) version = data_version_.column_int(0);
    }
    if (version != data_version_seen_) reload();
  }

  void reload() {
    {
      sql::ResetOnExit reset(data_version_);
      if (data_version_.step()) data_version_seen_ = data_version_.column_int(0);
    }
    std::vector<KnownAgent> fresh;
    {
      sql::ResetOnExit reset(select_all_);
      while (select_all_.step()) {
        KnownAgent a;
        a.rec.name = std::string(select_all_.column_text(0));
        a.rec.site = std::string(select_all_.column_text(1));
        a.salt = std::string(select_all_.column_blob(2));
        a.token_hash = std::string(select_all_.column_blob(3));
        a.rec.created_us = select_all_.column_int(4);
        a.rec.revoked = select_all_.column_int(5) != 0;
        a.rec.revoked_us = select_all_.column_int(6);
        fresh.push_back(std::move(a));
      }
    }
    // The event writer commits to the same file all the time: keep the token
    // cache unless the agents themselves changed.
    if (fresh != agents_) {
      agents_ = std::move(fresh);
      token_cache_.clear();
    }
  }

  std::mutex mu_;
  sql::Db db_;
  sql::Stmt select_all_;
  sql::Stmt exists_;
  sql::Stmt insert_;
  sql::Stmt revoke_;
  sql::Stmt data_version_;
  std::vector<KnownAgent> agents_;
  std::unordered_map<std::string, size_t> token_cache_;  // SHA-256(token) -> agents_ index
  int64_t data_version_seen_ = -1;
  std::chrono::steady_clock::time_point next_poll_{};
};

}  // namespace

std::unique_ptr<AgentRegistry> AgentRegistry::open(const std::string& path) {
  return std::make_unique<SqliteAgentRegistry>(path);
}

}  // namespace nsm4::collector
