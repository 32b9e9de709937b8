// Reading history.jsonl (checker/history.hpp): the streaming reader with its
// canonical-form scanner gives, for any file, exactly what the checker's
// original reader (nlohmann::json, a line at a time) gave - the same changes
// and outcomes, or the same error naming the same line. The scanner takes
// the simulator's lines itself, and the line reader splits lines as
// std::getline does, across buffer boundaries too.
#include <gtest/gtest.h>
#include <rapidcheck.h>
#include <rapidcheck/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>
#include <fstream>

#include <nlohmann/json.hpp>

#include "checker/history.hpp"
#include "runfolder/history_line.hpp"
#include "runfolder/line_reader.hpp"

namespace failsim::checker {
namespace {

using runfolder::clip;
using runfolder::HistoryLine;
using runfolder::LineReader;
using runfolder::parse_history_line;
using runfolder::scan_history_line;

namespace fs = std::filesystem;
using nlohmann::json;

// The reference: every line through the nlohmann::json path
// (parse_history_line, with its field checks), then the rules of a history
// written out plainly - time order from 0, an xid invoked once per client,
// completed at most once, after its invocation - with a map per line.
std::map<model::ClientId, std::vector<ClientOp>> reference_read(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw HistoryError(path + ": cannot read");
  std::map<model::ClientId, std::vector<ClientOp>> out;
  std::map<std::pair<model::ClientId, model::Xid>, std::size_t> index;
  std::size_t line_no = 0;
  double last_s = 0;
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    try {
      HistoryLine h;
      parse_history_line(line, [&](model::ClientId c, model::Xid x) { return index.contains({c, x}); }, h);
      if (!(h.time_s >= last_s))  // a completion never invoked: parse_history_line threw already
        throw HistoryError("time_s: " + std::to_string(h.time_s) + " is before the previous line's " +
                           std::to_string(last_s) + " (expected time order, from 0)");
      last_s = h.time_s;
      auto& ops = out[h.client];
      if (h.kind == HistoryLine::Kind::invoke) {
        if (!index.emplace(std::pair{h.client, h.xid}, ops.size()).second)
          throw HistoryError("client " + std::to_string(h.client) + " invokes xid " + std::to_string(h.xid) + " twice");
        model::Change c;
        c.type = h.type;
        c.client = h.client;
        c.xid = h.xid;
        c.path = h.path;
        c.to = h.to;
        c.data = h.data;
        c.offset = h.offset;
        c.size = h.size;
        c.mode = h.mode;
        ops.push_back({c, std::string(h.aggregate), h.time_s, std::nullopt, std::nullopt});
        continue;
      }
      ClientOp& op = ops[index.at({h.client, h.xid})];
      if (op.completed_s)
        throw HistoryError("client " + std::to_string(h.client) + " xid " + std::to_string(h.xid) +
                           " completed twice (first at " + std::to_string(*op.completed_s) + " s)");
      op.completed_s = h.time_s;
      if (h.kind == HistoryLine::Kind::ok) op.result = h.result;
    } catch (const std::exception& err) {
      throw HistoryError(path + ":" + std::to_string(line_no) + ": " + clip(err.what(), 300));
    }
  }
  return out;
}

struct TempFile {
  fs::path path = fs::temp_directory_path() / ("failsim-history-test-" + std::to_string(::getpid()) + ".jsonl");
  explicit TempFile(const std::string& text) { std::ofstream(path, std::ios::binary) << text; }
  ~TempFile() { fs::remove(path); }
};

// Either both readers fail with the same message, or both give the same ops.
std::string compare_readers(const std::string& text) {
  TempFile f(text);
  std::string ref_error, new_error;
  std::map<model::ClientId, std::vector<ClientOp>> ref, got;
  try {
    ref = reference_read(f.path.string());
  } catch (const HistoryError& e) {
    ref_error = e.what();
  }
  try {
    got = read_history(f.path.string());
  } catch (const HistoryError& e) {
    new_error = e.what();
  }
  if (ref_error != new_error) return "errors differ: '" + ref_error + "' vs '" + new_error + "'";
  if (!ref_error.empty()) return "";
  if (ref.size() != got.size()) return "client counts differ";
  for (const auto& [client, ops] : ref) {
    const auto& other = got.at(client);
    if (ops.size() != other.size()) return "op counts differ for client " + std::to_string(client);
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const ClientOp &a = ops[i], &b = other[i];
      if (!(a.change == b.change) || a.aggregate != b.aggregate || a.result != b.result ||
          a.completed_s.has_value() != b.completed_s.has_value() ||
          std::signbit(a.invoked_s) != std::signbit(b.invoked_s) || !(a.invoked_s == b.invoked_s) ||
          (a.completed_s && (*a.completed_s != *b.completed_s || std::signbit(*a.completed_s) != std::signbit(*b.completed_s))))
        return "op " + std::to_string(i) + " of client " + std::to_string(client) + " differs";
    }
  }
  return "";
}

