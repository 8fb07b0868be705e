"""Each step's validation, on submit and through the live (HTMX) validation endpoint."""

from __future__ import annotations

import pytest

from brands.models import OnboardingAnswers, SourceConnection
from tests.brands.helpers import BASICS, DETAILS, step_url, submit, validate_url

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def at_details(alice_client, alice_brand):
    """A brand whose Basics and Sources are saved, so Details is reachable."""
    assert submit(alice_client, alice_brand, "basics").status_code == 302
    assert submit(alice_client, alice_brand, "sources").status_code == 302
    return alice_brand


def errors_for(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


# Basics -------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["name", "country", "language"])
def test_basics_required_fields(alice_client, alice_brand, field):
    response = submit(alice_client, alice_brand, "basics", {field: ""})
    assert response.status_code == 400
    assert errors_for(response, field)
    assert not OnboardingAnswers.objects.get(brand=alice_brand).basics_completed_at


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "n" * 101, "keep it to 100 characters (you have 101)"),
        ("positioning", "p" * 301, "keep it to 300"),
        ("audience", "a" * 201, "keep it to 200"),
        ("website", "javascript:alert(1)", "doesn't look like a web address"),
        ("website", "ftp://goodie.ai", "doesn't look like a web address"),
        ("industry", "not-an-industry", "Pick one of the options"),
        ("country", "XX", "Pick one of the options"),
    ],
)
def test_basics_rejects_bad_values(alice_client, alice_brand, field, value, message):
    response = submit(alice_client, alice_brand, "basics", {field: value})
    assert response.status_code == 400
    assert any(message in e for e in errors_for(response, field)), errors_for(response, field)


def test_basics_website_without_scheme_gets_https(alice_client, alice_brand):
    submit(alice_client, alice_brand, "basics", {"website": "goodie.ai"})
    assert OnboardingAnswers.objects.get(brand=alice_brand).website == "https://goodie.ai"


def test_basics_renames_the_brand(alice_client, alice_brand):
    submit(alice_client, alice_brand, "basics", {"name": "Goodie"})
    alice_brand.refresh_from_db()
    assert alice_brand.name == "Goodie"


def test_overlong_input_is_reported_not_truncated_by_the_browser(alice_client, alice_brand):
    page = alice_client.get(step_url(alice_brand, "basics")).content.decode()
    assert "maxlength" not in page


# Sources ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "value"),
    [
        ("instagram", "https://www.instagram.com/p/DZN3mhZBQ_Q/"),
        ("instagram", "goodie..ai"),
        ("tiktok", "https://vm.tiktok.com/ZMabc/"),
        ("tiktok", "bad-name!"),
        ("youtube", "https://www.youtube.com/watch?v=abc"),
        ("youtube", "@a"),
        ("linkedin", "goodie-ai"),
        ("linkedin", "https://www.linkedin.com/feed/"),
    ],
)
def test_sources_reject_bad_handles_per_platform(alice_client, alice_brand, platform, value):
    submit(alice_client, alice_brand, "basics")
    response = submit(alice_client, alice_brand, "sources", {platform: value})
    assert response.status_code == 400
    assert errors_for(response, platform)
    assert not SourceConnection.objects.filter(brand=alice_brand).exists()


def test_sources_are_optional_and_stored_canonically(alice_client, alice_brand):
    submit(alice_client, alice_brand, "basics")
    response = submit(
        alice_client, alice_brand, "sources", {"youtube": "", "linkedin": "", "instagram": ""}
    )
    assert response.status_code == 302
    assert list(SourceConnection.objects.values_list("platform", "handle", "url")) == [
        ("tiktok", "goodieai", "https://www.tiktok.com/@goodieai")
    ]


def test_clearing_a_source_removes_it(alice_client, alice_brand):
    submit(alice_client, alice_brand, "basics")
    submit(alice_client, alice_brand, "sources")
    assert SourceConnection.objects.filter(brand=alice_brand).count() == 4
    submit(alice_client, alice_brand, "sources", {"tiktok": ""})
    assert not SourceConnection.objects.filter(brand=alice_brand, platform="tiktok").exists()


def test_sources_page_says_what_is_lost_without_them(alice_client, alice_brand):
    submit(alice_client, alice_brand, "basics")
    page = alice_client.get(step_url(alice_brand, "sources")).content.decode()
    assert "All optional" in page and "less tailored" in page
    for example in ("instagram.com/yourbrand", "tiktok.com/@yourbrand", "linkedin.com/company"):
        assert example in page


# Details ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pillars", "message"),
    [
        ("", "Add at least one pillar"),
        ("a\nb\nc\nd\ne\nf\ng", "6 pillars at most"),
        ("SEO\nContent\nseo", "listed twice"),
        ("AI  search\nai search", "listed twice"),
        ("Short\n" + "x" * 61, "too long"),
    ],
)
def test_pillars_count_duplicates_and_length(alice_client, at_details, pillars, message):
    response = submit(alice_client, at_details, "details", {"pillars": pillars})
    assert response.status_code == 400
    assert any(message in e for e in errors_for(response, "pillars")), errors_for(
        response, "pillars"
    )


def test_pillars_accept_commas_and_lines(alice_client, at_details):
    response = submit(alice_client, at_details, "details", {"pillars": "One, Two\nThree"})
    assert response.status_code == 302
    assert OnboardingAnswers.objects.get(brand=at_details).pillars == ["One", "Two", "Three"]


