#pragma once
// The collector's reply to a batch (see nsm4/common/wire.h):
//   {"stored":N,"duplicate":bool,"rejected":[{"line":K,"error":"..."}]}
#include <cstdint>
#include <string>
#include <string_view>

namespace nsm4::forward {

struct CollectorReply {
  bool valid = false;  // the body parsed as the reply object
  uint64_t stored = 0;
  bool duplicate = false;
  uint64_t rejected_lines = 0;
  std::string first_rejection;  // "line K: error" of the first refused line
};

CollectorReply parse_collector_reply(std::string_view body);

}  // namespace nsm4::forward
