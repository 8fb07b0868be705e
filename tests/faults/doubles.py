"""The Apify and OpenAI doubles in a process of their own, for runs where the driver must
not share a GIL with them (bench/load.py):

    python -m tests.faults.doubles --apify-seconds 1-2 --openai-seconds 1

Prints {"apify", "openai"} base URLs as one JSON line, serves until stdin closes, then
prints what it served as one more JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys

from tests.faults.processes import ROOT


def serve(apify_seconds: tuple[float, float], openai_seconds: float) -> None:
    from tests.fakes.apify import ACTOR_IDS, FakeApify
    from tests.fakes.openai import FakeOpenAI

    apify, openai = FakeApify(), FakeOpenAI()
    chooser = random.Random(7)  # the same latency per actor on every run
    for actor_id in sorted(ACTOR_IDS.values()):
        apify.set_latency(actor_id, round(chooser.uniform(*apify_seconds), 2))
    openai.completion_latency = openai_seconds
    apify.start()
    openai.start()
    print(json.dumps({"apify": apify.url, "openai": f"{openai.url}/v1"}), flush=True)
    sys.stdin.read()
    served = {
        "apify_runs": len(apify.runs),
        "apify_requests": len(apify.requests),
        "openai_completions": openai.completion_calls,
    }
    print(json.dumps(served), flush=True)
    apify.stop()
    openai.stop()


def start(apify_seconds: str, openai_seconds: float) -> tuple[subprocess.Popen, dict[str, str]]:
    """Start the doubles' process; returns it and their base URLs."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.faults.doubles",
            "--apify-seconds",
            apify_seconds,
            "--openai-seconds",
            str(openai_seconds),
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    return process, json.loads(process.stdout.readline())


def stop(process: subprocess.Popen) -> dict[str, int]:
    """Stop the doubles' process; returns the counts it served."""
    out, _ = process.communicate(input="", timeout=30)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    return json.loads(lines[-1]) if lines else {}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apify-seconds", default="1-2", help="run latency range per actor")
    parser.add_argument("--openai-seconds", type=float, default=1.0)
    options = parser.parse_args()
    low, _, high = options.apify_seconds.partition("-")
    serve((float(low), float(high or low)), options.openai_seconds)


if __name__ == "__main__":
    main()
