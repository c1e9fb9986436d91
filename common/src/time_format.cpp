#include "nsm4/common/time_format.h"

#include <cstdio>
#include <ctime>

namespace nsm4 {

void append_eve_timestamp(std::string& out, int64_t sec, int32_t usec) {
  time_t t = static_cast<time_t>(sec);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[48];
  int n =
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06d+0000", tm.tm_year + 1900,
                    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
  out.append(buf, static_cast<size_t>(n));
}

}  // namespace nsm4
