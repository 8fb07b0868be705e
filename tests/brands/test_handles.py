"""Per-platform handle/URL normalization: what users paste -> one canonical form."""

from __future__ import annotations

import pytest

from brands.handles import HandleError, normalize_handle

GOOD = [
    ("instagram", "@goodie.ai", "goodie.ai", "https://www.instagram.com/goodie.ai/"),
    ("instagram", "Goodie_AI", "goodie_ai", "https://www.instagram.com/goodie_ai/"),
    ("instagram", "instagram.com/goodie.ai", "goodie.ai", "https://www.instagram.com/goodie.ai/"),
    (
        "instagram",
        "https://www.instagram.com/goodie.ai/?hl=en&igsh=abc",
        "goodie.ai",
        "https://www.instagram.com/goodie.ai/",
    ),
    (
        "instagram",
        "http://m.instagram.com/goodie.ai",
        "goodie.ai",
        "https://www.instagram.com/goodie.ai/",
    ),
    ("tiktok", "@GoodieAI", "goodieai", "https://www.tiktok.com/@goodieai"),
    (
        "tiktok",
        "goodie_ai.official",
        "goodie_ai.official",
        "https://www.tiktok.com/@goodie_ai.official",
    ),
    (
        "tiktok",
        "https://www.tiktok.com/@goodieai?lang=en",
        "goodieai",
        "https://www.tiktok.com/@goodieai",
    ),
    (
        "tiktok",
        "tiktok.com/GoodieAI",
        "goodieai",
        "https://www.tiktok.com/@goodieai",
    ),
    (
        "tiktok",
        "tiktok.com/@goodieai/video/7543693751290481942",
        "goodieai",
        "https://www.tiktok.com/@goodieai",
    ),
    ("youtube", "@GoodieAI", "@goodieai", "https://www.youtube.com/@goodieai"),
    ("youtube", "goodieai", "@goodieai", "https://www.youtube.com/@goodieai"),
    (
        "youtube",
        "https://www.youtube.com/@goodieai/videos",
        "@goodieai",
        "https://www.youtube.com/@goodieai",
    ),
    ("youtube", "m.youtube.com/@goodieai", "@goodieai", "https://www.youtube.com/@goodieai"),
    (
        "youtube",
        "https://www.youtube.com/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw",
        "UC_x5XG1OV2P6uZZ5FSM9Ttw",
        "https://www.youtube.com/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw",
    ),
    (
        "youtube",
        "UC_x5XG1OV2P6uZZ5FSM9Ttw",
        "UC_x5XG1OV2P6uZZ5FSM9Ttw",
        "https://www.youtube.com/channel/UC_x5XG1OV2P6uZZ5FSM9Ttw",
    ),
    (
        "youtube",
        "youtube.com/c/GoogleDevelopers",
        "GoogleDevelopers",
        "https://www.youtube.com/c/GoogleDevelopers",
    ),
    (
        "youtube",
        "https://youtube.com/user/Google/",
        "Google",
        "https://www.youtube.com/user/Google",
    ),
    (
        "linkedin",
        "https://www.linkedin.com/company/goodie-ai/",
        "company/goodie-ai",
        "https://www.linkedin.com/company/goodie-ai",
    ),
    (
        "linkedin",
        "linkedin.com/company/Goodie-AI/posts/?feedView=all",
        "company/goodie-ai",
        "https://www.linkedin.com/company/goodie-ai",
    ),
    (
        "linkedin",
        "https://uk.linkedin.com/in/jane-doe-123",
        "in/jane-doe-123",
        "https://www.linkedin.com/in/jane-doe-123",
    ),
    (
        "linkedin",
        "www.linkedin.com/in/jane-doe",
        "in/jane-doe",
        "https://www.linkedin.com/in/jane-doe",
    ),
]


@pytest.mark.parametrize(("platform", "raw", "handle", "url"), GOOD)
def test_accepted_inputs_are_canonicalized(platform, raw, handle, url):
    normalized = normalize_handle(platform, raw)
    assert (normalized.handle, normalized.url) == (handle, url)


BAD = [
    ("instagram", "", "Enter a handle"),
    ("instagram", "goodie ai", "spaces"),
    ("instagram", ".goodie", "Instagram usernames"),
    ("instagram", "goodie..ai", "Instagram usernames"),
    ("instagram", "goodie.", "Instagram usernames"),
    ("instagram", "a" * 31, "Instagram usernames"),
    ("instagram", "good!e", "Instagram usernames"),
    ("instagram", "<script>alert(1)</script>", "a link to Instagram"),
    ("instagram", "<b>x", "Instagram usernames"),
    ("instagram", "javascript:alert(1)", "Instagram usernames"),
    ("instagram", "https://www.instagram.com/p/DZN3mhZBQ_Q/", "post"),
    ("instagram", "https://www.instagram.com/reel/DZN3mhZBQ_Q/", "post"),
    ("instagram", "https://www.instagram.com/", "Add the account"),
    ("instagram", "https://www.tiktok.com/@goodieai", "TikTok link"),
    ("instagram", "https://goodie.ai/about", "isn't a link to Instagram"),
    ("instagram", "ftp://instagram.com/goodie", "http(s)"),
    ("instagram", "x" * 201, "too long"),
    ("tiktok", "a", "TikTok usernames"),
    ("tiktok", "a" * 25, "TikTok usernames"),
    ("tiktok", "goodie.", "TikTok usernames"),
    ("tiktok", "good-ie", "TikTok usernames"),
    ("tiktok", "https://www.tiktok.com/tag/seo", "profile link"),
    ("tiktok", "https://www.tiktok.com/music/original-sound-123", "profile link"),
    ("tiktok", "https://vm.tiktok.com/ZMabc123/", "Short links"),
    ("tiktok", "https://www.instagram.com/goodie.ai/", "Instagram link"),
    ("youtube", "@ab", "YouTube handles"),
    ("youtube", "@" + "a" * 31, "YouTube handles"),
    ("youtube", "https://www.youtube.com/watch?v=CW7gfrTlr0Y", "video"),
    ("youtube", "https://www.youtube.com/shorts/abc", "video"),
    ("youtube", "https://youtu.be/CW7gfrTlr0Y", "Short links"),
    ("youtube", "https://www.youtube.com/channel/notachannel", "Channel IDs"),
    ("youtube", "https://www.youtube.com/goodieai", "@handle"),
    ("linkedin", "goodie-ai", "full LinkedIn link"),
    ("linkedin", "@goodie-ai", "full LinkedIn link"),
    ("linkedin", "https://www.linkedin.com/feed/", "company or profile"),
    ("linkedin", "https://www.linkedin.com/posts/nick_hiring-activity-73309", "company or profile"),
    ("linkedin", "https://www.linkedin.com/company/", "company or profile"),
    ("linkedin", "https://www.linkedin.com/company/a", "characters"),
    ("linkedin", "https://lnkd.in/abc", "Short links"),
    ("linkedin", "https://linkedin.com.evil.example/company/x", "isn't a link to LinkedIn"),
]


@pytest.mark.parametrize(("platform", "raw", "message"), BAD)
def test_rejected_inputs_say_why(platform, raw, message):
    with pytest.raises(HandleError) as error:
        normalize_handle(platform, raw)
    assert message in str(error.value)


def test_display_form_matches_what_the_form_prefills():
    assert normalize_handle("instagram", "goodie.ai").display == "@goodie.ai"
    assert normalize_handle("tiktok", "goodieai").display == "@goodieai"
    assert normalize_handle("youtube", "@goodieai").display == "https://www.youtube.com/@goodieai"