// ---- random lines: canonical ones, and every way to stray from the form ----

std::vector<std::string> shuffled(std::vector<std::string> v) {
  for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[*rc::gen::inRange<std::size_t>(0, i)]);
  return v;
}

std::string quoted(const std::string& s, bool escape) {
  if (!escape || s.empty()) return "\"" + s + "\"";
  // The same text with its first character as a \u escape.
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(s[0]));
  return "\"" + std::string(buf) + s.substr(1) + "\"";
}

// A member's value: canonical, or (odd) one of the ways to stray - those
// the reference reads (other numbers for the same value, escapes, other
// fields) and, unless `readable`, those it refuses.
std::string member_text(const std::string& key, bool odd, bool readable, double now = 0) {
  auto pick = [&](std::vector<std::string> fine, std::vector<std::string> fatal) {
    if (!readable) fine.insert(fine.end(), fatal.begin(), fatal.end());
    return fine.empty() ? std::string() : fine[*rc::gen::inRange<std::size_t>(0, fine.size())];
  };
  if (key == "client")
    return odd ? pick({}, {"2.0", "-1", "4294967297", "1e0", "\"2\"", "null", "02"}) : std::to_string(*rc::gen::inRange(1, 4));
  if (key == "xid")
    return odd ? pick({}, {"18446744073709551616", "3.5", "-2", "1E0", "true"}) : std::to_string(*rc::gen::inRange(1, 5));
  if (key == "time_s")
    return odd ? pick({"-0", "-0.0", "1e-05", "1E3", "12345678901234567890123", "-9223372036854775809", "1.5e+2",
                       "0.1000000000000000055511", "-7", "18446744073709551616", "0.30000000000000004"},
                      {"01", "1.", ".5", "\"1\"", "-"})
               : json(now).dump();
  if (key == "aggregate")
    return odd ? pick({"\"a\\\"b\"", "\"agg\xc3\xa9\"", "\"a\\u0041\""}, {"3", "\"bad\xff\""}) : "\"aggr0\"";
  if (key == "result") {
    const std::string r = *rc::gen::element<std::string>("OK", "ENOENT", "EEXIST");
    return odd ? pick({quoted(r, true)}, {"\"EWHAT\"", "5"}) : quoted(r, false);
  }
  if (key == "f") {
    const std::string f = *rc::gen::element<std::string>("create", "mkdir", "write", "append", "truncate", "rename",
                                                         "unlink", "rmdir", "setattr");
    return odd ? pick({quoted(f, true)}, {"\"frobnicate\""}) : quoted(f, false);
  }
  if (key == "path" || key == "from") return quoted(*rc::gen::element<std::string>("/c1/a", "/c1/b"), odd);
  if (key == "to") return odd ? pick({quoted("/c1/e", true)}, {"7"}) : quoted("/c1/d", false);
  if (key == "mode") return odd ? pick({"4294967295"}, {"4294967296", "4.2e2", "-1", "null"}) : "420";
  if (key == "offset") return odd ? pick({"0"}, {"1e1", "-0", "\"x\""}) : "17";
  if (key == "size") return odd ? pick({"0"}, {"5.0", "18446744073709551616", "[]"}) : "18446744073709551615";
  if (key == "data")
    return odd ? pick({"\"tab\\there\"", "\"\\u00e9t\\u00e9\""}, {"12", "\"\xe9\"", "\"raw\ttab\""})
               : *rc::gen::element<std::string>("\"<c1x3>abc\"", "\"\"");
  return "1";
}

