// The server state machine, event by event: when it replies (claims 77, 84),
// that disk output waits for a CP (claim 79), what it does when mirroring is
// lost, when it refuses a takeover, and how the reply cache answers a
// retransmission across a takeover.
#include <gtest/gtest.h>

#include "model/server.hpp"
#include "sim/memory/memory_cluster.hpp"

namespace failsim {
namespace {

using namespace model;

template <class T>
std::vector<T> only(const std::vector<Action>& actions) {
  std::vector<T> out;
  for (const Action& a : actions)
    if (auto* t = std::get_if<T>(&a)) out.push_back(*t);
  return out;
}

bool has_notice(const std::vector<Action>& actions, NoticeKind kind) {
  for (const Notice& n : only<Notice>(actions))
    if (n.kind == kind) return true;
  return false;
}

// One server driven by hand: a fresh aggregate on a memory plex.
struct Harness {
  ServerConfig config;
  Server server;
  sim::memory::MemoryBlockDevice plex{1024, 4096};
  std::vector<std::uint8_t> nvram = std::vector<std::uint8_t>(region_bytes(8192), 0);

  static ServerConfig with_grace(std::uint64_t grace_ns) {
    ServerConfig c = make_config();
    c.mirror_loss_grace_ns = grace_ns;
    return c;
  }
  static ServerConfig make_config() {
    ServerConfig c;
    c.own_aggregates = {"aggr0"};
    c.partner_aggregates = {"aggr1"};
    c.nvram_half_bytes = 8192;
    c.fs = FsConfig{1024, 4096, 256, 1u << 20};
    return c;
  }
  explicit Harness(std::uint64_t grace_ns = 0) : Harness(with_grace(grace_ns)) {}
  explicit Harness(ServerConfig c) : config(std::move(c)), server(config) {
    // Format: reservation, the first CP, the log reset; all completed.
    std::vector<Action> a = feed(Boot{BootMode::format});
    a = feed(ReservationTaken{"aggr0", true});
    complete_all(a);
    // The partner confirms our mirror is in sync.
    feed(PartnerMessage{PartnerMessageKind::mirror_in_sync});
  }
  std::vector<Action> feed(const Event& e) {
    std::vector<Action> out;
    server.handle(e, out);
    for (const ArmTimer& t : only<ArmTimer>(out)) cp_timer = t.timer;
    return out;
  }
  Token cp_timer = 0;  // the CP timer armed last
  // Completes every I/O among `actions` (and what those lead to).
  std::vector<Action> complete_all(std::vector<Action> actions) {
    std::vector<Action> seen;
    while (!actions.empty()) {
      std::vector<Action> next;
      for (Action& a : actions) {
        std::vector<Action> more;
        if (auto* w = std::get_if<WriteNvram>(&a)) {
          std::copy(w->bytes.begin(), w->bytes.end(), nvram.begin() + w->offset);
          more = feed(NvramWritten{w->token});
        } else if (auto* m = std::get_if<MirrorWrite>(&a)) {
          more = feed(MirrorWritten{m->token, true});
        } else if (auto* b = std::get_if<WriteBlocks>(&a)) {
          for (const auto& blk : b->blocks) plex.write(blk.bno, blk.bytes);
          more = feed(BlocksWritten{b->token, true});
        }
        next.insert(next.end(), more.begin(), more.end());
        seen.push_back(std::move(a));
      }
      actions = std::move(next);
    }
    return seen;
  }
};

Change append(Xid xid, std::string data) {
  Change c{OpType::append, 7, xid, "/f", {}, 0, 0, 0, std::move(data)};
  return c;
}

TEST(Server, RepliesOnlyWhenTheEntryIsInLocalNvramAndInThePartnersMirror) {
  Harness h;
  auto a = h.feed(ClientRequest{"aggr0", Change{OpType::create, 7, 1, "/f", {}, 0, 0, 0644, {}}});
  auto local = only<WriteNvram>(a);
  auto mirror = only<MirrorWrite>(a);
  ASSERT_EQ(local.size(), 1u);
  ASSERT_EQ(mirror.size(), 1u);
  EXPECT_EQ(local[0].bytes, mirror[0].bytes);
  EXPECT_EQ(local[0].offset, mirror[0].offset);
  EXPECT_TRUE(only<Reply>(a).empty());
  // Claim 79: nothing goes to disk on the request path.
  EXPECT_TRUE(only<WriteBlocks>(a).empty());
  EXPECT_TRUE(only<Reply>(h.feed(MirrorWritten{mirror[0].token, true})).empty());
  auto r = only<Reply>(h.feed(NvramWritten{local[0].token}));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].xid, 1u);
  EXPECT_EQ(r[0].result, Result::ok);
}

