// Reply cache: per client, the last request id (xid) and its result, so that a
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

struct CachedReply {
  Xid xid = 0;
  Result result = Result::ok;
  friend bool operator==(const CachedReply&, const CachedReply&) = default;
};

class ReplyCache {
 public:
  enum class Verdict { new_request, retransmission, stale };
  // new_request: xid is newer than the cached one (or the client is unknown);
  // retransmission: the same xid (answer with lookup()); stale: an older xid.
  Verdict classify(ClientId client, Xid xid) const;
  std::optional<CachedReply> lookup(ClientId client) const;
  void record(ClientId client, Xid xid, Result result);

  std::vector<std::uint8_t> encode() const;
  static std::optional<ReplyCache> decode(std::span<const std::uint8_t> bytes);
  std::size_t size() const { return entries_.size(); }
  const std::map<ClientId, CachedReply>& entries() const { return entries_; }
  friend bool operator==(const ReplyCache&, const ReplyCache&) = default;

 private:
  std::map<ClientId, CachedReply> entries_;
};

}  // namespace failsim::model
