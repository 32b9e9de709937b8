// The serving timeline on hand-made event sequences: a takeover, a
// giveback, an outage, an aggregate unserved at the end.
#include <gtest/gtest.h>

#include "runfolder/serving_timeline.hpp"

namespace failsim::runfolder {
namespace {

Event serve(double t, const std::string& node, const std::string& aggr) {
  return {t, node, EventKind::serve, OnAggregate{aggr}};
}
Event stop(double t, const std::string& node, const std::string& aggr) {
  return {t, node, EventKind::stop_serving, OnAggregate{aggr}};
}
Event crash(double t, const std::string& node) { return {t, node, EventKind::crash, Crash{"fault"}}; }
Event end(double t) { return {t, "", EventKind::end, End{}}; }
Event resume(double t, const std::string& node, double hung_s) { return {t, node, EventKind::resume, Resume{hung_s}}; }

Serving run(const std::vector<Event>& events) {
  ServingTimeline timeline({{"a0", "n0"}, {"a1", "n1"}});
  for (const Event& e : events) timeline.observe(e);
  return timeline.finish();
}

TEST(ServingTimeline, TakeoverThenGiveback) {
  const Serving s = run({serve(0, "n0", "a0"), serve(0, "n1", "a1"), crash(1, "n0"), serve(3, "n1", "a0"),
                         stop(8, "n1", "a0"), serve(8.5, "n0", "a0"), end(10)});
  ASSERT_EQ(s.takeovers.size(), 1u);
  EXPECT_EQ(s.takeovers[0].aggregate, "a0");
  EXPECT_EQ(s.takeovers[0].owner, "n0");
  EXPECT_EQ(s.takeovers[0].by, "n1");
  EXPECT_DOUBLE_EQ(s.takeovers[0].duration_s(), 2);
  EXPECT_EQ(s.takeovers[0].stopped_by, EventKind::crash);
  ASSERT_EQ(s.givebacks.size(), 1u);
  EXPECT_EQ(s.givebacks[0].from, "n1");
  EXPECT_EQ(s.givebacks[0].owner, "n0");
  EXPECT_DOUBLE_EQ(s.givebacks[0].duration_s(), 0.5);
  ASSERT_EQ(s.outages.size(), 2u);
  EXPECT_DOUBLE_EQ(s.outages[0].duration_s(), 2);
  EXPECT_DOUBLE_EQ(s.outages[1].duration_s(), 0.5);
  EXPECT_TRUE(s.served_by_non_owner);
  EXPECT_EQ(s.server_at_end.at("a0"), "n0");
  EXPECT_EQ(s.server_at_end.at("a1"), "n1");
  EXPECT_DOUBLE_EQ(s.end_s, 10);
}

TEST(ServingTimeline, AnOwnerThatStopsServingIsTakenOverFromThen) {
  const Serving s = run({serve(0, "n0", "a0"), stop(2, "n0", "a0"), serve(2.25, "n1", "a0"), end(3)});
  ASSERT_EQ(s.takeovers.size(), 1u);
  EXPECT_DOUBLE_EQ(s.takeovers[0].from_s, 2);
  EXPECT_DOUBLE_EQ(s.takeovers[0].duration_s(), 0.25);
  EXPECT_EQ(s.takeovers[0].stopped_by, EventKind::stop_serving);
}

// A hung owner writes nothing; its partner takes over; it resumes, finds
// itself fenced, stops and halts. The takeover counts from the hang's start.
TEST(ServingTimeline, AHungOwnerIsTakenOverFromTheStartOfItsHang) {
  const Serving s = run({serve(0, "n0", "a0"), serve(0, "n1", "a1"), serve(3.1, "n1", "a0"), resume(5, "n0", 3),
                         stop(5, "n0", "a0"), crash(5, "n0"), end(10)});
  ASSERT_EQ(s.takeovers.size(), 1u);
  EXPECT_EQ(s.takeovers[0].by, "n1");
  EXPECT_DOUBLE_EQ(s.takeovers[0].from_s, 2);
  EXPECT_DOUBLE_EQ(s.takeovers[0].to_s, 3.1);
  EXPECT_EQ(s.takeovers[0].stopped_by, EventKind::resume);
  ASSERT_EQ(s.outages.size(), 1u);
  EXPECT_DOUBLE_EQ(s.outages[0].from_s, 2);
  EXPECT_DOUBLE_EQ(s.outages[0].to_s, 3.1);
  EXPECT_EQ(s.server_at_end.at("a0"), "n1");
}

// A hang shorter than failure detection: nobody takes over, the node
// answers again, and the hang was an outage of what it served.
TEST(ServingTimeline, AShortHangIsAnOutageOfWhatTheNodeServes) {
  const Serving s = run({serve(0, "n0", "a0"), serve(0, "n1", "a1"), resume(2.5, "n0", 0.5), end(10)});
  EXPECT_TRUE(s.takeovers.empty());
  ASSERT_EQ(s.outages.size(), 1u);
  EXPECT_EQ(s.outages[0].aggregate, "a0");
  EXPECT_DOUBLE_EQ(s.outages[0].from_s, 2);
  EXPECT_DOUBLE_EQ(s.outages[0].to_s, 2.5);
  EXPECT_EQ(s.server_at_end.at("a0"), "n0");
}

TEST(ServingTimeline, AnOwnersRestartIsNoTakeover) {
  const Serving s = run({serve(0, "n0", "a0"), crash(1, "n0"), serve(4, "n0", "a0"), end(5)});
  EXPECT_TRUE(s.takeovers.empty());
  EXPECT_TRUE(s.givebacks.empty());
  ASSERT_EQ(s.outages.size(), 1u);
  EXPECT_DOUBLE_EQ(s.outages[0].from_s, 1);
  EXPECT_DOUBLE_EQ(s.outages[0].to_s, 4);
  EXPECT_FALSE(s.served_by_non_owner);
}

TEST(ServingTimeline, UnservedAtTheEndIsAnOutageUntilTheEnd) {
  // After the end event nothing changes the end state.
  const Serving s = run({serve(0, "n0", "a0"), serve(0, "n1", "a1"), crash(2, "n1"), end(6), serve(7, "n0", "a1")});
  EXPECT_FALSE(s.server_at_end.contains("a1"));
  EXPECT_EQ(s.server_at_end.at("a0"), "n0");
  ASSERT_EQ(s.outages.size(), 1u);
  EXPECT_EQ(s.outages[0].aggregate, "a1");
  EXPECT_DOUBLE_EQ(s.outages[0].to_s, 6);
  EXPECT_TRUE(s.takeovers.empty());
}

TEST(ServingTimeline, WithoutAnEndEventTheLastEventEndsIt) {
  const Serving s = run({serve(0, "n0", "a0"), crash(3, "n0")});
  EXPECT_DOUBLE_EQ(s.end_s, 3);
  EXPECT_TRUE(s.server_at_end.empty());
}

}  // namespace
}  // namespace failsim::runfolder
