#pragma once
#include <ostream>
#include <string>

#include "engine/pipeline.h"

namespace nsm4 {

// The short human summary printed at the end of a run.
void print_summary(std::ostream& os, const RunResult& r, const std::string& input,
                   const std::string& eve_path);
// One progress line ("\r..."), for terminals.
void print_progress(const PacketSource& src, uint64_t packets);

}  // namespace nsm4
