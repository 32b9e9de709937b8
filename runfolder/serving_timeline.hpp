// Who served each aggregate when, derived from the events alone: the one
// definition of every figure about serving - takeovers, givebacks,
// outages, the server of each aggregate at the run's end. The checker
// judges from it and the reports draw it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "runfolder/event.hpp"

namespace failsim::runfolder {

// A takeover: the owner stopped serving its aggregate (it crashed, it
// stopped serving it, or it hung) and another node served it next.
struct Takeover {
  std::string aggregate, owner, by;
  double from_s = 0;  // the owner's crash, stop_serving, or the start of its hang
  double to_s = 0;    // the other node's serve
  // crash, stop_serving, or resume: the owner hung (it writes nothing while
  // hung; its resume event tells for how long) and was taken over meanwhile.
  EventKind stopped_by = EventKind::crash;
  double duration_s() const { return to_s - from_s; }
};

// A giveback: a node serving an aggregate it does not own stopped serving
// it, and its owner served it next.
struct Giveback {
  std::string aggregate, from, owner;
  double from_s = 0;  // the non-owner's stop_serving (or crash)
  double to_s = 0;    // the owner's serve
  double duration_s() const { return to_s - from_s; }
};

// From an aggregate's server stopping (a crash, a stop_serving, the start
// of a hang) to the next serve, or to the end of the hang; one still open
// at the run's end lasts until then.
struct Outage {
  std::string aggregate;
  double from_s = 0, to_s = 0;
  double duration_s() const { return to_s - from_s; }
};

struct Serving {
  std::map<std::string, std::string> server_at_end;  // aggregate -> node serving it when the run ended
  std::vector<Takeover> takeovers;
  std::vector<Giveback> givebacks;
  std::vector<Outage> outages;
  bool served_by_non_owner = false;  // before the end, a node served an aggregate it does not own
  double end_s = 0;                  // the "end" event, or the last event without one
};

// Fed the events in file order. The state at the world's "end" event is
// the run's end; later events (the world settling) change nothing here.
class ServingTimeline {
 public:
  // `owners`: aggregate -> its owner node (empty: no takeover or giveback
  // can be told, outages still can).
  explicit ServingTimeline(std::map<std::string, std::string> owners = {}) : owners_(std::move(owners)) {}
  void observe(const Event& e);
  // The kinds of event observe() looks at (the rest it skips).
  static bool concerns(EventKind kind);
  // Who serves each aggregate now, after the events observed so far.
  const std::map<std::string, std::string>& serving_now() const { return serving_; }
  // The timeline, closed at the "end" event or, without one, at the last event.
  Serving finish();

 private:
  void serve(const std::string& aggregate, const std::string& node, double t);
  // `aggregate` empty: every aggregate `node` serves (a crash).
  void stop(const std::string& aggregate, const std::string& node, double t);
  void end(double t);
  // `node` hung from t - hung_s to t: what it served went unanswered.
  void resume(const std::string& node, double t, double hung_s);
  const std::string* owner_of(const std::string& aggregate) const;

  std::map<std::string, std::string> owners_;
  Serving out_;
  std::map<std::string, std::string> serving_;                       // aggregate -> node serving it now
  std::map<std::string, double> unserved_since_;                     // aggregate -> when its server stopped
  std::map<std::string, std::pair<double, EventKind>> owner_lost_at_;  // aggregate -> when and how its owner stopped
  std::map<std::string, std::pair<std::string, double>> given_back_;  // aggregate -> the non-owner that stopped, when
  // An aggregate another node served while the node serving it wrote no
  // stop (it hung), by aggregate.
  struct SilentHandover {
    std::string silent, taker;
    double at_s = 0;
  };
  std::map<std::string, SilentHandover> silent_handover_;
  bool ended_ = false;
  double last_s_ = 0;
};

// The timeline of a whole events.jsonl file.
Serving serving_timeline(const std::string& events_path, const std::map<std::string, std::string>& owners);

}  // namespace failsim::runfolder
