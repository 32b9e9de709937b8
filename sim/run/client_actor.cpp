// The client actor.
#include "client_actor.hpp"

#include <map>

#include "sim/run/activity_counts.hpp"
#include "sim/run/rng.hpp"
#include "sim/run/workload_gen.hpp"

namespace failsim::sim {

namespace sg4 = simgrid::s4u;

namespace {
struct Outstanding {
  model::Change change;
  double invoked_s = 0;
  double deadline_s = 0;
  int attempts = 0;
};
// The client mounts its aggregate: it sends nothing before the scenario's
// warm-up ends and the aggregate is served, as a real client mounts an
// export that is up, so no request waits out a retransmission timeout on a
// node still booting. False: the run ended first.
bool mount(World& w, const std::string& aggregate) {
  sg4::this_actor::sleep_until(w.scenario.workload.warmup_s);
  std::unique_lock lock(*w.service_mutex);
  while (!w.service.contains(aggregate) && !w.stop && !w.clients_stop) w.service_up->wait(lock);
  return w.service.contains(aggregate);
}

}  // namespace

void run_client(World& w, model::ClientId id, std::string aggregate) {
  const WorkloadSpec& spec = w.scenario.workload;
  OpGenerator gen(spec, id, w.scenario.seed);
  std::mt19937_64 rng = make_stream(w.scenario.seed, "arrivals" + std::to_string(id));
  std::exponential_distribution<double> gap(spec.rate_per_s > 0 ? spec.rate_per_s : 1);
  const bool open = spec.loop == ClientLoop::open;
  sg4::Mailbox* inbox = w.client_mailboxes[id - 1];
  sg4::Host* host = w.client_hosts[id - 1];
  const std::uint64_t total = spec.ops_per_client;
  if (!mount(w, aggregate)) {
    --w.clients_running;
    return;
  }

  std::map<model::Xid, Outstanding> outstanding;
  std::uint64_t issued = 0;
  double next_issue_s = w.now() + (open ? gap(rng) : 0);

  auto send = [&](Outstanding& o) {
    ++o.attempts;
    // Tell the server the lowest xid still unanswered: it may forget replies below.
    o.change.low_xid = outstanding.begin()->first;
    o.deadline_s = w.now() + spec.retransmit_timeout_s;
    auto it = w.service.find(aggregate);
    if (it == w.service.end()) return;  // nobody answers at the service address now
    auto* m = new Message{Message::Kind::request, aggregate, o.change};
    m->client = id;
    w.send_to_node(it->second, m, spec.request_bytes + o.change.data.size(), host);
  };

  ActivityCounts& counts = activity_counts();
  Message* reply = nullptr;
  sg4::CommPtr get = inbox->get_async<Message>(&reply);
  ++counts.receives;
  while (!w.stop && !w.clients_stop && (issued < total || !outstanding.empty())) {
    const bool can_issue = issued < total && (open || outstanding.empty());
    if (can_issue && w.now() >= next_issue_s) {
      Outstanding o{gen.next(), w.now(), 0, 0};
      w.recorder->invoke(w.now(), id, o.change.xid, aggregate, o.change);
      ++issued;
      auto [it, added] = outstanding.emplace(o.change.xid, std::move(o));
      send(it->second);
      if (open) next_issue_s = w.now() + gap(rng);
      continue;
    }
    double wake_s = can_issue ? next_issue_s : 1e300;
    for (auto& [xid, o] : outstanding) wake_s = std::min(wake_s, o.deadline_s);
    ++counts.waits;
    ++counts.timed_waits;
    ssize_t i = sg4::Activity::wait_any_for({get}, std::max(0.0, std::min(wake_s, 1e9) - w.now()));
    if (i == 0) {
      std::unique_ptr<Message> m(reply);
      get = inbox->get_async<Message>(&reply);
      ++counts.receives;
      auto it = outstanding.find(m->xid);
      if (it == outstanding.end()) continue;  // a duplicate or late reply
      w.recorder->complete(w.now(), id, m->xid, m->result, w.now() - it->second.invoked_s, it->second.change.type);
      outstanding.erase(it);
      if (!open) next_issue_s = w.now() + spec.think_time_s;
      continue;
    }
    for (auto it = outstanding.begin(); it != outstanding.end();) {
      Outstanding& o = it->second;
      if (o.deadline_s > w.now()) {
        ++it;
        continue;
      }
      if (spec.retry_limit > 0 && o.attempts > spec.retry_limit) {
        w.recorder->give_up(w.now(), id, it->first);
        it = outstanding.erase(it);
        if (!open) next_issue_s = w.now() + spec.think_time_s;
        continue;
      }
      w.recorder->retransmit();
      send(o);
      ++it;
    }
  }
  // The run ended with changes unanswered: their outcome is unknown.
  for (auto& [xid, o] : outstanding) w.recorder->give_up(w.now(), id, xid, Recorder::Unknown::waiting_at_end);
  get->cancel();
  --w.clients_running;
}

}  // namespace failsim::sim
