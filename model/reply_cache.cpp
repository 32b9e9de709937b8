// Reply cache lookups and its persistent encoding.
#include "reply_cache.hpp"

#include "bytes.hpp"

namespace failsim::model {

ReplyCache::Verdict ReplyCache::classify(ClientId client, Xid xid) const {
  auto it = entries_.find(client);
  if (it == entries_.end() || xid > it->second.xid) return Verdict::new_request;
  return xid == it->second.xid ? Verdict::retransmission : Verdict::stale;
}

std::optional<CachedReply> ReplyCache::lookup(ClientId client) const {
  auto it = entries_.find(client);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

void ReplyCache::record(ClientId client, Xid xid, Result result) { entries_[client] = {xid, result}; }

std::vector<std::uint8_t> ReplyCache::encode() const {
  std::vector<std::uint8_t> out;
  ByteWriter w(out);
  w.u32(static_cast<std::uint32_t>(entries_.size()));
  for (const auto& [client, reply] : entries_) {
    w.u32(client);
    w.u64(reply.xid);
    w.u8(static_cast<std::uint8_t>(reply.result));
  }
  return out;
}

std::optional<ReplyCache> ReplyCache::decode(std::span<const std::uint8_t> bytes) {
  ByteReader r(bytes);
  ReplyCache rc;
  std::uint32_t n = r.u32();
  if (n > bytes.size() / 13) return std::nullopt;
  for (std::uint32_t i = 0; i < n; ++i) {
    ClientId c = r.u32();
    Xid x = r.u64();
    std::uint8_t res = r.u8();
    if (res > static_cast<std::uint8_t>(Result::enospc)) return std::nullopt;
    rc.entries_[c] = {x, static_cast<Result>(res)};
  }
  if (r.failed()) return std::nullopt;
  return rc;
}

}  // namespace failsim::model
