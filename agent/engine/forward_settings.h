#pragma once
// The output.forward.* keys of agent.yaml (and --collector): the forwarder to
// the collector. Throws ConfigError with the key and the bad value.
#include <chrono>
#include <optional>
#include <string>

#include "nsm4/common/config.h"
#include "output/forwarder.h"

namespace nsm4 {

// nullopt when output.forward.url is unset (every key is still read and checked).
// The spool directory defaults to "" (the caller puts it under the log directory).
std::optional<forward::ForwarderOptions> forward_settings_from_config(const Config& cfg);

}  // namespace nsm4
