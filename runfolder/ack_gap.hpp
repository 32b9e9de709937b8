// The outage clients saw on one aggregate: the longest stretch without an
// acknowledgement, from the first request issued to it (so a first ack
// that comes late counts) to its last ack - or, when a request to it still
// waited for its answer when the run ended (neither answered nor given
// up), to the run's end: an aggregate unserved at the end is an outage to
// the end. One definition, used by
// summary.json (the simulator) and report.json (the reports). It is longer
// than the takeover: a client learns the aggregate is served again only
// when its next retransmission is answered.
#pragma once

#include <optional>
#include <vector>

namespace failsim::runfolder {

struct AckGap {
  double longest_s = 0, from_s = 0, to_s = 0;  // 0 when the aggregate had no ack
};

// `acks_s` in any order (sorted here); `unanswered_until_s`: the run's end
// (the `end` event), when some request to the aggregate still waited then.
AckGap longest_ack_gap(double first_invoke_s, std::vector<double> acks_s,
                       std::optional<double> unanswered_until_s = std::nullopt);

}  // namespace failsim::runfolder
