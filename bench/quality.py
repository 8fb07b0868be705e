"""Quality of the board: synthesis post-processing, scoring and ranking over evidence sets
from three industries (bench/_quality_sets.py), with a scripted model double.

The double is a loopback OpenAI server answering the real `openai` client (plain JSON,
or server-sent events when the request streams) with realistic but imperfect drafts:
pillar names that are not the brand's, made-up evidence ids, the same idea twice in
other words, formats a platform does not have, and cards citing another platform's
posts. What reaches the board is measured against the brand and the run:

- valid_pillar: share of cards whose pillar is one of the brand's pillars;
- valid_citations: share of cards citing only real evidence of the run (and some);
- valid_format: share of cards whose format exists on their platform (FORMATS below);
- near_duplicates: pairs of cards that are one scripted idea (summed over the sets);
- pillars_covered: share of the brand's pillars on the board (boards with at least as
  many cards as pillars);
- own_platform_evidence: share of cards citing a post from their own platform.
Targets: 1.0, 1.0, 1.0, 0, 1.0, >= 0.9.
"""

from __future__ import annotations

import json
import time
from itertools import combinations

from _setup import setup_django

# Formats each platform really has (the bench's own reference, independent of the app's).
FORMATS = {
    "instagram": {"reel", "carousel", "static post", "story"},
    "tiktok": {"short video", "carousel"},
    "youtube": {"long video", "short video"},
    "linkedin": {"text post", "carousel", "static post", "short video"},
}