// An object from members; `stray` picks at most one way for the object
// itself to leave the form: keys repeated or unknown, in another order,
// other spacing (all read by the reference), or (unless `readable`) a key
// missing or text after the object.
std::string object_text(std::vector<std::pair<std::string, std::string>> members, int stray, bool readable) {
  if (stray == 0 && !members.empty()) members.push_back(members[*rc::gen::inRange<std::size_t>(0, members.size())]);
  if (stray == 1) members.push_back({"unknown", *rc::gen::element<std::string>("true", "[1,{\"a\":2}]", "\"x\"")});
  if (stray == 4 && !readable && !members.empty())
    members.erase(members.begin() + *rc::gen::inRange<std::size_t>(0, members.size()));
  std::vector<std::string> texts;
  for (const auto& [k, v] : members) texts.push_back("\"" + k + "\":" + v);
  std::sort(texts.begin(), texts.end());  // the simulator's order: keys sorted
  if (stray == 2) texts = shuffled(texts);
  const std::string ws = stray == 3 ? *rc::gen::element<std::string>(" ", "\t", " \r") : "";
  std::string s = ws + "{" + ws;
  for (std::size_t i = 0; i < texts.size(); ++i) s += (i ? "," + ws : "") + texts[i];
  return s + ws + "}" + (stray == 5 && !readable ? *rc::gen::element<std::string>(" x", "}", ",") : "");
}

// A line: usually canonical, else with exactly one field or one structural
// thing out of the form. Completions mostly name a change invoked before.
std::string line_text(std::vector<std::pair<int, int>>& invoked, std::set<std::pair<int, int>>& done, bool readable,
                      double& now) {
  now += *rc::gen::inRange(0, 100) / 64.0;  // canonical times rise, as the simulator writes them
  if (!readable && *rc::gen::inRange(0, 20) == 0)
    return *rc::gen::element<std::string>("", "{", "[]", "{}", "null", "{\"client\":1}", "{\"op\":{}}",
                                          "\xef\xbb\xbf{\"client\":1,\"xid\":1,\"type\":\"info\",\"time_s\":1}");
  std::string type = invoked.empty() ? "invoke"
                                     : *rc::gen::element<std::string>("invoke", "invoke", "ok", "info", "bogus");
  if (readable && type == "bogus") type = "info";
  // Readable: each xid invoked once per client, each completed once.
  std::vector<std::pair<int, int>> open;
  for (const auto& p : invoked)
    if (!done.contains(p)) open.push_back(p);
  if (readable && type != "invoke" && open.empty()) type = "invoke";
  int client = *rc::gen::inRange(1, 4), xid = *rc::gen::inRange(1, 5);
  if (type == "invoke" && (readable || *rc::gen::inRange(0, 4) != 0))
    xid = static_cast<int>(std::count_if(invoked.begin(), invoked.end(), [&](const auto& p) { return p.first == client; })) + 1;
  if (type != "invoke" && readable) std::tie(client, xid) = open[*rc::gen::inRange<std::size_t>(0, open.size())];
  if (type != "invoke" && !readable && *rc::gen::inRange(0, 10) != 0)
    std::tie(client, xid) = invoked[*rc::gen::inRange<std::size_t>(0, invoked.size())];
  if (type != "invoke") done.insert({client, xid});
  std::vector<std::string> keys = {"client", "xid", "time_s", "type"};
  if (type == "invoke") keys.push_back("aggregate");
  if (type == "ok") keys.push_back("result");
  std::vector<std::string> op_keys = {"f", "path", "from", "to"};
  for (const char* k : {"mode", "offset", "size", "data"})
    if (*rc::gen::inRange(0, 2) == 0) op_keys.push_back(k);
  // Which one thing strays: a field of the line, a field of the op, the
  // line's structure, the op's structure, or nothing.
  const int where = *rc::gen::inRange(0, 6);
  const std::size_t odd_field = where == 0 ? *rc::gen::inRange<std::size_t>(0, keys.size()) : SIZE_MAX;
  const std::size_t odd_op_field = where == 1 ? *rc::gen::inRange<std::size_t>(0, op_keys.size()) : SIZE_MAX;
  const int line_stray = where == 2 ? *rc::gen::inRange(0, 6) : -1;
  const int op_stray = where == 3 ? *rc::gen::inRange(0, 6) : -1;
  std::vector<std::pair<std::string, std::string>> members, op;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const bool odd = i == odd_field && keys[i] != "client" && keys[i] != "xid" && keys[i] != "type";
    std::string value = member_text(keys[i], odd, readable, now);
    if (keys[i] == "type") value = quoted(type, i == odd_field);
    if (keys[i] == "client") value = i == odd_field && !readable ? member_text("client", true, false) : std::to_string(client);
    if (keys[i] == "xid") value = i == odd_field && !readable ? member_text("xid", true, false) : std::to_string(xid);
    members.push_back({keys[i], value});
  }
  for (std::size_t i = 0; i < op_keys.size(); ++i)
    op.push_back({op_keys[i], member_text(op_keys[i], i == odd_op_field, readable)});
  if (type == "invoke" || *rc::gen::inRange(0, 10) == 0) members.push_back({"op", object_text(op, op_stray, readable)});
  if (type == "invoke") invoked.push_back({client, xid});
  return object_text(members, line_stray, readable);
}

