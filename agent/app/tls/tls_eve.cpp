#include "app/tls/tls_eve.h"

#include <nsm4/common/json_writer.h>

#include "app/tls/tls_fingerprint.h"
#include "app/tls/tls_parser.h"

namespace nsm4::app::tls {

namespace {

void write_cert(JsonWriter& w, const CertInfo& c) {
  if (!c.subject.empty()) w.kv("subject", c.subject);
  if (!c.issuer.empty()) w.kv("issuerdn", c.issuer);
}

void write_cert_details(JsonWriter& w, const CertInfo& c) {
  if (!c.serial.empty()) w.kv("serial", c.serial);
  if (!c.fingerprint.empty()) w.kv("fingerprint", c.fingerprint);
}

void write_validity(JsonWriter& w, const CertInfo& c) {
  if (!c.not_before.empty()) w.kv("notbefore", c.not_before);
  if (!c.not_after.empty()) w.kv("notafter", c.not_after);
}

void write_strings(JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  w.key(key).begin_array();
  for (const auto& s : v) w.value(s);
  w.end_array();
}

void write_u16s(JsonWriter& w, std::string_view key, const std::vector<uint16_t>& v) {
  w.key(key).begin_array();
  for (uint16_t x : v)
    if (!is_grease(x)) w.value(static_cast<unsigned>(x));
  w.end_array();
}

}  // namespace

std::string version_name(uint16_t v) {
  switch (v) {
    case 0x0000:
      return "UNDETERMINED";
    case 0x0200:
      return "SSLv2";
    case 0x0300:
      return "SSLv3";
    case 0x0301:
      return "TLSv1";
    case 0x0302:
      return "TLS 1.1";
    case 0x0303:
      return "TLS 1.2";
    case 0x0304:
      return "TLS 1.3";
    case 0x7f01:
      return "TLS 1.3 draft-<16";
    case 0xfb14:
    case 0xfb15:
    case 0xfb16:
    case 0xfb17:
    case 0xfb1a:
      return "TLS 1.3 draft-" + std::to_string(v & 0xff) + "-fb";
    default:
      if (v >= 0x7f10 && v <= 0x7f1c) return "TLS 1.3 draft-" + std::to_string(v & 0xff);
      return std::to_string(v);
  }
}

std::string eve_body(const TlsTx& tx, const TlsConfig& cfg) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  write_cert(w, tx.server_cert);
  if (tx.session_resumed) w.kv("session_resumed", true);
  write_cert_details(w, tx.server_cert);
  if (tx.has_client_hello && tx.client_hello.has_sni) w.kv("sni", tx.client_hello.sni);
  w.kv("version", version_name(tx.version()));
  write_validity(w, tx.server_cert);
  if (cfg.ja3 && !tx.ja3.empty()) {
    w.key("ja3").begin_object().kv("hash", tx.ja3_hash).kv("string", tx.ja3).end_object();
  }
  if (cfg.ja3 && !tx.ja3s.empty()) {
    w.key("ja3s").begin_object().kv("hash", tx.ja3s_hash).kv("string", tx.ja3s).end_object();
  }
  if (cfg.ja4 && !tx.ja4.empty()) w.kv("ja4", tx.ja4);
  if (!tx.client_hello.alpns.empty()) write_strings(w, "client_alpns", tx.client_hello.alpns);
  if (!tx.server_hello.alpns.empty()) write_strings(w, "server_alpns", tx.server_hello.alpns);
  if (tx.client_cert.present) {
    w.key("client").begin_object();
    write_cert(w, tx.client_cert);
    write_cert_details(w, tx.client_cert);
    write_validity(w, tx.client_cert);
    w.end_object();
  }
  if (cfg.log_client_handshake && tx.has_client_hello) {
    const ClientHello& ch = tx.client_hello;
    w.key("client_handshake").begin_object();
    w.kv("version", version_name(ch.version));
    write_u16s(w, "ciphers", ch.ciphers);
    write_u16s(w, "exts", ch.extensions);
    write_u16s(w, "sig_algs", ch.sig_algs);
    w.end_object();
  }
  if (cfg.log_server_handshake && tx.has_server_hello) {
    const ServerHello& sh = tx.server_hello;
    w.key("server_handshake").begin_object();
    w.kv("version", version_name(tx.server_version));
    w.kv("cipher", static_cast<unsigned>(sh.cipher));
    write_u16s(w, "exts", sh.extensions);
    w.end_object();
  }
  w.end_object();
  return out;
}

}  // namespace nsm4::app::tls
