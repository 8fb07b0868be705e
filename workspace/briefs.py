""" "Copy as brief": an idea as Markdown a marketer pastes into a doc, a task or a chat
with a designer — hook, angle, format, why now and the evidence links.

The same text comes from a card on the board (`brief_from_card`) and from an idea on the
plan (`brief_from_feedback`, which reads the feedback's own copy of the idea).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from opportunities.cards import Card
from workspace.learning import platform_name
from workspace.models import IdeaFeedback, IdeaState


@dataclass(frozen=True)
class Brief:
    title: str
    platform: str  # a label: "Instagram"
    format: str
    pillar: str
    hook: str
    angle: str
    why_now: str
    evidence: Sequence[tuple[str, str]]  # (label, url)
    planned_for: date | None = None
    posted: bool = False


def _line(text: str) -> str:
    return " ".join(text.split())


def brief_markdown(brief: Brief) -> str:
    facts = [f"**Format:** {brief.platform} · {brief.format.capitalize()}"]
    if brief.pillar:
        facts.append(f"**Pillar:** {_line(brief.pillar)}")
    if brief.planned_for:
        day = brief.planned_for
        label = "Posted" if brief.posted else "Planned for"
        facts.append(f"**{label}:** {day:%A} {day.day} {day:%B %Y}")
    sections = [f"# {_line(brief.title)}", "  \n".join(facts)]
    for heading, text in (("Hook", brief.hook), ("Angle", brief.angle), ("Why now", brief.why_now)):
        if text.strip():
            sections.append(f"## {heading}\n\n{text.strip()}")
    if brief.evidence:
        links = "\n".join(f"- {_line(label)}: <{url}>" for label, url in brief.evidence)
        sections.append(f"## Evidence\n\n{links}")
    return "\n\n".join(sections) + "\n"


def brief_from_card(card: Card) -> str:
    evidence = []
    for item in card.evidence:
        if item.url:
            label = f"{item.author} on {item.platform_label}"
            evidence.append((f"{label}, {item.metric}" if item.metric else label, item.url))
    return brief_markdown(
        Brief(
            title=card.title,
            platform=card.platform_label,
            format=card.format,
            pillar=card.pillar,
            hook=card.hook,
            angle=card.angle,
            why_now=card.why_now,
            evidence=evidence,
        )
    )


def brief_from_feedback(feedback: IdeaFeedback) -> str:
    dated = feedback.state in (IdeaState.USED, IdeaState.POSTED)
    return brief_markdown(
        Brief(
            title=feedback.title,
            platform=platform_name(feedback.platform),
            format=feedback.format,
            pillar=feedback.pillar,
            hook=feedback.hook,
            angle=feedback.angle,
            why_now=feedback.why_now,
            evidence=[
                (link.get("label", ""), link.get("url", "")) for link in feedback.evidence_links
            ],
            planned_for=feedback.planned_for if dated else None,
            posted=feedback.state == IdeaState.POSTED,
        )
    )
