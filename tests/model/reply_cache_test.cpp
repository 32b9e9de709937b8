// The reply cache: a retransmission is answered from it, an old duplicate is
// dropped, a client with several requests outstanding keeps a reply for
// each, and the cache survives its encoding.
#include <gtest/gtest.h>

#include "model/reply_cache.hpp"

namespace failsim {
namespace {

using namespace model;
using V = ReplyCache::Verdict;

TEST(ReplyCache, OneOutstandingRequestPerClient) {
  ReplyCache rc;
  EXPECT_EQ(rc.classify(1, 5), V::new_request);
  rc.record(1, 5, 0, Result::eexist);
  EXPECT_EQ(rc.classify(1, 5), V::retransmission);
  EXPECT_EQ(rc.lookup(1, 5), Result::eexist);
  rc.record(1, 6, 0, Result::ok);
  EXPECT_EQ(rc.classify(1, 5), V::stale);  // answered before 6 was sent
  EXPECT_EQ(rc.classify(1, 7), V::new_request);
  EXPECT_EQ(rc.classify(2, 1), V::new_request);
}

TEST(ReplyCache, SeveralOutstandingRequestsKeepTheirReplies) {
  ReplyCache rc;
  // xids 10..12 outstanding; 12 and 11 arrive first, 10 was lost.
  rc.record(1, 12, 10, Result::ok);
  rc.record(1, 11, 10, Result::enoent);
  EXPECT_EQ(rc.classify(1, 10), V::new_request);  // lost, not stale
  EXPECT_EQ(rc.classify(1, 11), V::retransmission);
  rc.record(1, 10, 10, Result::ok);
  // The client got every reply and moved on to 13: the rest is forgotten.
  rc.record(1, 13, 13, Result::ok);
  EXPECT_EQ(rc.classify(1, 12), V::stale);
  EXPECT_EQ(rc.entries().at(1).replies.size(), 1u);
}

TEST(ReplyCache, EncodingRoundTrips) {
  ReplyCache rc;
  rc.record(1, 12, 10, Result::ok);
  rc.record(1, 11, 10, Result::enotempty);
  rc.record(7, 3, 0, Result::efbig);
  auto decoded = ReplyCache::decode(rc.encode());
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, rc);
  auto bytes = rc.encode();
  bytes.resize(bytes.size() - 1);
  EXPECT_FALSE(ReplyCache::decode(bytes));
}

}  // namespace
}  // namespace failsim
