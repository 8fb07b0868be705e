"""The "Start from your website" box on Basics: owner only, pre-filled but not saved,
rate limited.

The view runs the real fetch against the loopback double (the production policy with
loopback and the double's port trusted: tests/brands/website_double.py).
"""

from __future__ import annotations

import pytest

from brands.models import OnboardingAnswers, SourceConnection
from tests.brands.helpers import BASICS, step_url, submit
from tests.brands.website_double import BRAND_PAGE, brand_site


@pytest.fixture
def site(monkeypatch):
    with brand_site(monkeypatch) as double:
        yield double


def from_website_url(brand) -> str:
    return f"/brands/{brand.pk}/onboarding/basics/from-website/"


def look_up(client, brand, url: str, **headers):
    return client.post(from_website_url(brand), {"url": url}, **headers)


def basics_page(client, brand) -> str:
    response = client.get(step_url(brand, "basics"))
    assert response.status_code == 200
    return response.content.decode()


def test_basics_shows_the_box(alice_client, alice_brand):
    html = basics_page(alice_client, alice_brand)
    assert 'id="website-prefill"' in html
    assert f'action="{from_website_url(alice_brand)}"' in html
    assert "Start from your website" in html


def test_the_page_pre_fills_basics_and_sources_without_saving(alice_client, alice_brand, site):
    response = look_up(alice_client, alice_brand, site.url())
    assert response.status_code == 302
    assert response["Location"] == step_url(alice_brand, "basics") + "#website-prefill"

    html = basics_page(alice_client, alice_brand)
    assert 'value="Bean &amp; Leaf"' in html  # the name input
    assert "Small-batch coffee roasted in Leeds for home baristas" in html
    assert f'value="{site.url()}"' in html  # the website field
    assert html.count("Found on your site.") == 3  # name, positioning, website hints
    assert "Filled in from 127.0.0.1" in html
    assert "@beanandleaf" in html  # listed in the box

    alice_brand.refresh_from_db()
    answers = OnboardingAnswers.objects.get(brand=alice_brand)
    assert alice_brand.name == "Goodie AI"  # nothing saved
    assert answers.basics_completed_at is None and answers.positioning == ""
    assert not SourceConnection.objects.filter(brand=alice_brand).exists()
    assert answers.drafts["sources"]["instagram"] == "@beanandleaf"


def test_the_flash_shows_once(alice_client, alice_brand, site):
    look_up(alice_client, alice_brand, site.url())
    assert "Filled in from" in basics_page(alice_client, alice_brand)
    again = basics_page(alice_client, alice_brand)
    assert "Filled in from" not in again
    assert "Found on your site:" in again  # what was found stays until Basics is saved


def test_saving_basics_saves_the_confirmed_values_and_drops_the_pre_fill(
    alice_client, alice_brand, site
):
    look_up(alice_client, alice_brand, site.url())
    answers = {
        **BASICS,
        "name": "Bean & Leaf",
        "positioning": "Small-batch coffee for home baristas.",
    }
    assert submit(alice_client, alice_brand, "basics", answers).status_code == 302
    alice_brand.refresh_from_db()
    assert alice_brand.name == "Bean & Leaf"
    stored = OnboardingAnswers.objects.get(brand=alice_brand)
    assert "website" not in stored.drafts
    assert "Found on your site" not in basics_page(alice_client, alice_brand)


def test_the_sources_step_shows_the_found_accounts_as_valid_and_saves_them(
    alice_client, alice_brand, site
):
    look_up(alice_client, alice_brand, site.url())
    submit(alice_client, alice_brand, "basics")
    html = alice_client.get(step_url(alice_brand, "sources")).content.decode()
    assert 'value="@beanandleaf"' in html
    assert 'value="https://www.linkedin.com/company/bean-and-leaf"' in html
    assert 'class="error"' not in html
    draft = OnboardingAnswers.objects.get(brand=alice_brand).drafts["sources"]
    response = alice_client.post(step_url(alice_brand, "sources"), draft)
    assert response.status_code == 302
    handles = dict(
        SourceConnection.objects.filter(brand=alice_brand).values_list("platform", "handle")
    )
    assert handles == {
        "instagram": "beanandleaf",
        "tiktok": "beanandleaf",
        "youtube": "@beanandleafcoffee",
        "linkedin": "company/bean-and-leaf",
    }


def test_saved_answers_are_never_overwritten(alice_client, alice_brand, site):
    submit(alice_client, alice_brand, "basics", {"website": ""})
    alice_client.post(step_url(alice_brand, "sources"), {"instagram": "@mine"})
    look_up(alice_client, alice_brand, site.url())
    html = basics_page(alice_client, alice_brand)
    assert f'value="{BASICS["name"]}"' in html
    assert BASICS["positioning"] in html
    assert f'value="{site.url()}"' in html  # the empty website field is filled
    sources = OnboardingAnswers.objects.get(brand=alice_brand).drafts["sources"]
    assert sources["instagram"] == "@mine"
    assert sources["tiktok"] == "@beanandleaf"


