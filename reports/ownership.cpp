// The serving timeline fed the events one by one; after each event it
// concerns, who serves each aggregate at that moment (serving_now).
#include "ownership.hpp"

#include <map>

#include "runfolder/serving_timeline.hpp"

namespace failsim::reports {

using nlohmann::json;
using runfolder::EventKind;

const std::vector<std::string>& ownership_roles() {
  static const std::vector<std::string> roles{"owner", "partner", "nobody"};
  return roles;
}

namespace {

void push_span(AggregateOwnership& a, const std::string& server, double from_s, double to_s) {
  if (to_s <= from_s) return;  // several changes at one instant: only the last one is seen
  const std::string role = server.empty() ? "nobody" : server == a.owner ? "owner" : "partner";
  a.spans.push_back({server, role, from_s, to_s});
}

// Closes the open span at `t` and opens one for `server`; a span that
// resumes the one before it (a zero-length change between) extends that one.
void switch_to(AggregateOwnership& a, std::string& open_server, double& open_since_s, const std::string& server,
               double t) {
  push_span(a, open_server, open_since_s, t);
  open_server = server;
  open_since_s = t;
  if (!a.spans.empty() && a.spans.back().server == server && a.spans.back().end_s == t) {
    open_since_s = a.spans.back().start_s;
    a.spans.pop_back();
  }
}

void add_up(AggregateOwnership& a) {
  bool served_yet = false;
  for (const OwnershipSpan& s : a.spans) {
    if (s.role == "owner") a.owner_s += s.duration_s();
    if (s.role == "partner") a.partner_s += s.duration_s();
    if (s.role == "nobody" && served_yet) a.unserved_s += s.duration_s();
    served_yet = served_yet || s.role != "nobody";
  }
}

}  // namespace

Ownership build_ownership(const RunData& run) {
  Ownership out;
  std::map<std::string, std::string> owners;
  for (const auto& a : run.scenario.at("cluster").at("aggregates")) {
    const std::string name = a.at("name").get<std::string>();
    owners[name] = a.at("owner").get<std::string>();
    out.aggregates.push_back({.aggregate = name, .owner = owners[name]});
  }
  runfolder::ServingTimeline timeline(owners);
  std::vector<std::string> open_server(out.aggregates.size());
  std::vector<double> open_since_s(out.aggregates.size(), 0.0);
  for (const runfolder::Event& e : run.events) {
    timeline.observe(e);
    if (!runfolder::ServingTimeline::concerns(e.kind)) continue;
    const std::map<std::string, std::string>& serving = timeline.serving_now();
    for (std::size_t i = 0; i < out.aggregates.size(); ++i) {
      const auto it = serving.find(out.aggregates[i].aggregate);
      const std::string server = it == serving.end() ? "" : it->second;
      if (server != open_server[i]) switch_to(out.aggregates[i], open_server[i], open_since_s[i], server, e.time_s);
    }
    if (e.kind == EventKind::end) break;  // the serving timeline's end: later events change nothing in it
  }
  out.end_s = timeline.finish().end_s;
  for (std::size_t i = 0; i < out.aggregates.size(); ++i) {
    push_span(out.aggregates[i], open_server[i], open_since_s[i], out.end_s);
    add_up(out.aggregates[i]);
  }
  return out;
}

json Ownership::to_json() const {
  json out = json::object();
  for (const AggregateOwnership& a : aggregates) {
    json spans = json::array();
    for (const OwnershipSpan& s : a.spans)
      spans.push_back({{"server", s.server.empty() ? json(nullptr) : json(s.server)},
                       {"role", s.role},
                       {"start_s", s.start_s},
                       {"end_s", s.end_s}});
    out[a.aggregate] = {{"owner", a.owner},          {"served_by_owner_s", a.owner_s},
                        {"served_by_partner_s", a.partner_s}, {"unserved_s", a.unserved_s},
                        {"spans", spans}};
  }
  return out;
}

}  // namespace failsim::reports
