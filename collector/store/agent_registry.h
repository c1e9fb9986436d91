#pragma once
// Agents allowed to send events: name, site, token (stored as a salted SHA-256,
// never in clear), revocation. Kept in the store's SQLite file, table `agents`,
// so that one file holds everything an auditor needs.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "store/store_error.h"

namespace nsm4::collector {

struct AgentRecord {
  std::string name;  // [0-9a-zA-Z_.-]{1,64}
  std::string site;  // [0-9a-zA-Z_.-]{1,64}
  int64_t created_us = 0;
  bool revoked = false;
  int64_t revoked_us = 0;
};

enum class AuthResult { kOk, kUnknown, kRevoked };

class AgentRegistry {
 public:
  // Opens the registry in the SQLite file at `path` (creating the table).
  // Throws StoreError.
  static std::unique_ptr<AgentRegistry> open(const std::string& path);
  virtual ~AgentRegistry() = default;

  // Adds an agent and returns its new token (32 random bytes, hex); the token is
  // shown once and only its salted hash is stored. Throws StoreError when the
  // name exists or is invalid.
  virtual std::string add(const std::string& name, const std::string& site) = 0;
  virtual bool revoke(const std::string& name) = 0;  // false when unknown
  virtual std::vector<AgentRecord> list() = 0;
  // Token -> agent. Constant-time comparison of hashes; cached in memory and
  // refreshed when the table changes (a revoke from the CLI takes effect within
  // a second in a running collector).
  virtual AuthResult authenticate_token(const std::string& token, AgentRecord* out) = 0;
  // Client-certificate CN -> agent (the CA is the collector's own).
  virtual AuthResult authenticate_name(const std::string& name, AgentRecord* out) = 0;
};

}  // namespace nsm4::collector
