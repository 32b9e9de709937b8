// The names of the server's group states and notices, for events and logs.
#include "server.hpp"

namespace failsim::model {

std::string_view to_string(GroupState s) {
  switch (s) {
    case GroupState::idle: return "idle";
    case GroupState::loading: return "loading";
    case GroupState::recovery_cp: return "recovery_cp";
    case GroupState::serving: return "serving";
    case GroupState::giving_back: return "giving_back";
  }
  return "?";
}

std::string_view to_string(NoticeKind k) {
  switch (k) {
    case NoticeKind::cp_started: return "cp_started";
    case NoticeKind::cp_finished: return "cp_finished";
    case NoticeKind::replayed: return "replayed";
    case NoticeKind::replay_mismatch: return "replay_mismatch";
    case NoticeKind::load_failed: return "load_failed";
    case NoticeKind::takeover_started: return "takeover_started";
    case NoticeKind::takeover_refused: return "takeover_refused";
    case NoticeKind::takeover_disabled: return "takeover_disabled";
    case NoticeKind::takeover_enabled: return "takeover_enabled";
    case NoticeKind::serving: return "serving";
    case NoticeKind::giveback_started: return "giveback_started";
    case NoticeKind::giveback_finished: return "giveback_finished";
    case NoticeKind::log_discarded: return "log_discarded";
    case NoticeKind::log_full: return "log_full";
    case NoticeKind::request_too_large: return "request_too_large";
    case NoticeKind::fenced: return "fenced";
    case NoticeKind::log_lost: return "log_lost";
    case NoticeKind::takeover_requested: return "takeover_requested";
    case NoticeKind::storage_lost: return "storage_lost";
  }
  return "?";
}

}  // namespace failsim::model
