from __future__ import annotations

import pytest

from brands.models import BrandBrainSnapshot
from byok.keys import save_user_keys
from tests.fakes.apify import VALID_TOKEN

OPENAI_KEY = "sk-proj-" + "Kairo0TestKey1" * 4 + "3Bvt"
SNAPSHOT = {
    "schema_version": 1,
    "brand": {
        "name": "Goodie AI",
        "website": "https://goodie.ai",
        "industry": "Software",
        "positioning": "Goodie helps brands show up in AI search answers.",
        "audience": "Marketing leads at growing brands",
        "country": "US",
        "language": "en",
    },
    "pillars": ["AI search visibility", "Content strategy", "Marketing analytics"],
    "keywords": ["ai search", "generative engine optimization"],
    "hashtags": ["aisearch", "seo", "geo"],
    "competitors": ["Profound"],
    "tone": "Confident, plain-spoken",
    "avoid": ["politics"],
    "handles": {
        "instagram": "goodie.ai",
        "tiktok": "goodieai",
        "youtube": "https://www.youtube.com/@goodieai",
        "linkedin": "https://www.linkedin.com/company/goodie-ai",
    },
    "tiktok_trend_industries": ["Tech & Electronics"],
    "prompt_context": "Brand: Goodie AI. Helps brands show up in AI search answers.",
}


@pytest.fixture
def keyed_alice(alice):
    save_user_keys(user=alice, changes={"apify_token": VALID_TOKEN, "openai_key": OPENAI_KEY})
    return alice


@pytest.fixture
def onboarded_brand(alice_brand):
    BrandBrainSnapshot.objects.create(brand=alice_brand, version=1, data=SNAPSHOT)
    return alice_brand


@pytest.fixture
def doubles(fake_apify, fake_openai):
    return fake_apify, fake_openai
