// campaign.json and junit.xml from a campaign's results.
#include "campaign_results.hpp"

#include <cstdio>

namespace failsim::cli {

using nlohmann::json;

const char* case_outcome_name(CaseOutcome o) {
  switch (o) {
    case CaseOutcome::held: return "held";
    case CaseOutcome::undecided: return "undecided";
    case CaseOutcome::timeout: return "timeout";
    case CaseOutcome::internal_error: return "internal_error";
    case CaseOutcome::violated: return "violated";
  }
  return "internal_error";
}

json campaign_json(const CampaignResults& r) {
  json cases = json::array();
  for (const CaseResult& c : r.cases)
    cases.push_back({{"case", c.index},
                     {"outcome", case_outcome_name(c.outcome)},
                     {"scenario_digest", c.scenario_digest},
                     {"faults_scheduled", c.scheduled},
                     {"faults_fired", c.fired},
                     {"wall_s", c.wall_s},
                     {"failure", c.failure},
                     {"reproduce", c.reproduce}});
  std::map<std::string, std::uint64_t> counts;
  for (CaseOutcome o : {CaseOutcome::held, CaseOutcome::undecided, CaseOutcome::timeout, CaseOutcome::internal_error,
                        CaseOutcome::violated})
    counts[case_outcome_name(o)] = 0;
  for (const CaseResult& c : r.cases) ++counts[case_outcome_name(c.outcome)];
  json kinds = json::object();
  json never_fired = json::array();
  for (const std::string& k : r.fault_kinds) {
    const std::uint64_t s = r.scheduled.contains(k) ? r.scheduled.at(k) : 0, f = r.fired.contains(k) ? r.fired.at(k) : 0;
    kinds[k] = {{"scheduled", s}, {"fired", f}};
    if (s > 0 && f == 0) never_fired.push_back(k);
  }
  return {{"format", 1},
          {"build", r.build},
          {"seed", r.seed},
          {"random", r.random},
          {"exhaustive", r.exhaustive.empty() ? json(nullptr) : json(r.exhaustive)},
          {"out_of_envelope", r.out_of_envelope},
          {"allow_undecided", r.allow_undecided},
          {"cases_planned", r.planned},
          {"cases_run", r.cases.size()},
          {"time_budget_s", r.time_budget_s ? json(*r.time_budget_s) : json(nullptr)},
          {"time_budget_reached", r.budget_reached},
          {"stopped_by_signal", r.stopped_by_signal},
          {"wall_s", r.wall_s},
          {"exit_status", r.exit_status},
          {"counts", counts},
          {"fault_kinds", kinds},
          {"scheduled_never_fired", never_fired},
          {"cases", cases}};
}

namespace {

// Text as XML 1.0 character data or an attribute value: the five special
// characters escaped, and the control characters XML cannot hold at all
// written as \xNN (text from a scenario may contain them).
std::string xml_text(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

}  // namespace

std::string junit_xml(const CampaignResults& r) {
  std::uint64_t failures = 0, errors = 0;
  for (const CaseResult& c : r.cases) {
    if (c.outcome == CaseOutcome::violated || (c.outcome == CaseOutcome::undecided && !r.allow_undecided)) ++failures;
    if (c.outcome == CaseOutcome::timeout || c.outcome == CaseOutcome::internal_error) ++errors;
  }
  const std::string suite = "failsim check --random " + std::to_string(r.random) + " --seed " + std::to_string(r.seed) +
                            (r.out_of_envelope ? " --out-of-envelope" : "");
  std::string x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  x += "<testsuites name=\"failsim\" tests=\"" + std::to_string(r.cases.size()) + "\" failures=\"" +
       std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" time=\"" + seconds(r.wall_s) + "\">\n";
  x += "  <testsuite name=\"" + xml_text(suite) + "\" tests=\"" + std::to_string(r.cases.size()) + "\" failures=\"" +
       std::to_string(failures) + "\" errors=\"" + std::to_string(errors) + "\" skipped=\"0\" time=\"" +
       seconds(r.wall_s) + "\">\n";
  x += "    <properties>\n      <property name=\"seed\" value=\"" + std::to_string(r.seed) +
       "\"/>\n      <property name=\"build\" value=\"" + xml_text(r.build) + "\"/>\n    </properties>\n";
  for (const CaseResult& c : r.cases) {
    x += "    <testcase classname=\"failsim.random.seed" + std::to_string(r.seed) + "\" name=\"case " +
         std::to_string(c.index) + "\" time=\"" + seconds(c.wall_s) + "\"";
    const bool failure = c.outcome == CaseOutcome::violated || (c.outcome == CaseOutcome::undecided && !r.allow_undecided);
    const bool error = c.outcome == CaseOutcome::timeout || c.outcome == CaseOutcome::internal_error;
    if (!failure && !error) {
      x += "/>\n";
      continue;
    }
    const std::string tag = failure ? "failure" : "error";
    const std::string first_line = c.failure.substr(0, c.failure.find('\n'));
    x += ">\n      <" + tag + " type=\"" + case_outcome_name(c.outcome) + "\" message=\"" + xml_text(first_line) +
         "\">" + xml_text(c.failure + "\nreproduce: " + c.reproduce) + "</" + tag + ">\n    </testcase>\n";
  }
  x += "  </testsuite>\n</testsuites>\n";
  return x;
}

}  // namespace failsim::cli
