#pragma once
// Which copy of overlapping TCP bytes survives, per target-based policy.
#include <cstdint>

#include "reassembly/tcp_stream.h"

namespace nsm4 {

// A new segment [seg_start, seg_end) overlaps a held one [held_start,
// held_end) whose bytes differ: true when the new segment's bytes replace
// the held ones in the overlap. Offsets are stream offsets (already
// unwrapped), the extents are the segments as they arrived.
bool overlap_takes_new(StreamPolicy policy, uint64_t seg_start, uint64_t seg_end,
                       uint64_t held_start, uint64_t held_end);

}  // namespace nsm4
