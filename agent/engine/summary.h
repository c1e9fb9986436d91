#pragma once
#include <ostream>
#include <string>

#include "engine/pipeline.h"
#include "output/forward_stats.h"

namespace nsm4 {

// The short human summary printed at the end of a run.
void print_summary(std::ostream& os, const RunResult& r, const std::string& input,
                   const std::string& eve_path);
// The forwarder's line of the summary: sent, still spooled, dropped, rejected.
void print_forward_summary(std::ostream& os, const forward::ForwardStats& f,
                           const std::string& collector);
// One progress line ("\r..."), for terminals.
void print_progress(const PacketSource& src, uint64_t packets);

}  // namespace nsm4
