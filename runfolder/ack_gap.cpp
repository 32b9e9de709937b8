// The longest stretch without an ack (ack_gap.hpp).
#include "runfolder/ack_gap.hpp"

#include <algorithm>

namespace failsim::runfolder {

AckGap longest_ack_gap(double first_invoke_s, std::vector<double> acks_s, std::optional<double> unanswered_until_s) {
  std::sort(acks_s.begin(), acks_s.end());
  if (unanswered_until_s) acks_s.push_back(std::max(*unanswered_until_s, acks_s.empty() ? first_invoke_s : acks_s.back()));
  AckGap gap;
  double prev_s = first_invoke_s;
  for (double t : acks_s) {
    if (t - prev_s > gap.longest_s) gap = {t - prev_s, prev_s, t};
    prev_s = t;
  }
  return gap;
}

}  // namespace failsim::runfolder