std::string history_text(bool readable, int max_lines) {
  const int lines = *rc::gen::inRange(0, max_lines);
  std::vector<std::pair<int, int>> invoked;
  std::set<std::pair<int, int>> done;
  std::string text;
  double now = 0;
  for (int i = 0; i < lines; ++i) text += line_text(invoked, done, readable, now) + "\n";
  if (!text.empty() && *rc::gen::inRange(0, 3) == 0) text.pop_back();  // no newline at the end
  return text;
}

// Lines the reference reads, in every form it reads them: the same values.
RC_GTEST_PROP(HistoryReading, ReadableFilesGiveTheReferenceValues, ()) {
  const std::string text = history_text(true, 60);
  const std::string difference = compare_readers(text);
  RC_ASSERT(difference == "");
}

// Any lines: the same values, or the same error on the same line.
RC_GTEST_PROP(HistoryReading, AnyFileReadsAsTheReferenceReaderReadsIt, ()) {
  const std::string text = history_text(false, 8);
  const std::string difference = compare_readers(text);
  RC_ASSERT(difference == "");
}

// A history the simulator writes (keys sorted, nlohmann::json's dump)
// stays on the fast path, and reads as the reference reads it.
TEST(HistoryReading, TheSimulatorsLinesAreScannedWithoutNlohmann) {
  std::vector<json> lines = {
      {{"time_s", 0.0}, {"client", 1}, {"xid", 1}, {"type", "invoke"}, {"aggregate", "aggr0"},
       {"op", {{"f", "mkdir"}, {"path", "/c1"}, {"mode", 493}}}},
      {{"time_s", 1e-05}, {"client", 1}, {"xid", 2}, {"type", "invoke"}, {"aggregate", "aggr0"},
       {"op", {{"f", "write"}, {"path", "/c1/d0/f1"}, {"offset", 4096}, {"data", "<c1x2>qwertyuiop"}}}},
      {{"time_s", 0.1000000000000000055511}, {"client", 1}, {"xid", 3}, {"type", "invoke"}, {"aggregate", "aggr1"},
       {"op", {{"f", "rename"}, {"from", "/c1/a"}, {"to", "/c1/d2/b"}}}},
      {{"time_s", 2.5}, {"client", 1}, {"xid", 4}, {"type", "invoke"}, {"aggregate", "aggr1"},
       {"op", {{"f", "truncate"}, {"path", "/c1/a"}, {"size", 17}}}},
      {{"time_s", 2.5002352330000002}, {"client", 1}, {"xid", 1}, {"type", "ok"}, {"result", "OK"}},
      {{"time_s", 3.0}, {"client", 1}, {"xid", 3}, {"type", "info"}},
      {{"time_s", 123456.75}, {"client", 1}, {"xid", 2}, {"type", "ok"}, {"result", "ENOTEMPTY"}},
  };
  std::string text;
  for (const json& l : lines) {
    HistoryLine scanned;
    const std::string s = l.dump();
    EXPECT_TRUE(scan_history_line(s, scanned)) << s;
    text += s + "\n";
  }
  EXPECT_EQ(compare_readers(text), "");
  const auto ops = [&] {
    TempFile f(text);
    return read_history(f.path.string());
  }();
  ASSERT_EQ(ops.at(1).size(), 4u);
  EXPECT_EQ(ops.at(1)[1].change.data, "<c1x2>qwertyuiop");
  EXPECT_EQ(ops.at(1)[1].change.offset, 4096u);
  EXPECT_EQ(ops.at(1)[2].change.to, "/c1/d2/b");
  EXPECT_EQ(ops.at(1)[3].change.size, 17u);
  EXPECT_EQ(ops.at(1)[1].result, model::Result::enotempty);
  EXPECT_TRUE(ops.at(1)[2].completed_s && !ops.at(1)[2].result);
  EXPECT_FALSE(ops.at(1)[3].completed_s);
}

