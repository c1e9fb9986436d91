#include "metrics/batch_summary.h"

namespace nsm4::collector {

size_t event_type_index(std::string_view event_type) {
  for (size_t i = 0; i < kEventTypeOther; ++i) {
    if (kEventTypeLabels[i] == event_type) return i;
  }
  return kEventTypeOther;
}

std::string_view severity_label(int severity) {
  switch (severity) {
    case 1:
      return "1";
    case 2:
      return "2";
    case 3:
      return "3";
    default:
      return "4";
  }
}

void BatchSummary::add(const StoredEvent& ev) {
  ++events;
  const size_t type = event_type_index(ev.event_type);
  ++by_type[type];
  if (type == 0) {  // alert
    const int sev = severity_label(ev.severity)[0] - '0';
    ++alerts[{sev, ev.category}];
  }
}

}  // namespace nsm4::collector
