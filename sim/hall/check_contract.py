#!/usr/bin/env python3
"""Checks recorded simulator answers against docs/api/hall.yaml with an independent validator
(python3-jsonschema, Draft 7 over the OpenAPI components), so the contract, the simulator and the
C++ parsers cannot drift apart unnoticed. Usage: sim/hall/check_contract.py
Validates tests/backend/corpus/hall_response/* (first byte = op index, the rest = a body)."""
import json
import pathlib
import sys

import jsonschema
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA_OF = {"catalog": "Catalog", "guides": "GuideList", "guide_restaurant": "Guide",
             "pickups": "PickupList", "authorize": "PickupAuthorization",
             "complete": "PickupCompletion", "application": "Application", "ticket": "Ticket",
             "order": "Order", "orders": "OrderList", "qr": "PaymentQr", "proof": "Proof",
             "staff": "StaffSession", "register": "Registration", "event": "EventAck",
             "evaluation": "Ack", "error404": "Error", "assist": "AssistCall",
             "assist_list": "AssistCallList"}


def main() -> int:
    doc = yaml.safe_load((ROOT / "docs/api/hall.yaml").read_text())
    bad = 0
    for name, schema in SCHEMA_OF.items():
        body = (ROOT / "tests/backend/corpus/hall_response" / name).read_bytes()[1:]
        validator = jsonschema.Draft7Validator(
            {"$ref": "#/components/schemas/" + schema, "components": doc["components"]})
        errors = list(validator.iter_errors(json.loads(body)))
        bad += bool(errors)
        print(("ok   " if not errors else "FAIL ") + f"{name} as {schema}")
        for e in errors[:5]:
            print("     ", "/".join(map(str, e.path)), e.message[:160])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