def scripted_openai(industry):
    """A FakeService answering chat completions with the industry's scripted drafts."""
    from tests.fakes.server import FakeService, Response

    class ScriptedOpenAI(FakeService):
        def __init__(self) -> None:
            super().__init__()
            self.route("POST", r"/v1/chat/completions", self.complete)

        def complete(self, request):
            body = request.json()
            prompt = "\n".join(m["content"] for m in body["messages"])
            rows = [
                json.loads(line)
                for line in prompt.rsplit("<evidence>\n", 1)[-1]
                .split("\n</evidence>", 1)[0]
                .splitlines()
                if line.startswith("{")
            ]
            scripts = _for_this_call(industry, body)
            content = json.dumps({"opportunities": [_draft(s, rows) for s in scripts]})
            usage = {"prompt_tokens": len(prompt) // 4, "completion_tokens": len(content) // 4}
            usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
            if body.get("stream"):
                return Response(200, _sse(content, usage), {"Content-Type": "text/event-stream"})
            return Response(200, _completion(content, usage))

    return ScriptedOpenAI()


def _for_this_call(industry, body: dict) -> list[dict]:
    """Synthesis splits the pillars over parallel calls, each schema naming its own: like
    a model, the script writes that call's pillars' drafts; the off-brand ones (what a
    model slips in when nothing stops it) go to the call that has the first pillar."""
    schema = body["response_format"]["json_schema"]["schema"]
    variants = schema["properties"]["opportunities"]["items"].get("anyOf") or [
        schema["properties"]["opportunities"]["items"]
    ]
    enum = {p.lower() for p in variants[0]["properties"]["pillar"].get("enum", [])}
    from opportunities.scoring import match_pillar

    pillars = industry.snapshot["pillars"]
    first = pillars[0].lower() if pillars else ""
    chosen = []
    for script in industry.drafts:
        # Under the enum a model picks the allowed pillar nearest to what it meant.
        nearest, relevance = match_pillar(script["pillar"], pillars)
        if relevance > 0 and nearest.lower() in enum:
            chosen.append({**script, "pillar": nearest})
        elif relevance == 0 and first in enum:
            chosen.append(script)  # off-brand: the server-side check must drop it
    return chosen


def _draft(script: dict, rows: list[dict]) -> dict:
    """The scripted draft as the model writes it, its selectors turned into sent ids."""
    cited = []
    for selector in script["cite"]:
        if isinstance(selector, str):
            cited.append(selector)
            continue
        platform, word = selector
        found = next(
            (r["id"] for r in rows if r["platform"] == platform and word in r["text"].lower()),
            None,
        )
        if found:
            cited.append(found)
    fields = ("title", "hook", "angle", "format", "platform", "pillar", "confidence")
    return {name: script[name] for name in fields} | {
        "why_now": "It is rising this week across the evidence.",
        "evidence_ids": cited,
    }


def _completion(content: str, usage: dict) -> dict:
    return {
        "id": "chatcmpl-quality",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "gpt-4.1-mini",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": usage,
    }


def _sse(content: str, usage: dict) -> bytes:
    """The same answer as chat.completion.chunk events, usage in a last chunk of its own."""

    def event(choices: list, **extra) -> str:
        body = {
            "id": "chatcmpl-quality",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": "gpt-4.1-mini",
            "choices": choices,
            **extra,
        }
        return f"data: {json.dumps(body)}\n\n"

    def delta(values: dict, finish: str | None = None) -> list:
        return [{"index": 0, "delta": values, "logprobs": None, "finish_reason": finish}]

    events = [event(delta({"role": "assistant", "content": ""}))]
    events += [event(delta({"content": content[i : i + 200]})) for i in range(0, len(content), 200)]
    events += [event(delta({}, "stop")), event([], usage=usage), "data: [DONE]\n\n"]
    return "".join(events).encode()


def run_industry(industry, seed: int):
    from _quality_sets import NOW, build_items
    from django.conf import settings

    from opportunities.curation import curate_board
    from opportunities.pipeline import MAX_ITEMS_FOR_MODEL
    from opportunities.synthesis import synthesize
    from opportunities.trends import analyze_trends, strongest_items

    items = build_items(industry, seed)
    data = industry.snapshot
    watched = data["keywords"] + data["pillars"]
    started = time.monotonic()
    signals = analyze_trends(items, watched, NOW, default_language=data["brand"]["language"])
    chosen = strongest_items(items, signals, MAX_ITEMS_FOR_MODEL)
    analysis = time.monotonic() - started
    double = scripted_openai(industry).start()
    settings.OPENAI_BASE_URL = f"{double.url}/v1"
    try:
        result = synthesize(
            snapshot=data,
            items=items,
            indexes=chosen,
            signals=signals,
            api_key="sk-quality-bench",
            model=settings.OPENAI_MODEL,
        )
    finally:
        double.stop()
    started = time.monotonic()
    board = curate_board(result.drafts, items, signals, data["pillars"])
    ranking = time.monotonic() - started
    return items, board, analysis, ranking


def main() -> None:
    setup_django("quality")
    from _quality_sets import industries

    cards = valid_pillar = valid_citations = valid_format = own_platform = 0
    near_duplicates = 0
    coverage: list[float] = []
    for seed, industry in enumerate(industries(), start=1):
        items, board, analysis, ranking = run_industry(industry, seed)
        pillars = industry.snapshot["pillars"]
        idea_of = {s["title"]: s["idea"] for s in industry.drafts}
        print(
            f"== {industry.name}: {len(items)} items, {len(board)} cards "
            f"(analysis {analysis * 1000:.0f} ms, curation+ranking {ranking * 1000:.0f} ms)"
        )
        for rank, card in enumerate(board, start=1):
            draft = card.draft
            own = any(items[i].platform == draft.platform for i in card.evidence_indexes)
            cards += 1
            valid_pillar += card.pillar in pillars
            valid_citations += bool(card.evidence_indexes) and all(
                0 <= i < len(items) for i in card.evidence_indexes
            )
            valid_format += draft.format in FORMATS.get(draft.platform, set())
            own_platform += own
            print(
                f"  #{rank} {card.score:5.1f} [{draft.platform} · {draft.format} · {card.pillar}] {draft.title}"
            )
            for line in ((card.rank_note,) if card.rank_note else ()) + card.signals:
                print(f"        - {line}")
        near_duplicates += sum(
            idea_of.get(a.draft.title) == idea_of.get(b.draft.title)
            for a, b in combinations(board, 2)
        )
        if len(board) >= len(pillars):
            coverage.append(len({c.pillar for c in board} & set(pillars)) / len(pillars))
    share = lambda n: n / cards if cards else 0.0  # noqa: E731
    print(
        f"RESULT valid_pillar={share(valid_pillar):.2f} valid_citations={share(valid_citations):.2f} "
        f"valid_format={share(valid_format):.2f} near_duplicates={near_duplicates} "
        f"pillars_covered={sum(coverage) / max(1, len(coverage)):.2f} "
        f"own_platform_evidence={share(own_platform):.2f}"
    )


if __name__ == "__main__":
    main()
