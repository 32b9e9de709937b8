// The sweep-file schema (sweep_schema.hpp), key by key as docs/sweeps.md
// describes them.
#include "sweep/sweep_schema.hpp"

#include <string>
#include <vector>

#include "sweep/sweep_read.hpp"

namespace failsim::sweep {

using nlohmann::json;

namespace {

json comment() { return {{"type", "string"}, {"description", "A note for people; failsim ignores it."}}; }

json object(json properties, const std::vector<std::string>& required = {}) {
  properties["comment"] = comment();
  json s{{"type", "object"}, {"additionalProperties", false}, {"properties", std::move(properties)}};
  if (!required.empty()) s["required"] = required;
  return s;
}

json text(const std::string& description) { return {{"type", "string"}, {"description", description}}; }

// A JSON pointer whose first part is one of `sections`.
json pointer_into(const std::vector<std::string>& sections, const std::string& description) {
  std::string alternatives;
  for (const std::string& s : sections) alternatives += (alternatives.empty() ? "" : "|") + s;
  return {{"type", "string"}, {"pattern", "^/(" + alternatives + ")(/.*)?$"}, {"description", description}};
}

}  // namespace

json sweep_schema() {
  const json parameter = object(
      {{"path", {{"type", "string"},
                 {"pattern", "^/"},
                 {"description", "A JSON pointer to a field of the base scenario, e.g. /server/log_mode or "
                                 "/faults/0/at_s; not /seed."}}},
       {"values", {{"type", "array"}, {"minItems", 1}, {"uniqueItems", true},
                   {"description", "The values the field takes, each once."}}},
       {"name", text("The column name; default: the pointer's last part.")}},
      {"path", "values"});
  const json figure = object(
      {{"column", text("The column's name in results.csv and the charts.")},
       {"report", pointer_into(report_sections(), "A JSON pointer into the run's report.json.")},
       {"verdict", pointer_into(verdict_fields(), "A JSON pointer into the run's verdict.json.")}},
      {"column"});
  json figure_one_source = figure;
  figure_one_source["oneOf"] = json::array({{{"required", {"report"}}}, {{"required", {"verdict"}}}});
  const json chart = object({{"x", text("A parameter's name: the x axis.")},
                             {"y", text("A figure's column: the y axis.")},
                             {"series", text("A parameter's name: one line per value.")},
                             {"log_x", {{"type", "boolean"}, {"description", "A logarithmic x axis (positive numbers)."}}}},
                            {"x", "y"});
  json schema = object(
      {{"name", {{"type", "string"},
                 {"pattern", "^[A-Za-z0-9_-][A-Za-z0-9_.-]*$"},
                 {"description", "Names the sweep and its default folder sweeps/<name>; default: the file's stem."}}},
       {"description", text("Free text, shown on sweep.html.")},
       {"base", {{"oneOf", json::array({{{"type", "string"}}, {{"type", "object"}}})},
                 {"description", "The base scenario: a scenario file relative to this file, or a scenario object "
                                 "(see scenario.schema.json)."}}},
       {"parameters", {{"type", "array"}, {"items", parameter}}},
       {"seeds", {{"oneOf", json::array({{{"type", "integer"}, {"minimum", 1}},
                                         {{"type", "array"}, {"items", {{"type", "integer"}, {"minimum", 0}}},
                                          {"minItems", 1}, {"uniqueItems", true}}})},
                  {"description", "A count N (seeds 1 to N) or a list of seeds; default 1."}}},
       {"figures", {{"type", "array"}, {"items", figure_one_source}}},
       {"charts", {{"type", "array"}, {"items", chart}}}},
      {"base"});
  schema["properties"]["$schema"] = text("The schema this file follows, for editors; failsim ignores it.");
  schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
  schema["title"] = "failsim sweep";
  schema["description"] =
      "A parameter sweep: a base scenario run over every combination of parameter values and seeds (docs/sweeps.md).";
  return schema;
}

}  // namespace failsim::sweep
