"""Valid answers for each wizard step and a helper that walks a brand through them."""

from __future__ import annotations

from django.test import Client

BASICS = {
    "name": "Goodie AI",
    "website": "https://goodie.ai",
    "industry": "software",
    "positioning": "Goodie helps brands show up in AI search answers, not just blue links.",
    "audience": "Heads of marketing at B2B startups",
    "country": "US",
    "language": "en",
}
SOURCES = {
    "instagram": "@goodie.ai",
    "tiktok": "tiktok.com/@GoodieAI",
    "youtube": "https://www.youtube.com/@goodieai",
    "linkedin": "https://www.linkedin.com/company/goodie-ai/",
}
DETAILS = {
    "pillars": "AI search visibility\nContent strategy",
    "keywords": "AI search, generative engine optimization",
    "hashtags": "#AISearch #seo",
    "competitors": "Profound",
    "tone": "Confident, plain-spoken",
    "avoid": "politics",
}
ANSWERS = {"basics": BASICS, "sources": SOURCES, "details": DETAILS}


def step_url(brand, step: str) -> str:
    return f"/brands/{brand.pk}/onboarding/{step}/"


def validate_url(brand, step: str, field: str) -> str:
    return f"/brands/{brand.pk}/onboarding/{step}/validate/?field={field}"


def submit(client: Client, brand, step: str, data: dict | None = None, **extra):
    return client.post(step_url(brand, step), {**ANSWERS[step], **(data or {}), **extra})


def complete_onboarding(client: Client, brand, *, compile: bool = True) -> None:
    for step in ("basics", "sources", "details"):
        response = submit(client, brand, step)
        assert response.status_code == 302, (step, response.content[:2000])
    if compile:
        assert client.post(step_url(brand, "compile")).status_code == 302
