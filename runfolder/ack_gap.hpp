// The outage clients saw on one aggregate: the longest stretch without an
// acknowledgement, from the first request issued to it (so a first ack
// that comes late counts) to its last ack. One definition, used by
// summary.json (the simulator) and report.json (the reports). It is longer
// than the takeover: a client learns the aggregate is served again only
// when its next retransmission is answered.
#pragma once

#include <vector>

namespace failsim::runfolder {

struct AckGap {
  double longest_s = 0, from_s = 0, to_s = 0;  // 0 when the aggregate had no ack
};

// `acks_s` in any order (sorted here).
AckGap longest_ack_gap(double first_invoke_s, std::vector<double> acks_s);

}  // namespace failsim::runfolder