def test_what_was_typed_but_not_saved_is_kept(alice_client, alice_brand, site):
    alice_client.post(step_url(alice_brand, "basics"), {"name": "", "audience": "Home baristas"})
    look_up(alice_client, alice_brand, site.url())
    html = basics_page(alice_client, alice_brand)
    assert 'value="Home baristas"' in html
    assert 'value="Bean &amp; Leaf"' in html  # the empty name is filled from the site


def test_only_the_address_is_required(alice_client, alice_brand, site):
    """The box needs nothing but the URL; Basics then needs only what its form needs."""
    response = alice_client.post(from_website_url(alice_brand), {"url": site.url()})
    assert response.status_code == 302
    required = {"country"}  # not on a website; industry and audience are optional
    response = submit(
        alice_client,
        alice_brand,
        "basics",
        {
            "name": "Bean & Leaf",
            "website": "",
            "positioning": "Small-batch coffee for home baristas.",
        },
    )
    assert response.status_code == 302
    response = alice_client.post(
        step_url(alice_brand, "basics"),
        {
            "name": "Bean & Leaf",
            "positioning": "Small-batch coffee for home baristas.",
            "language": "en",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == required


def test_an_outsider_gets_404_and_nothing_is_fetched(bob_client, alice_brand, site):
    response = look_up(bob_client, alice_brand, site.url())
    assert response.status_code == 404
    assert site.seen == []
    assert (
        OnboardingAnswers.objects.filter(brand=alice_brand, drafts__has_key="website").count() == 0
    )


def test_a_get_is_not_allowed(alice_client, alice_brand):
    assert alice_client.get(from_website_url(alice_brand)).status_code == 405


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://127.0.0.1/",
            "That address points inside a private network, so Kairo won&#x27;t fetch it.",
        ),
        ("http://169.254.169.254/latest/meta-data/", "points inside a private network"),
        ("ftp://example.com/", "Kairo only opens web addresses"),
        ("", "Enter your website&#x27;s address, e.g. yourbrand.com."),
    ],
)
def test_refusals_are_shown_in_the_box_in_plain_words(alice_client, alice_brand, url, message):
    response = look_up(alice_client, alice_brand, url)
    assert response.status_code == 302
    html = basics_page(alice_client, alice_brand)
    assert message in html
    assert 'aria-invalid="true"' in html
    assert "Traceback" not in html and "WebsiteError" not in html


def test_a_site_with_nothing_to_read_says_so(alice_client, alice_brand, site):
    site.page("/", "<html><body>Coming soon</body></html>")
    look_up(alice_client, alice_brand, site.url())
    html = basics_page(alice_client, alice_brand)
    assert "found nothing to fill in" in html
    assert "website" not in OnboardingAnswers.objects.get(brand=alice_brand).drafts


def test_look_ups_are_rate_limited_per_user(alice_client, alice_brand, site, settings):
    settings.WEBSITE_FETCH_RATE_LIMIT = 2
    for _ in range(2):
        look_up(alice_client, alice_brand, site.url())
    assert len(site.seen) == 2
    look_up(alice_client, alice_brand, site.url())
    assert len(site.seen) == 2  # the third was not fetched
    assert "looked up a lot of websites" in basics_page(alice_client, alice_brand)


def test_htmx_gets_the_same_redirect_and_the_box_targets_the_step(alice_client, alice_brand, site):
    response = look_up(alice_client, alice_brand, site.url(), HTTP_HX_REQUEST="true")
    assert response.status_code == 302  # HTMX follows it and swaps the step in
    html = basics_page(alice_client, alice_brand)
    assert 'hx-target="closest .wizard-step"' in html and 'hx-select=".wizard-step"' in html
    assert 'value="Bean &amp; Leaf"' in html


def test_the_page_is_never_logged(alice_client, alice_brand, site, caplog):
    caplog.set_level("DEBUG")
    look_up(alice_client, alice_brand, site.url())
    look_up(alice_client, alice_brand, "http://10.0.0.1/")
    assert "Small-batch" not in caplog.text and "<html" not in caplog.text


def test_the_website_field_gets_the_final_address_without_its_query(
    alice_client, alice_brand, site
):
    site.redirect("/", "/en/?utm_source=ad")
    site.page("/en/", BRAND_PAGE)
    look_up(alice_client, alice_brand, site.url())
    assert f'value="{site.url("/en/")}"' in basics_page(alice_client, alice_brand)


def test_a_look_up_that_changes_nothing_says_so(alice_client, alice_brand, site):
    submit(alice_client, alice_brand, "basics", {"website": "https://beanandleaf.example"})
    alice_client.post(
        step_url(alice_brand, "sources"),
        {
            "instagram": "@a",
            "tiktok": "@bee",
            "youtube": "@ccc",
            "linkedin": "linkedin.com/company/dee",
        },
    )
    assert "sources" not in OnboardingAnswers.objects.get(brand=alice_brand).drafts  # saved
    look_up(alice_client, alice_brand, site.url())
    html = basics_page(alice_client, alice_brand)
    assert "Your saved answers already cover it, so nothing was changed" in html
    assert "sources" not in OnboardingAnswers.objects.get(brand=alice_brand).drafts
