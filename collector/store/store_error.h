#pragma once
#include <stdexcept>

namespace nsm4::collector {

// A store or registry operation failed (I/O, corrupt file, constraint); the
// message names the file and SQLite's reason.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace nsm4::collector
