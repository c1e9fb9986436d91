#pragma once
#include <string>

namespace nsm4 {

// Switches the process to `user` (and `group`, or the user's primary group)
// and drops supplementary groups. Returns an empty string on success, else why
// it failed. A no-op returning "" when `user` is empty.
std::string drop_privileges(const std::string& user, const std::string& group);

// Gives the directory `dir` and everything in it (symbolic links are not
// followed) to `user` and `group`, so that it stays writable after
// drop_privileges. A no-op returning "" when `user` is empty or when not
// running as root.
std::string give_directory_to(const std::string& dir, const std::string& user,
                              const std::string& group);

}  // namespace nsm4
