#pragma once
// Everything the agent reads from agent.yaml / --set, in typed form.
#include <optional>
#include <string>

#include "capture/packet_source.h"
#include "engine/pipeline.h"
#include "nsm4/common/config.h"
#include "output/forwarder.h"

namespace nsm4 {

struct AgentSettings {
  CaptureOptions capture;
  PipelineConfig pipeline;
  int run_for_sec = 0;
  std::string run_as_user;
  std::string run_as_group;
  std::optional<forward::ForwarderOptions> forward;  // output.forward.url set
};

// Throws ConfigError with the key and the bad value.
AgentSettings settings_from_config(const Config& cfg, bool live);

}  // namespace nsm4
