"""``sakip-xl kebijakan``: show or check a policy (kebijakan) file."""

from __future__ import annotations

import argparse
import json

from ...policy import Policy, load_policy
from ..env import Environment
from ..status import ExitStatus


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "kebijakan",
        help="tampilkan atau periksa berkas kebijakan (kebijakan.toml)",
        description="Tampilkan kebijakan bawaan nasional, atau periksa berkas kebijakan kota.",
    )
    p.add_argument("berkas", nargs="?", help="berkas kebijakan.toml yang diperiksa")
    p.set_defaults(func=run)


def run(ns: argparse.Namespace, env: Environment) -> ExitStatus:
    policy = load_policy(ns.berkas) if ns.berkas else Policy()
    if ns.berkas:
        env.err(f"Berkas kebijakan {ns.berkas} sah.")
    env.out(json.dumps(policy.model_dump(mode="json"), indent=2, ensure_ascii=False))
    return ExitStatus.OK