TEST(Server, RepliesInLogOrder) {
  Harness h;
  h.complete_all(h.feed(ClientRequest{"aggr0", Change{OpType::create, 7, 1, "/f", {}, 0, 0, 0644, {}}}));
  auto first = h.feed(ClientRequest{"aggr0", append(2, "x")});
  Change other{OpType::mkdir, 8, 1, "/d", {}, 0, 0, 0755, {}};
  auto second = h.feed(ClientRequest{"aggr0", other});
  // The second entry lands first: it must wait for the first.
  h.feed(MirrorWritten{only<MirrorWrite>(second)[0].token, true});
  EXPECT_TRUE(only<Reply>(h.feed(NvramWritten{only<WriteNvram>(second)[0].token})).empty());
  h.feed(MirrorWritten{only<MirrorWrite>(first)[0].token, true});
  auto replies = only<Reply>(h.feed(NvramWritten{only<WriteNvram>(first)[0].token}));
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0].client, 7u);
  EXPECT_EQ(replies[1].client, 8u);
}

TEST(Server, LosingTheMirrorFallsBackToLocalNvramAndDisablesTakeover) {
  Harness h;
  auto a = h.feed(ClientRequest{"aggr0", Change{OpType::create, 7, 1, "/f", {}, 0, 0, 0644, {}}});
  h.feed(NvramWritten{only<WriteNvram>(a)[0].token});
  auto after = h.feed(MirrorWritten{only<MirrorWrite>(a)[0].token, false});
  EXPECT_TRUE(has_notice(after, NoticeKind::takeover_disabled));
  EXPECT_EQ(only<Reply>(after).size(), 1u);
  EXPECT_FALSE(h.server.own_group().mirrored);
  // New requests are logged locally only until the interconnect is back.
  auto b = h.feed(ClientRequest{"aggr0", append(2, "y")});
  EXPECT_TRUE(only<MirrorWrite>(b).empty());
  auto resync = h.feed(InterconnectUp{});
  ASSERT_EQ(only<ResyncMirror>(resync).size(), 1u);
  auto done = h.feed(MirrorWritten{only<ResyncMirror>(resync)[0].token, true});
  EXPECT_TRUE(has_notice(done, NoticeKind::takeover_enabled));
  EXPECT_EQ(only<SendToPartner>(done).size(), 1u);
}

