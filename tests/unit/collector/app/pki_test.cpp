#include "app/pki.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "collector/temp_dir.h"

namespace nsm4::collector::pki {
namespace {

using testing::TempDir;

mode_t file_mode(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

class PkiTest : public ::testing::Test {
 protected:
  void SetUp() override { make_ca(ca_, "test CA", 30); }
  TempDir dir_;
  CaFiles ca_{dir_.file("ca.crt"), dir_.file("ca.key")};
};

TEST_F(PkiTest, ServerCertificateVerifiesForItsNamesOnly) {
  const CaFiles server{dir_.file("s.crt"), dir_.file("s.key")};
  issue_server_cert(ca_, server, {"collector.example", "10.1.2.3"}, 30);
  for (const char* host : {"", "localhost", "127.0.0.1", "::1", "collector.example", "10.1.2.3"})
    EXPECT_EQ(verify_certificate(ca_.cert_path, server.cert_path, Purpose::kServer, host), "")
        << host;
  EXPECT_NE(verify_certificate(ca_.cert_path, server.cert_path, Purpose::kServer, "other.example"),
            "");
  EXPECT_NE(verify_certificate(ca_.cert_path, server.cert_path, Purpose::kServer, "10.1.2.4"), "");
  EXPECT_NE(verify_certificate(ca_.cert_path, server.cert_path, Purpose::kClient), "");
}

TEST_F(PkiTest, ClientCertificateIsForClientsOfThisCaOnly) {
  const CaFiles agent{dir_.file("a.crt"), dir_.file("a.key")};
  issue_client_cert(ca_, agent, "ward-1-sensor", 30);
  EXPECT_EQ(verify_certificate(ca_.cert_path, agent.cert_path, Purpose::kClient), "");
  EXPECT_NE(verify_certificate(ca_.cert_path, agent.cert_path, Purpose::kServer), "");
  TempDir other;
  const CaFiles other_ca{other.file("ca.crt"), other.file("ca.key")};
  make_ca(other_ca, "other CA", 30);
  EXPECT_NE(verify_certificate(other_ca.cert_path, agent.cert_path, Purpose::kClient), "");
}

TEST_F(PkiTest, PrivateKeysAreOwnerOnly) {
  const CaFiles agent{dir_.file("a.crt"), dir_.file("a.key")};
  issue_client_cert(ca_, agent, "a", 30);
  EXPECT_EQ(file_mode(ca_.key_path), 0600u);
  EXPECT_EQ(file_mode(agent.key_path), 0600u);
  EXPECT_EQ(file_mode(agent.cert_path), 0644u);
}

TEST_F(PkiTest, BadInputIsReportedNotCrashed) {
  EXPECT_THROW(issue_server_cert(ca_, {dir_.file("s.crt"), dir_.file("s.key")}, {"a b"}, 30),
               PkiError);
  EXPECT_THROW(issue_client_cert({dir_.file("none.crt"), ca_.key_path},
                                 {dir_.file("c.crt"), dir_.file("c.key")}, "c", 30),
               PkiError);
  TempDir other;
  const CaFiles other_ca{other.file("ca.crt"), other.file("ca.key")};
  make_ca(other_ca, "other CA", 30);
  const CaFiles mixed{ca_.cert_path, other_ca.key_path};  // key of another CA
  EXPECT_THROW(issue_client_cert(mixed, {dir_.file("c.crt"), dir_.file("c.key")}, "c", 30),
               PkiError);
}

}  // namespace
}  // namespace nsm4::collector::pki
