// Reply cache lookups and its persistent encoding.
#include "reply_cache.hpp"

#include <algorithm>

#include "bytes.hpp"

namespace failsim::model {

ReplyCache::Verdict ReplyCache::classify(ClientId client, Xid xid) const {
  auto it = entries_.find(client);
  if (it == entries_.end()) return Verdict::new_request;
  if (it->second.replies.contains(xid)) return Verdict::retransmission;
  return xid < it->second.low ? Verdict::stale : Verdict::new_request;
}

std::optional<Result> ReplyCache::lookup(ClientId client, Xid xid) const {
  auto it = entries_.find(client);
  if (it == entries_.end()) return std::nullopt;
  auto r = it->second.replies.find(xid);
  if (r == it->second.replies.end()) return std::nullopt;
  return r->second;
}

void ReplyCache::record(ClientId client, Xid xid, Xid low, Result result) {
  ClientReplies& c = entries_[client];
  c.low = std::max(c.low, low == 0 ? xid : std::min(low, xid));
  c.replies.erase(c.replies.begin(), c.replies.lower_bound(c.low));
  if (xid >= c.low) c.replies[xid] = result;
}

std::vector<std::uint8_t> ReplyCache::encode() const {
  std::vector<std::uint8_t> out;
  ByteWriter w(out);
  w.u32(static_cast<std::uint32_t>(entries_.size()));
  for (const auto& [client, c] : entries_) {
    w.u32(client);
    w.u64(c.low);
    w.u32(static_cast<std::uint32_t>(c.replies.size()));
    for (const auto& [xid, result] : c.replies) {
      w.u64(xid);
      w.u8(static_cast<std::uint8_t>(result));
    }
  }
  return out;
}

std::optional<ReplyCache> ReplyCache::decode(std::span<const std::uint8_t> bytes) {
  ByteReader r(bytes);
  ReplyCache rc;
  std::uint32_t n = r.u32();
  if (n > bytes.size() / 16) return std::nullopt;
  for (std::uint32_t i = 0; i < n && !r.failed(); ++i) {
    ClientReplies& c = rc.entries_[r.u32()];
    c.low = r.u64();
    std::uint32_t m = r.u32();
    if (m > r.remaining() / 9) return std::nullopt;
    for (std::uint32_t j = 0; j < m; ++j) {
      Xid xid = r.u64();
      std::uint8_t res = r.u8();
      if (res > static_cast<std::uint8_t>(Result::enospc)) return std::nullopt;
      c.replies[xid] = static_cast<Result>(res);
    }
  }
  if (r.failed()) return std::nullopt;
  return rc;
}

}  // namespace failsim::model
