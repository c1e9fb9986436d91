#include "reassembly/stream_policy.h"

namespace nsm4 {

// The decisions of Suricata's DoHandleDataOverlap (stream-tcp-list.c), by
// where the new segment starts relative to the held one:
//   starts before: bsd, windows and linux take the new bytes; solaris only
//                  when the new segment also reaches the held one's end.
//   same start:    linux takes the new bytes when the new segment is longer,
//                  solaris when it is at least as long.
//   starts after:  solaris takes the new bytes when the new segment ends
//                  beyond the held one.
// `first` always keeps the held bytes, `last` always takes the new ones.
bool overlap_takes_new(StreamPolicy policy, uint64_t seg_start, uint64_t seg_end,
                       uint64_t held_start, uint64_t held_end) {
  switch (policy) {
    case StreamPolicy::kFirst:
      return false;
    case StreamPolicy::kLast:
      return true;
    case StreamPolicy::kBsd:
    case StreamPolicy::kWindows:
      return seg_start < held_start;
    case StreamPolicy::kLinux:
      if (seg_start == held_start) return seg_end > held_end;
      return seg_start < held_start;
    case StreamPolicy::kSolaris:
      if (seg_start > held_start) return seg_end > held_end;
      return seg_end >= held_end;
  }
  return false;
}

}  // namespace nsm4