TEST(Server, LocalOnlyAcksWaitUntilThePartnerKnowsItsMirrorIsIncomplete) {
  Harness h(1'000'000'000);
  auto a = h.feed(ClientRequest{"aggr0", Change{OpType::create, 7, 1, "/f", {}, 0, 0, 0644, {}}});
  h.feed(NvramWritten{only<WriteNvram>(a)[0].token});
  auto after = h.feed(MirrorWritten{only<MirrorWrite>(a)[0].token, false});
  EXPECT_TRUE(only<Reply>(after).empty());
  auto grace = only<ArmTimer>(after);
  ASSERT_EQ(grace.size(), 1u);
  EXPECT_EQ(grace[0].delay_ns, 1'000'000'000u);
  // At the end of the grace period the node first reads its reservation:
  // still its own, so nobody took over from the incomplete mirror.
  auto check = h.feed(TimerFired{grace[0].timer});
  EXPECT_TRUE(only<Reply>(check).empty());
  ASSERT_EQ(only<CheckReservation>(check).size(), 1u);
  EXPECT_EQ(only<Reply>(h.feed(ReservationChecked{"aggr0", true})).size(), 1u);
}

TEST(Server, WithADeadBatteryAChangeWithNoMirrorCopyIsAckedOnlyFromDisk) {
  // The only copy of a change the mirror missed is in NVRAM that a power
  // loss would wipe: it is acked once a CP has put it on disk.
  Harness h;
  h.feed(NvramBattery{false});
  h.feed(InterconnectDown{});
  auto a = h.feed(ClientRequest{"aggr0", Change{OpType::create, 7, 1, "/f", {}, 0, 0, 0644, {}}});
  ASSERT_TRUE(only<MirrorWrite>(a).empty());
  ASSERT_EQ(only<WriteBlocks>(a).size(), 1u);  // the CP that will hold it starts at once
  auto logged = h.feed(NvramWritten{only<WriteNvram>(a)[0].token});
  EXPECT_TRUE(only<Reply>(logged).empty());  // in NVRAM alone: not yet
  // The CP's blocks, then its two superblock copies; the reply comes with the last.
  auto superblock0 = h.feed(BlocksWritten{only<WriteBlocks>(a)[0].token, true});
  EXPECT_TRUE(only<Reply>(superblock0).empty());
  auto superblock1 = h.feed(BlocksWritten{only<WriteBlocks>(superblock0)[0].token, true});
  EXPECT_TRUE(only<Reply>(superblock1).empty());
  auto done = h.feed(BlocksWritten{only<WriteBlocks>(superblock1)[0].token, true});
  EXPECT_EQ(only<Reply>(done).size(), 1u);
}

TEST(Server, LocalOnlyChangesAreNeverAckedOnceThePartnerHoldsTheReservation) {
  // A node that hung while its partner took over wakes up, its mirror writes
  // fail, and after the grace period it finds the reservation taken: it must
  // neither ack the change (the partner never saw it) nor go on serving.
  Harness h(1'000'000'000);
  auto a = h.feed(ClientRequest{"aggr0", Change{OpType::create, 7, 1, "/f", {}, 0, 0, 0644, {}}});
  h.feed(NvramWritten{only<WriteNvram>(a)[0].token});
  auto after = h.feed(MirrorWritten{only<MirrorWrite>(a)[0].token, false});
  auto check = h.feed(TimerFired{only<ArmTimer>(after)[0].timer});
  ASSERT_EQ(only<CheckReservation>(check).size(), 1u);
  auto fenced = h.feed(ReservationChecked{"aggr0", false});
  EXPECT_TRUE(only<Reply>(fenced).empty());
  EXPECT_EQ(only<StopServing>(fenced).size(), 1u);
  EXPECT_EQ(only<Halt>(fenced).size(), 1u);
  EXPECT_TRUE(has_notice(fenced, NoticeKind::fenced));
}

TEST(Server, ACpWhoseWritesAreRejectedStopsServingAndHalts) {
  Harness h;
  auto a = h.feed(ClientRequest{"aggr0", Change{OpType::create, 7, 1, "/f", {}, 0, 0, 0644, {}}});
  h.complete_all(a);
  auto cp = h.feed(TimerFired{h.cp_timer});
  auto blocks = only<WriteBlocks>(cp);
  ASSERT_EQ(blocks.size(), 1u);
  auto out = h.feed(BlocksWritten{blocks[0].token, false, true});
  EXPECT_EQ(only<StopServing>(out).size(), 1u);
  EXPECT_EQ(only<Halt>(out).size(), 1u);
  EXPECT_TRUE(only<SendToPartner>(out).empty());  // fenced off: no takeover asked for
}

TEST(Server, ACpThatReachesNoDiskAsksThePartnerToTakeOver) {
  Harness h;
  auto a = h.feed(ClientRequest{"aggr0", Change{OpType::create, 7, 1, "/f", {}, 0, 0, 0644, {}}});
  h.complete_all(a);
  auto blocks = only<WriteBlocks>(h.feed(TimerFired{h.cp_timer}));
  ASSERT_EQ(blocks.size(), 1u);
  auto out = h.feed(BlocksWritten{blocks[0].token, false, false});
  EXPECT_EQ(only<StopServing>(out).size(), 1u);
  EXPECT_TRUE(only<Halt>(out).empty());
  ASSERT_EQ(only<SendToPartner>(out).size(), 1u);
  EXPECT_EQ(only<SendToPartner>(out)[0].kind, PartnerMessageKind::takeover_request);
  EXPECT_TRUE(h.server.waiting_for_giveback());
}

TEST(Server, ABootWithALostOwnLogAsksThePartnerInsteadOfReplaying) {
  Server s(Harness::make_config());
  std::vector<Action> out;
  Boot boot{BootMode::recover};
  boot.mirror_header = encode_region_header(8192);  // own_header missing: the battery died
  s.handle(boot, out);
  EXPECT_TRUE(only<TakeReservation>(out).empty());
  ASSERT_EQ(only<SendToPartner>(out).size(), 1u);
  EXPECT_EQ(only<SendToPartner>(out)[0].kind, PartnerMessageKind::log_lost);
  EXPECT_TRUE(has_notice(out, NoticeKind::log_lost));
  // With a valid header it recovers from its own log as before.
  Server t(Harness::make_config());
  out.clear();
  boot.own_header = encode_region_header(8192);
  t.handle(boot, out);
  EXPECT_EQ(only<TakeReservation>(out).size(), 1u);
  EXPECT_TRUE(only<SendToPartner>(out).empty());
}

TEST(Server, ALogLostRequestIsMetFromAnIntactMirrorAndRefusedWithoutOne) {
  Harness h;
  auto take = h.feed(PartnerMessage{PartnerMessageKind::log_lost});
  EXPECT_TRUE(has_notice(take, NoticeKind::takeover_started));
  EXPECT_EQ(only<TakeReservation>(take).size(), 1u);

  Server s(Harness::make_config());
  std::vector<Action> out;
  Boot boot{BootMode::recover};
  boot.own_header = encode_region_header(8192);  // its mirror region lost its contents
  s.handle(boot, out);
  out.clear();
  s.handle(PartnerMessage{PartnerMessageKind::log_lost}, out);
  EXPECT_TRUE(only<TakeReservation>(out).empty());
  ASSERT_EQ(only<SendToPartner>(out).size(), 1u);
  EXPECT_EQ(only<SendToPartner>(out)[0].kind, PartnerMessageKind::takeover_refused);
}

TEST(Server, RefusesTakeoverWithAMirrorThatMayBeIncomplete) {
  Harness h;
  h.feed(InterconnectDown{});
  auto a = h.feed(PartnerDead{});
  EXPECT_TRUE(has_notice(a, NoticeKind::takeover_refused));
  EXPECT_TRUE(only<TakeReservation>(a).empty());
  EXPECT_EQ(h.server.takeover_group().state, GroupState::idle);
}

TEST(Server, TakesOverWithAMirrorInSync) {
  Harness h;
  auto a = h.feed(PartnerDead{});
  EXPECT_TRUE(has_notice(a, NoticeKind::takeover_started));
  auto res = only<TakeReservation>(a);
  ASSERT_EQ(res.size(), 1u);
  EXPECT_EQ(res[0].aggregate, "aggr1");
  auto read = only<ReadAggregate>(h.feed(ReservationTaken{"aggr1", true}));
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].region, Region::partner_mirror);
}

TEST(Server, DiskOutputWaitsForTheConsistencyPoint) {
  Harness h;
  for (Xid x = 1; x <= 5; ++x) {
    auto a = h.complete_all(h.feed(ClientRequest{"aggr0", Change{OpType::mkdir, 7, x, "/d" + std::to_string(x), {}, 0, 0, 0755, {}}}));
    EXPECT_TRUE(only<WriteBlocks>(a).empty());
  }
  // The CP timer fires: now the changes go to disk, superblock last.
  ASSERT_NE(h.cp_timer, 0u);
  auto writes = h.complete_all(h.feed(TimerFired{h.cp_timer}));
  auto blocks = only<WriteBlocks>(writes);
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_FALSE(blocks[0].superblock);
  EXPECT_TRUE(blocks[1].superblock && blocks[1].blocks[0].bno == 0);
  EXPECT_TRUE(blocks[2].superblock && blocks[2].blocks[0].bno == 1);
  EXPECT_TRUE(has_notice(writes, NoticeKind::cp_finished));
}

// The conventional alternative to claim 84: the reply waits for the CP that
// puts the change on disk, and changes arriving during a CP wait for the next.
TEST(Server, WithAckAfterDiskTheReplyWaitsForTheCpThatHoldsTheChange) {
  ServerConfig c = Harness::make_config();
  c.ack_after_disk = true;
  Harness h(c);
  auto a = h.feed(ClientRequest{"aggr0", Change{OpType::create, 7, 1, "/f", {}, 0, 0, 0644, {}}});
  auto cp = only<WriteBlocks>(a);
  ASSERT_EQ(cp.size(), 1u) << "a CP starts at once for the waiting change";
  h.feed(MirrorWritten{only<MirrorWrite>(a)[0].token, true});
  EXPECT_TRUE(only<Reply>(h.feed(NvramWritten{only<WriteNvram>(a)[0].token})).empty());
  // A second change during the CP: logged, not written by this CP.
  auto b = h.feed(ClientRequest{"aggr0", Change{OpType::mkdir, 8, 1, "/d", {}, 0, 0, 0755, {}}});
  EXPECT_TRUE(only<WriteBlocks>(b).empty());
  h.feed(MirrorWritten{only<MirrorWrite>(b)[0].token, true});
  EXPECT_TRUE(only<Reply>(h.feed(NvramWritten{only<WriteNvram>(b)[0].token})).empty());
  // The CP's blocks, then its two superblock copies.
  auto sb0 = only<WriteBlocks>(h.feed(BlocksWritten{cp[0].token, true}));
  ASSERT_EQ(sb0.size(), 1u);
  auto sb1 = only<WriteBlocks>(h.feed(BlocksWritten{sb0[0].token, true}));
  ASSERT_EQ(sb1.size(), 1u);
  auto done = h.feed(BlocksWritten{sb1[0].token, true});
  auto first = only<Reply>(done);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].client, 7u);
  // The next CP starts for the second change, whose reply comes after it.
  auto next = only<WriteBlocks>(done);
  ASSERT_EQ(next.size(), 1u);
  auto second = only<Reply>(h.complete_all({next[0]}));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].client, 8u);
}