// The scanner takes a string itself exactly when it is printable ASCII
// without a backslash, wherever in the string the other bytes are.
RC_GTEST_PROP(HistoryReading, TheScannerTakesPlainStringsOnly, ()) {
  const auto text = *rc::gen::container<std::string>(rc::gen::element('a', 'z', ' ', '~', '\\', '\x1f', '\x7f', '\x80', '\xff'));
  bool plain = true;
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    plain = plain && c != '\\' && c >= 0x20 && c < 0x80;
  }
  HistoryLine line;
  RC_ASSERT(scan_history_line(R"({"client":1,"result":")" + text + R"(","time_s":1,"type":"info","xid":1})", line) == plain);
}

// Completions found by xid however far back their invocation is: rising
// xids are searched in the client's own changes, others through a map.
TEST(HistoryReading, CompletionsFindTheirInvocationFarBack) {
  auto invoke = [](int client, int xid) {
    return R"({"aggregate":"aggr0","client":)" + std::to_string(client) + R"(,"op":{"f":"mkdir","mode":493,"path":"/c1"},"time_s":1.0,"type":"invoke","xid":)" +
           std::to_string(xid) + "}\n";
  };
  auto ok = [](int client, int xid) {
    return R"({"client":)" + std::to_string(client) + R"(,"result":"OK","time_s":2.0,"type":"ok","xid":)" +
           std::to_string(xid) + "}\n";
  };
  std::string rising, again;
  for (int x = 10; x <= 2000; x += 10) rising += invoke(1, x);
  rising += ok(1, 30) + ok(1, 1990) + ok(1, 1000);
  EXPECT_EQ(compare_readers(rising), "");
  EXPECT_EQ(compare_readers(rising + ok(1, 25)), "");  // never invoked: the same error
  for (int x = 1; x <= 150; ++x) again += invoke(2, (x * 7) % 150 + 1);  // xids not rising: through the map
  again += ok(2, 1) + ok(2, 150) + ok(2, 75);
  EXPECT_EQ(compare_readers(again), "");
  // A retransmission is not a new invocation: an xid invoked again is an
  // error, far back or near, rising or not.
  for (const std::string& twice : {rising + invoke(1, 30), rising + invoke(1, 2000), again + invoke(2, 8)}) {
    EXPECT_EQ(compare_readers(twice), "");
    TempFile f(twice);
    EXPECT_THROW(read_history(f.path.string()), HistoryError);
  }
  TempFile f(rising);
  const auto ops = read_history(f.path.string());
  EXPECT_TRUE(ops.at(1)[2].result && !ops.at(1)[3].result && ops.at(1)[198].result && !ops.at(1)[199].result);
}

TEST(HistoryReading, ErrorsNameTheLine) {
  const std::string invoke =
      R"({"aggregate":"aggr0","client":1,"op":{"f":"create","path":"/c1/a"},"time_s":1.0,"type":"invoke","xid":1})";
  EXPECT_EQ(compare_readers(invoke + "\n" + R"({"client":1,"time_s":2.0,"type":"ok","xid":2,"result":"OK"})" + "\n"), "");
  TempFile f(invoke + "\n" + R"({"client":1,"result":"EWHAT","time_s":2.0,"type":"ok","xid":1})" + "\n");
  try {
    read_history(f.path.string());
    FAIL() << "an unknown result was read";
  } catch (const HistoryError& e) {
    EXPECT_NE(std::string(e.what()).find(":2: result: unknown value EWHAT"), std::string::npos) << e.what();
  }
}

// ---- the line reader ----

std::vector<std::string> lines_of(const std::string& text, std::size_t buffer) {
  TempFile f(text);
  LineReader r(f.path.string(), buffer);
  std::vector<std::string> out;
  std::string_view line;
  while (r.next(line)) {
    out.emplace_back(line);
    EXPECT_EQ(r.line_number(), out.size());
  }
  return out;
}

std::vector<std::string> getlines(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

RC_GTEST_PROP(LineReader, SplitsAsGetlineForAnyBufferSize, ()) {
  const auto pieces = *rc::gen::container<std::vector<std::string>>(
      rc::gen::element<std::string>("", "a", "bc", "\r", "{\"x\":1}", std::string(40, 'q'), "\n", "\n", "\n"));
  std::string text;
  for (const auto& p : pieces) text += p;
  const std::size_t buffer = *rc::gen::inRange<std::size_t>(1, 64);
  RC_ASSERT(lines_of(text, buffer) == getlines(text));
}

TEST(LineReader, EmptyFileHasNoLine) { EXPECT_TRUE(lines_of("", 16).empty()); }

}  // namespace
}  // namespace failsim::checker
