#include "capture/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace nsm4 {

namespace {

// The uid and gid drop_privileges would switch to; "" or why not.
std::string resolve_ids(const std::string& user, const std::string& group, uid_t& uid, gid_t& gid) {
  const passwd* pw = getpwnam(user.c_str());
  if (!pw) return "unknown user '" + user + "'";
  uid = pw->pw_uid;
  gid = pw->pw_gid;
  if (!group.empty()) {
    const struct group* gr = getgrnam(group.c_str());
    if (!gr) return "unknown group '" + group + "'";
    gid = gr->gr_gid;
  }
  return "";
}

}  // namespace

std::string give_directory_to(const std::string& dir, const std::string& user,
                              const std::string& group) {
  if (user.empty() || geteuid() != 0) return "";
  uid_t uid = 0;
  gid_t gid = 0;
  if (auto e = resolve_ids(user, group, uid, gid); !e.empty()) return e;
  auto give = [&](const std::filesystem::path& p) -> std::string {
    if (fchownat(AT_FDCWD, p.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0)
      return p.string() + ": chown: " + std::strerror(errno);
    return "";
  };
  if (auto e = give(dir); !e.empty()) return e;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (auto e = give(it->path()); !e.empty()) return e;
  }
  if (ec) return dir + ": " + ec.message();
  return "";
}

std::string drop_privileges(const std::string& user, const std::string& group) {
  if (user.empty()) return "";
  uid_t uid = 0;
  gid_t gid = 0;
  if (auto e = resolve_ids(user, group, uid, gid); !e.empty()) return e;
  if (geteuid() != 0) {
    if (geteuid() == uid) return "";
    return "cannot switch to user '" + user + "': not running as root";
  }
  if (setgroups(0, nullptr) != 0) return std::string("setgroups: ") + std::strerror(errno);
  if (setgid(gid) != 0) return std::string("setgid: ") + std::strerror(errno);
  if (setuid(uid) != 0) return std::string("setuid: ") + std::strerror(errno);
  // Make sure root cannot be regained.
  if (uid != 0 && setuid(0) == 0) return "privileges could not be dropped for good";
  return "";
}

}  // namespace nsm4
