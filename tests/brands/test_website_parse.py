"""Reading a brand's home page: name, description and the accounts it links to."""

from __future__ import annotations

import pytest

from brands.handles import normalize_handle
from brands.website_parse import DESCRIPTION_MAX, read_site, social_handles
from tests.brands.website_double import BRAND_PAGE

SITE = "https://www.beanandleaf.example/"


def test_a_real_looking_page_gives_name_description_and_every_account():
    facts = read_site(BRAND_PAGE, SITE)
    assert facts.name == "Bean & Leaf"  # og:site_name, entities decoded
    assert facts.description == (
        "Small-batch coffee roasted in Leeds for home baristas: beans, kit and latte-art lessons."
    )
    shown = {platform: handle.display for platform, handle in facts.handles.items()}
    assert shown == {
        "instagram": "@beanandleaf",  # header and footer spellings are one account
        "tiktok": "@beanandleaf",  # protocol-relative //tiktok.com link, and a video link
        "youtube": "https://www.youtube.com/@beanandleafcoffee",
        "linkedin": "https://www.linkedin.com/company/bean-and-leaf",  # beats the founder
    }


def test_handles_normalise_exactly_like_the_sources_step():
    facts = read_site(BRAND_PAGE, SITE)
    for platform, handle in facts.handles.items():
        assert normalize_handle(platform, handle.url) == handle
        assert normalize_handle(platform, handle.display) == handle


@pytest.mark.parametrize(
    ("href", "platform", "display"),
    [
        ("https://instagram.com/shop.name", "instagram", "@shop.name"),
        ("http://m.instagram.com/Shop_Name/", "instagram", "@shop_name"),
        ("https://www.tiktok.com/@Shop.Name?lang=en", "tiktok", "@shop.name"),
        (
            "https://www.youtube.com/@ShopName/videos",
            "youtube",
            "https://www.youtube.com/@shopname",
        ),
        ("https://youtube.com/c/ShopName", "youtube", "https://www.youtube.com/c/ShopName"),
        (
            "https://www.youtube.com/user/shopname",
            "youtube",
            "https://www.youtube.com/user/shopname",
        ),
        (
            "https://www.youtube.com/channel/UC1234567890abcdefghijkl",
            "youtube",
            "https://www.youtube.com/channel/UC1234567890abcdefghijkl",
        ),
        (
            "https://linkedin.com/company/shop-name/about/",
            "linkedin",
            "https://www.linkedin.com/company/shop-name",
        ),
        ("https://www.linkedin.com/in/founder", "linkedin", "https://www.linkedin.com/in/founder"),
    ],
)
def test_every_kind_of_profile_link(href, platform, display):
    found = social_handles([href], SITE)
    assert {p: h.display for p, h in found.items()} == {platform: display}


@pytest.mark.parametrize(
    "href",
    [
        "/instagram",  # the site's own page, relative
        "instagram/beanandleaf",  # relative: resolves on the brand's own site
        "https://www.instagram.com/p/Cx1abc/",
        "https://www.instagram.com/explore/tags/latteart/",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ",  # short links can't be checked offline
        "https://www.tiktok.com/tag/latteart",
        "https://www.linkedin.com/shareArticle?mini=true",
        "https://www.linkedin.com/feed/",
        "mailto:hello@instagram.com",
        "javascript:alert('instagram.com/x')",
        "ftp://instagram.com/beanandleaf",
        "https://notinstagram.com/beanandleaf",
    ],
)
def test_links_that_are_not_a_profile_are_ignored(href):
    assert social_handles([href], SITE) == {}


def test_the_most_linked_account_wins_and_ties_go_to_the_first():
    links = [
        "https://instagram.com/brand_es",
        "https://instagram.com/brand",
        "https://instagram.com/Brand/",
        "https://tiktok.com/@first",
        "https://tiktok.com/@second",
    ]
    found = social_handles(links, SITE)
    assert found["instagram"].handle == "brand"
    assert found["tiktok"].handle == "first"


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ("Bean & Leaf | Small-batch coffee", "Bean & Leaf"),
        ("Latte art at home – Bean and Leaf", "Bean and Leaf"),  # matches the domain
        ("Home - Beanandleaf", "Beanandleaf"),  # "Home" is never the name
        ("Shop coffee online · Roasters", "Shop coffee online"),  # no match: the first part
        ("Bean-and-Leaf", "Bean-and-Leaf"),  # a hyphen inside a word doesn't split
    ],
)
def test_the_name_comes_from_the_title_without_og_site_name(title, name):
    html = (
        f"<html><head><title>{title}</title></head><body><svg><title>x</title></svg></body></html>"
    )
    assert read_site(html, SITE).name == name


def test_description_falls_back_to_meta_description_and_is_cut_at_a_word():
    long = "word " * 100
    html = (
        f'<meta name="description" content="{long}"><meta name="twitter:description" content="no">'
    )
    description = read_site(html, SITE).description
    assert len(description) <= DESCRIPTION_MAX
    assert description.endswith("word…")


def test_an_icons_svg_title_is_not_the_page_title():
    html = "<svg><title>Cart</title></svg><title>Bean &amp; Leaf</title>"
    assert read_site(html, SITE).name == "Bean & Leaf"


def test_a_page_with_nothing_useful_is_empty():
    facts = read_site("<html><body><p>Coming soon</p></body></html>", SITE)
    assert facts.is_empty


def test_broken_html_still_reads():
    html = "<title>Bean & Leaf</title><meta property='og:description' content='Coffee <b>roasters'><a href=https://instagram.com/bean"
    facts = read_site(html, SITE)
    assert facts.name == "Bean & Leaf"
    assert facts.description == "Coffee <b>roasters"  # shown as text, escaped by the template
