#!/usr/bin/env python3
"""The scenario and sweep-file schemas, checked by an independent validator
(python-jsonschema): each is a valid JSON Schema draft 2020-12, every committed
scenario (sweep file) and the documented defaults conform to it, and it
refuses what the reader refuses."""
import glob
import json
import os
import sys

import jsonschema

root = sys.argv[1]
schema = json.load(open(os.path.join(root, "scenarios", "scenario.schema.json")))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

failed = False
files = [f for f in sorted(glob.glob(os.path.join(root, "scenarios", "*.json"))) if not f.endswith(".schema.json")]
files.append(os.path.join(root, "docs", "scenario-defaults.json"))
for f in files:
    for e in validator.iter_errors(json.load(open(f))):
        print(f"{f}: {e.json_path}: {e.message}")
        failed = True

refused = [
    {"workload": {"clients": 0}},
    {"workload": {"clents": 3}},
    {"server": {"log_mode": "blocks"}},
    {"faults": [{"kind": "nod_crash"}]},
    {"faults": [{"at_s": 1}]},
    {"cluster": {"nodes": ["a", "b"]}},
    {"timing": {"interconnect": {"bandwidth_Bps": 0}}},
    {"faults": [{"kind": "client_message_loss", "probability": 1.5}]},
]
for doc in refused:
    if validator.is_valid(doc):
        print(f"the schema accepts {json.dumps(doc)}, which the reader refuses")
        failed = True

# Annotations for people and editors are part of the format.
annotated = {"$schema": "scenario.schema.json", "comment": "why", "workload": {"comment": "small", "clients": 2}}
for e in validator.iter_errors(annotated):
    print(f"the scenario schema refuses an annotated scenario: {e.json_path}: {e.message}")
    failed = True

# The sweep-file schema: valid, every shipped sweep file conforms, and it refuses what the reader refuses.
sweep_schema = json.load(open(os.path.join(root, "scenarios", "sweeps", "sweep.schema.json")))
jsonschema.Draft202012Validator.check_schema(sweep_schema)
sweep_validator = jsonschema.Draft202012Validator(sweep_schema)
sweeps = [f for f in sorted(glob.glob(os.path.join(root, "scenarios", "sweeps", "*.json"))) if not f.endswith(".schema.json")]
for f in sweeps:
    for e in sweep_validator.iter_errors(json.load(open(f))):
        print(f"{f}: {e.json_path}: {e.message}")
        failed = True
sweep_refused = [
    {},
    {"base": 3},
    {"base": {}, "seeds": 0},
    {"base": {}, "parameters": [{"path": "/server/log_mode"}]},
    {"base": {}, "parameters": [{"path": "/server/log_mode", "values": []}]},
    {"base": {}, "figures": [{"column": "x", "report": "/nothere/x"}]},
    {"base": {}, "figures": [{"column": "x"}]},
    {"base": {}, "charts": [{"x": "a"}]},
    {"base": {}, "paramters": []},
]
for doc in sweep_refused:
    if sweep_validator.is_valid(doc):
        print(f"the sweep schema accepts {json.dumps(doc)}, which the reader refuses")
        failed = True
files += sweeps
refused += sweep_refused

print("schema checks", "FAILED" if failed else "passed", f"({len(files)} files, {len(refused)} refusals)")
sys.exit(1 if failed else 0)