@pytest.mark.parametrize(
    ("hashtags", "message"),
    [
        ("#seo SEO", "listed twice"),
        ("#seo, ##seo", "listed twice"),
        ("#good-tag", "isn't a hashtag"),
        (" ".join(f"#t{i}" for i in range(16)), "15 hashtags at most"),
    ],
)
def test_hashtag_rules(alice_client, at_details, hashtags, message):
    response = submit(alice_client, at_details, "details", {"hashtags": hashtags})
    assert response.status_code == 400
    assert any(message in e for e in errors_for(response, "hashtags"))


def test_hashtags_are_stored_lowercase_without_hash(alice_client, at_details):
    submit(alice_client, at_details, "details", {"hashtags": "#AISearch, #SEO\nGEO"})
    assert OnboardingAnswers.objects.get(brand=at_details).hashtags == ["aisearch", "seo", "geo"]


def test_duplicate_keywords_and_overlong_tone(alice_client, at_details):
    response = submit(
        alice_client, at_details, "details", {"keywords": "AI search\nai Search", "tone": "t" * 201}
    )
    assert response.status_code == 400
    assert errors_for(response, "keywords") and errors_for(response, "tone")


# Escaping -----------------------------------------------------------------------------


def test_script_payloads_are_rendered_escaped(alice_client, alice_brand):
    payloads = {**BASICS, "name": XSS, "audience": XSS, "positioning": XSS}
    alice_client.post(step_url(alice_brand, "basics"), payloads)
    bad_sources = submit(alice_client, alice_brand, "sources", {"instagram": XSS})
    assert bad_sources.status_code == 400
    submit(alice_client, alice_brand, "sources")
    response = alice_client.post(
        step_url(alice_brand, "details"),
        {**DETAILS, "pillars": f"{XSS}\nSafe pillar", "tone": XSS},
    )
    for page in (
        alice_client.get(step_url(alice_brand, "basics")),
        bad_sources,
        alice_client.get(step_url(alice_brand, "sources")),
        response,
        alice_client.get(f"/brands/{alice_brand.pk}/onboarding/compile/"),
        alice_client.get(f"/brands/{alice_brand.pk}/"),
    ):
        html = page.content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    compile_page = alice_client.get(f"/brands/{alice_brand.pk}/onboarding/compile/")
    assert "&lt;script&gt;" in compile_page.content.decode()
    assert alice_client.post(f"/brands/{alice_brand.pk}/onboarding/compile/").status_code == 302
    for url in (f"/brands/{alice_brand.pk}/", f"/brands/{alice_brand.pk}/snapshots/1/"):
        html = alice_client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


# Live validation ----------------------------------------------------------------------


def test_live_validation_returns_only_that_fields_errors(alice_client, alice_brand):
    response = alice_client.post(
        validate_url(alice_brand, "basics", "positioning"),
        {"positioning": "p" * 301, "name": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error"' in html and "keep it to 300" in html
    assert "Give your brand a name" not in html


def test_live_validation_is_empty_when_the_field_is_fine(alice_client, alice_brand):
    response = alice_client.post(
        validate_url(alice_brand, "basics", "name"),
        {"name": "Goodie"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_live_validation_shows_the_canonical_handle(alice_client, alice_brand):
    response = alice_client.post(
        validate_url(alice_brand, "sources", "tiktok"),
        {"tiktok": "https://www.tiktok.com/@GoodieAI?lang=en"},
    )
    assert "Will be saved as @goodieai" in response.content.decode()


def test_live_validation_flags_bad_handles_and_escapes_them(alice_client, alice_brand):
    response = alice_client.post(
        validate_url(alice_brand, "sources", "linkedin"), {"linkedin": XSS}
    )
    html = response.content.decode()
    assert 'class="error"' in html and "<script>" not in html


def test_live_validation_sees_duplicates_across_the_list(alice_client, alice_brand):
    response = alice_client.post(
        validate_url(alice_brand, "details", "pillars"), {"pillars": "Coffee\n coffee "}
    )
    assert "listed twice" in response.content.decode()


def test_live_validation_uses_the_htmx_trigger_name(alice_client, alice_brand):
    response = alice_client.post(
        f"/brands/{alice_brand.pk}/onboarding/basics/validate/",
        {"audience": "a" * 201},
        headers={"HX-Request": "true", "HX-Trigger-Name": "audience"},
    )
    assert "keep it to 200" in response.content.decode()


def test_live_validation_unknown_field_or_step(alice_client, alice_brand):
    assert alice_client.post(validate_url(alice_brand, "basics", "owner")).status_code == 400
    assert alice_client.post(validate_url(alice_brand, "compile", "name")).status_code == 404
    assert alice_client.get(validate_url(alice_brand, "basics", "name")).status_code == 405


def test_fields_are_wired_for_debounced_live_validation(alice_client, alice_brand):
    page = alice_client.get(step_url(alice_brand, "basics")).content.decode()
    assert 'hx-trigger="input changed delay:400ms"' in page
    assert (
        f'hx-post="/brands/{alice_brand.pk}/onboarding/basics/validate/?field=positioning"' in page
    )
    assert 'hx-target="#id_positioning_errors"' in page and 'id="id_positioning_errors"' in page
    assert 'hx-trigger="change"' in page  # selects validate on change
