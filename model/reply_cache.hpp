// Reply cache: per client, the replies to the requests it may still
// retransmit - every xid at or above the lowest one the client says it still
// waits for (one, for a client with one request outstanding) - so that a
// retransmission of an applied request is answered, not applied again. It is
// rebuilt by log replay and persisted by consistency points.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "change.hpp"
#include "result.hpp"

namespace failsim::model {

struct ClientReplies {
  Xid low = 0;                      // xids below are answered and forgotten
  std::map<Xid, Result> replies;    // xid -> result, for xids >= low
  friend bool operator==(const ClientReplies&, const ClientReplies&) = default;
};

class ReplyCache {
 public:
  enum class Verdict { new_request, retransmission, stale };
  // retransmission: the xid has a reply (answer with lookup()); stale: below
  // what the client still waits for (an old duplicate); new_request: else.
  Verdict classify(ClientId client, Xid xid) const;
  std::optional<Result> lookup(ClientId client, Xid xid) const;
  // `low`: the lowest xid the client still waits for (0: this xid).
  void record(ClientId client, Xid xid, Xid low, Result result);

  std::vector<std::uint8_t> encode() const;
  static std::optional<ReplyCache> decode(std::span<const std::uint8_t> bytes);
  std::size_t size() const { return entries_.size(); }
  const std::map<ClientId, ClientReplies>& entries() const { return entries_; }
  friend bool operator==(const ReplyCache&, const ReplyCache&) = default;

 private:
  std::map<ClientId, ClientReplies> entries_;
};

}  // namespace failsim::model
