#include "capture/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nsm4 {

std::string drop_privileges(const std::string& user, const std::string& group) {
  if (user.empty()) return "";
  const passwd* pw = getpwnam(user.c_str());
  if (!pw) return "unknown user '" + user + "'";
  gid_t gid = pw->pw_gid;
  uid_t uid = pw->pw_uid;
  if (!group.empty()) {
    const struct group* gr = getgrnam(group.c_str());
    if (!gr) return "unknown group '" + group + "'";
    gid = gr->gr_gid;
  }
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
