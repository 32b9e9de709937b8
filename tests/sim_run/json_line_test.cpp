// History lines and sample events written as text (sim/run/json_line.hpp)
// are the bytes nlohmann::json dumps for the same values - the recorder's
// lines before they were written directly - for any times, ids, and strings
// with quotes, escapes, control characters and UTF-8.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include <nlohmann/json.hpp>

#include "sim/run/json_line.hpp"
#include "sim/run/recorder.hpp"

namespace failsim::sim {
namespace {

using nlohmann::json;

rc::Gen<std::string> text_gen() {
  return rc::gen::oneOf(rc::gen::element<std::string>("", "aggr0", "/c1/d0/f2", "<c3x17>abcxyz", "a\"b", "back\\slash",
                                                      "tab\there", "nl\nx", std::string("nul\0x", 5), "\x1f\x7f",
                                                      "caf\xc3\xa9", "\xe2\x82\xac uro", "/"),
                        rc::gen::container<std::string>(rc::gen::inRange<char>(0x20, 0x7f)));
}

rc::Gen<double> time_gen() {
  return rc::gen::oneOf(
      rc::gen::element(0.0, -0.0, 0.1, 0.30000000000000004, 1e-05, 1e22, 5e-324, 123456.789,
                       std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN(),
                       std::numeric_limits<double>::max()),
      rc::gen::map(rc::gen::inRange(0, 1 << 30), [](int k) { return k / 3.0e6; }), rc::gen::arbitrary<double>());
}

rc::Gen<model::Change> change_gen() {
  return rc::gen::exec([] {
    model::Change c;
    c.type = static_cast<model::OpType>(*rc::gen::inRange(0, model::op_type_count));
    c.path = *text_gen();
    c.to = *text_gen();
    c.data = *text_gen();
    c.mode = *rc::gen::arbitrary<std::uint32_t>();
    c.offset = *rc::gen::arbitrary<std::uint64_t>();
    c.size = *rc::gen::arbitrary<std::uint64_t>();
    return c;
  });
}

// The same text, or both throw (nlohmann::json refuses invalid UTF-8).
template <class Reference, class Fast>
void same_text(Reference reference, Fast fast) {
  std::string want, got;
  bool want_throws = false, got_throws = false;
  try {
    want = reference();
  } catch (const json::exception&) {
    want_throws = true;
  }
  try {
    fast(got);
  } catch (const json::exception&) {
    got_throws = true;
  }
  RC_ASSERT(want_throws == got_throws);
  if (!want_throws) RC_ASSERT(got == want);
}

RC_GTEST_PROP(JsonLine, InvokeLinesAreNlohmannsBytes, ()) {
  const double t = *time_gen();
  const auto client = *rc::gen::arbitrary<model::ClientId>();
  const auto xid = *rc::gen::arbitrary<model::Xid>();
  const std::string aggregate = *text_gen();
  const model::Change c = *change_gen();
  same_text(
      [&] {
        return json{{"time_s", t}, {"client", client}, {"xid", xid}, {"type", "invoke"}, {"aggregate", aggregate},
                    {"op", op_to_json(c)}}
            .dump();
      },
      [&](std::string& out) { json_line::append_invoke(out, t, client, xid, aggregate, c); });
}

RC_GTEST_PROP(JsonLine, CompletionLinesAreNlohmannsBytes, ()) {
  const double t = *time_gen();
  const auto client = *rc::gen::arbitrary<model::ClientId>();
  const auto xid = *rc::gen::arbitrary<model::Xid>();
  const auto result = static_cast<model::Result>(*rc::gen::inRange(0, 10));
  same_text(
      [&] {
        return json{{"time_s", t}, {"client", client}, {"xid", xid}, {"type", "ok"}, {"result", model::to_string(result)}}
            .dump();
      },
      [&](std::string& out) { json_line::append_ok(out, t, client, xid, result); });
  same_text([&] { return json{{"time_s", t}, {"client", client}, {"xid", xid}, {"type", "info"}}.dump(); },
            [&](std::string& out) { json_line::append_info(out, t, client, xid); });
}

// A node's sample event, as node_samples.cpp built it with nlohmann::json
// and the recorder added the event's own members.
RC_GTEST_PROP(JsonLine, SampleEventsAreNlohmannsBytes, ()) {
  json_line::Sample s;
  s.time_s = *time_gen();
  const std::string node = *text_gen(), at = *rc::gen::element<std::string>("timer", "cp_started", "cp_finished");
  s.node = node;
  s.at = at;
  s.own_log_bytes = *rc::gen::arbitrary<std::uint64_t>();
  s.takeover_log_bytes = *rc::gen::arbitrary<std::uint64_t>();
  s.log_half_bytes = *rc::gen::arbitrary<std::uint64_t>();
  s.nvram_write_bytes = *rc::gen::arbitrary<std::uint64_t>();
  s.mirror_write_bytes = *rc::gen::arbitrary<std::uint64_t>();
  s.nvram_busy_s = *time_gen();
  s.mirror_busy_s = *time_gen();
  std::map<std::string, double> busy;
  std::map<std::string, std::uint64_t> writes;
  for (int i = *rc::gen::inRange(0, 6); i > 0; --i) {
    const std::string disk = *text_gen();
    busy[disk] = *time_gen();
    writes[disk] = *rc::gen::arbitrary<std::uint64_t>();
  }
  s.disk_busy_s = &busy;
  s.disk_writes = &writes;
  same_text(
      [&] {
        json disk_busy_s = json::object(), disk_writes = json::object();
        for (const auto& [disk, v] : busy) disk_busy_s[disk] = v;
        for (const auto& [disk, n] : writes) disk_writes[disk] = n;
        const json fields{{"at", at},
                          {"own_log_bytes", s.own_log_bytes},
                          {"takeover_log_bytes", s.takeover_log_bytes},
                          {"log_half_bytes", s.log_half_bytes},
                          {"nvram_write_bytes", s.nvram_write_bytes},
                          {"nvram_busy_s", s.nvram_busy_s},
                          {"mirror_write_bytes", s.mirror_write_bytes},
                          {"mirror_busy_s", s.mirror_busy_s},
                          {"disk_busy_s", disk_busy_s},
                          {"disk_writes", disk_writes}};
        json e{{"time_s", s.time_s}, {"node", node}, {"kind", "sample"}};
        for (auto& [k, v] : fields.items()) e[k] = v;
        return e.dump();
      },
      [&](std::string& out) { json_line::append_sample(out, s); });
}

TEST(JsonLine, NumbersAsNlohmannWritesThem) {
  for (double x : {0.0, -0.0, 1.0, 100.0, 0.5002352330000002, 1e-05, 1.5e300, 14.200005063999965}) {
    std::string out;
    json_line::append_double(out, x);
    EXPECT_EQ(out, json(x).dump());
  }
}

}  // namespace
}  // namespace failsim::sim
