#!/usr/bin/env python3
"""The scenario schema, checked by an independent validator (python-jsonschema):
it is a valid JSON Schema draft 2020-12, every committed scenario and the
documented defaults conform to it, and it refuses what the reader refuses."""
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

print("schema checks", "FAILED" if failed else "passed", f"({len(files)} files, {len(refused)} refusals)")
sys.exit(1 if failed else 0)