TEST(Server, ARetransmissionAfterTakeoverIsAnsweredFromTheReplyCacheNotAppliedAgain) {
  sim::memory::MemoryClusterConfig cfg;
  sim::memory::MemoryCluster cl(cfg, 5);
  Change create{OpType::create, 1, 1, "/f", {}, 0, 0, 0644, {}};
  cl.send("aggr0", create);
  cl.run_until_quiet();
  Change add = append(2, "once;");
  add.client = 1;
  cl.send("aggr0", add);
  cl.run_until_quiet();
  ASSERT_EQ(cl.take_replies().size(), 2u);
  cl.crash(0);
  cl.partner_dead(1);
  cl.run_until_quiet();
  ASSERT_EQ(cl.server_of("aggr0"), 1);
  cl.send("aggr0", add);  // the client never saw the reply, say
  cl.run_until_quiet();
  auto replies = cl.take_replies();
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].xid, 2u);
  EXPECT_EQ(replies[0].result, Result::ok);
  EXPECT_EQ(cl.server(1)->filesystem("aggr0")->stat("/f")->contents, "once;");
}

TEST(Server, ATakenOverNodeKeepsItsLogUntilGivebackThenDiscardsIt) {
  sim::memory::MemoryClusterConfig cfg;
  sim::memory::MemoryCluster cl(cfg, 6);
  cl.send("aggr0", Change{OpType::create, 1, 1, "/f", {}, 0, 0, 0644, {}});
  cl.run_until_quiet();
  cl.crash(0);
  cl.partner_dead(1);
  cl.run_until_quiet();
  auto& own = cl.nvram(0, Region::own);
  ASSERT_FALSE(parse_region(own, cfg.nvram_half_bytes).empty());
  cl.boot(0, BootMode::after_takeover);
  cl.run_until_quiet();
  // Kept while the partner holds aggr0: should it give the takeover up
  // before replaying, this is the copy to recover from.
  EXPECT_FALSE(parse_region(own, cfg.nvram_half_bytes).empty());
  cl.request_giveback(1);
  cl.run_until_quiet();
  EXPECT_EQ(cl.server_of("aggr0"), 0);
  // The partner replayed it and gave aggr0 back: stale, discarded.
  EXPECT_TRUE(parse_region(own, cfg.nvram_half_bytes).empty());
  EXPECT_TRUE(cl.server(0)->filesystem("aggr0")->stat("/f").has_value());
}

}  // namespace
}  // namespace failsim
