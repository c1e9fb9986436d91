#include "app/tls/tls_fingerprint.h"

#include <gtest/gtest.h>

namespace nsm4::app::tls {
namespace {

TEST(TlsFingerprint, GreaseValues) {
  int n = 0;
  for (uint32_t v = 0; v <= 0xffff; ++v) n += is_grease(static_cast<uint16_t>(v)) ? 1 : 0;
  EXPECT_EQ(n, 16);
  EXPECT_TRUE(is_grease(0x0a0a));
  EXPECT_TRUE(is_grease(0xfafa));
  EXPECT_FALSE(is_grease(0x0a1a));
  EXPECT_FALSE(is_grease(0x1301));
}

TEST(TlsFingerprint, Ja3PublishedVector) {
  // The example of the JA3 README (salesforce/ja3).
  ClientHello ch;
  ch.version = 769;
  ch.ciphers = {47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4};
  ch.extensions = {0, 10, 11};
  ch.groups = {23, 24, 25};
  ch.ec_point_formats = {0};
  EXPECT_EQ(ja3_string(ch), "769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0");
  EXPECT_EQ(md5_hex(ja3_string(ch)), "ada70206e40642a3e4461f35503241d5");
}

TEST(TlsFingerprint, Ja3HashesOfSuricataOutput) {
  // Pairs from Suricata's EVE output (the tls13-draft conformance cases).
  EXPECT_EQ(md5_hex("771,4865-4867,0-43-13-10-40,23,"), "786468211b4d23f9b725987b0de9d090");
  EXPECT_EQ(md5_hex("771,4866-255,0-11-10-35-13-22-23-43-45-40,29-23-25-24,0-1-2"),
            "0e870cb29dd59424064948532781a7f6");
}

TEST(TlsFingerprint, Ja3DropsGreaseAndKeepsEmptyFields) {
  ClientHello ch;
  ch.version = 771;
  ch.ciphers = {0x1a1a, 4865, 4867};
  ch.extensions = {0x2a2a, 0, 43, 13, 10, 40, 0xfafa};
  ch.groups = {0x3a3a, 23};
  EXPECT_EQ(ja3_string(ch), "771,4865-4867,0-43-13-10-40,23,");
}

TEST(TlsFingerprint, Ja3sString) {
  ServerHello sh;
  sh.version = 771;
  sh.cipher = 49200;
  sh.extensions = {65281, 11, 0x0a0a, 35, 23};
  EXPECT_EQ(ja3s_string(sh), "771,49200,65281-11-35-23");
}

TEST(TlsFingerprint, Ja4FoxIoExample) {
  // The Chrome example of the JA4 specification (FoxIO-LLC/ja4, technical details).
  ClientHello ch;
  ch.version = 0x0303;
  ch.supported_versions = {0x4a4a, 0x0304, 0x0303};
  ch.ciphers = {0x2a2a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030,
                0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
  ch.extensions = {0x1a1a, 0x0000, 0x0017, 0xff01, 0x000a, 0x000b, 0x0023, 0x0010, 0x0005,
                   0x000d, 0x0012, 0x0033, 0x002d, 0x002b, 0x001b, 0x0015, 0x4469};
  ch.has_sni = true;
  ch.alpns = {"h2", "http/1.1"};
  ch.sig_algs = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};
  EXPECT_EQ(ja4(ch), "t13d1516h2_8daaf6152771_e5627efa2ab1");
}

TEST(TlsFingerprint, Ja4EdgeCasesAsSuricata) {
  ClientHello ch;
  EXPECT_EQ(ja4(ch), "t00i000000_e3b0c44298fc_d2e2adf7177b");  // empty lists are hashed too
  ch.version = 0x0303;
  ch.alpns = {"a"};  // a 1-byte ALPN does not count
  EXPECT_EQ(ja4(ch).substr(0, 10), "t12i000000");
  ch.alpns = {std::string("\x0a\x0a", 2)};  // GREASE ALPN
  EXPECT_EQ(ja4(ch).substr(0, 10), "t12i000000");
  ch.alpns = {"h3-16"};
  EXPECT_EQ(ja4(ch).substr(0, 10), "t12i0000h6");
  for (uint16_t i = 1; i < 200; ++i) {
    ch.ciphers.push_back(i);
    ch.extensions.push_back(static_cast<uint16_t>(0x100 + i));
  }
  EXPECT_EQ(ja4(ch).substr(0, 10), "t12i9999h6");
}

}  // namespace
}  // namespace nsm4::app::tls
