"""Every brands and users form speaks Kairo's words (never Django's stock messages), says
a problem once, and says the same thing as you type and on submit."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from brands.forms import STEP_FORMS, BrandCreateForm, DetailsForm, avoid_conflicts
from brands.handles import HandleError, normalize_handle, with_article
from kairo.forms import _stock_texts
from tests.brands.helpers import step_url, submit, validate_url
from users.forms import CredentialsForm, SignupForm
from users.models import User
from users.password_reset import NewPasswordForm, ResetRequestForm

STOCK_FRAGMENTS = ("Ensure this value", "This field is required", "Enter a valid", "Select a valid")


def garbage(form: forms.BaseForm) -> list[dict[str, str]]:
    """Submissions that trip every kind of check: empty, far too long, not a choice,
    not a URL or address, a NUL character."""
    names = list(form.fields)
    return [
        dict.fromkeys(names, ""),
        dict.fromkeys(names, "x" * 5000),
        dict.fromkeys(names, "not a choice, a url or an email"),
        dict.fromkeys(names, "ab\x00c"),
        dict.fromkeys(names, "12"),
    ]


def all_messages(form_factory) -> list[str]:
    found: list[str] = []
    for data in garbage(form_factory(None)):
        form = form_factory(data)
        form.is_valid()
        found += [message for errors in form.errors.values() for message in errors]
    return found


FORMS = {
    "brand-new": BrandCreateForm,
    **{f"step-{name}": cls for name, cls in STEP_FORMS.items()},
    "log-in": CredentialsForm,
    "sign-up": SignupForm,
    "reset-request": ResetRequestForm,
}


@pytest.mark.parametrize("name", FORMS)
def test_no_form_says_djangos_stock_words(name):
    messages = all_messages(FORMS[name])
    assert messages, "the garbage should have been refused"
    stock = _stock_texts()
    for message in messages:
        assert message not in stock, message
        assert not any(fragment in message for fragment in STOCK_FRAGMENTS), message


@pytest.mark.django_db
def test_set_password_form_speaks_plainly(alice):
    messages = all_messages(lambda data: NewPasswordForm(alice, data))
    messages += all_messages(
        lambda data: NewPasswordForm(
            alice, data and {"new_password1": "Long-enough-1", "new_password2": "Long-enough-2"}
        )
    )
    assert "The two passwords aren't the same: type it again." in messages
    assert "Choose a password." in messages
    for message in messages:
        assert not any(fragment in message for fragment in STOCK_FRAGMENTS), message
        assert "didn’t match" not in message


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("short1", "Use at least 8 characters."),
        ("password123", "That's one of the most common passwords"),
        ("3141592653589", "Add a letter or a symbol"),
        ("nadia.rossi@example.com", "That's too close to your email:"),
    ],
)
def test_password_rules_in_kairos_words(password, expected):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, User(email="nadia.rossi@example.com"))
    assert any(expected in message for message in refused.value.messages), refused.value.messages


def test_sign_up_password_length_in_plain_words():
    form = SignupForm({"email": "new@example.com", "password": "abc"})
    assert form.errors["password"] == ["Use at least 8 characters (you have 3)."]


def test_required_messages_name_the_field_or_say_what_to_do():
    form = CredentialsForm({})
    assert form.errors == {
        "email": ["Enter your email address."],
        "password": ["Enter your password."],
    }
    assert BrandCreateForm({}).errors == {"name": ["Give your brand a name."]}


# The website: one message, the same live and on submit ----------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("website", ["not a website", "ftp://goodie.ai", "javascript:alert(1)"])
def test_a_bad_website_is_one_message_live_and_on_submit(alice_client, alice_brand, website):
    submitted = submit(alice_client, alice_brand, "basics", {"website": website})
    assert submitted.status_code == 400
    on_submit = list(submitted.context["form"].errors["website"])
    live = alice_client.post(validate_url(alice_brand, "basics", "website"), {"website": website})
    assert on_submit == ["That doesn't look like a web address. Try https://yourbrand.com."]
    html = live.content.decode()
    assert html.count('class="error"') == 1
    assert "That doesn&#x27;t look like a web address. Try https://yourbrand.com." in html
    assert submitted.content.decode().count("look like a web address") == 1


# Handles: the article before a platform's name ----------------------------------------


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("Instagram", "an Instagram"),
        ("TikTok", "a TikTok"),
        ("YouTube", "a YouTube"),
        ("LinkedIn", "a LinkedIn"),
        ("Uber", "an Uber"),
        ("Unicorn", "a Unicorn"),
    ],
)
def test_with_article(word, expected):
    assert with_article(word) == expected


@pytest.mark.parametrize(
    ("field", "link", "expected"),
    [
        ("tiktok", "instagram.com/goodie", "That's an Instagram link; this field is for TikTok."),
        ("instagram", "tiktok.com/@goodie", "That's a TikTok link; this field is for Instagram."),
        ("linkedin", "youtube.com/@goodie", "That's a YouTube link; this field is for LinkedIn."),
        ("youtube", "linkedin.com/in/goodie", "That's a LinkedIn link; this field is for YouTube."),
    ],
)
def test_wrong_platform_link_uses_the_right_article(field, link, expected):
    with pytest.raises(HandleError) as refused:
        normalize_handle(field, link)
    assert str(refused.value).startswith(expected)


# Details: "Will be saved as" and avoid-vs-pillar warnings -------------------------------


@pytest.fixture
def at_details(alice_client, alice_brand):
    assert submit(alice_client, alice_brand, "basics").status_code == 302
    assert submit(alice_client, alice_brand, "sources").status_code == 302
    return alice_brand


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "typed", "preview"),
    [
        ("hashtags", "#latte art", "Will be saved as #latte #art"),
        ("hashtags", "#Latte, ##ART", "Will be saved as #latte #art"),
        ("keywords", "oat milk, cold brew", "Will be saved as oat milk · cold brew"),
    ],
)
def test_details_lists_preview_how_they_will_be_saved(
    alice_client, at_details, field, typed, preview
):
    html = alice_client.post(validate_url(at_details, "details", field), {field: typed})
    assert preview in html.content.decode()


@pytest.mark.django_db
def test_no_preview_next_to_an_error(alice_client, at_details):
    html = alice_client.post(
        validate_url(at_details, "details", "hashtags"), {"hashtags": "#ok #not-ok"}
    ).content.decode()
    assert "isn&#x27;t a hashtag" in html and "Will be saved as" not in html


@pytest.mark.parametrize(
    ("pillars", "avoid", "warned"),
    [
        (["Latte art"], ["latte art"], ["latte art"]),
        (["Food politics", "Recipes"], ["politics"], ["politics"]),
        (["Coffee"], ["coffee culture wars"], ["coffee culture wars"]),
        (["Coffee"], ["tea"], []),
        (["Art"], ["party"], []),  # whole words only: "art" isn't in "party"
    ],
)
def test_avoid_conflicts(pillars, avoid, warned):
    warnings = avoid_conflicts(pillars, avoid)
    assert len(warnings) == len(warned)
    for topic, warning in zip(warned, warnings, strict=True):
        assert warning.startswith(f"“{topic}” is a topic to avoid, but it matches your pillar")


@pytest.mark.django_db
def test_avoid_warning_while_typing_on_submit_and_on_compile(alice_client, at_details):
    data = {
        "pillars": "Latte art\nHome brewing",
        "keywords": "latte",
        "avoid": "Latte art",
    }
    live = alice_client.post(validate_url(at_details, "details", "avoid"), data).content.decode()
    assert 'id="step-warnings"' in live and 'hx-swap-oob="true"' in live
    assert live.count("is a topic to avoid") == 1
    # Typing in Pillars refreshes the same area; typing elsewhere doesn't touch it.
    pillars = alice_client.post(validate_url(at_details, "details", "pillars"), data)
    assert "is a topic to avoid" in pillars.content.decode()
    keywords = alice_client.post(validate_url(at_details, "details", "keywords"), data)
    assert "step-warnings" not in keywords.content.decode()

    # A warning never blocks the step; an error elsewhere shows it once under the form.
    invalid = submit(alice_client, at_details, "details", {**data, "tone": "t" * 201})
    assert invalid.status_code == 400
    assert invalid.content.decode().count("is a topic to avoid") == 1
    saved = submit(alice_client, at_details, "details", data)
    assert saved.status_code == 302
    details = alice_client.get(step_url(at_details, "details")).content.decode()
    assert details.count("is a topic to avoid") == 1
    compile_page = alice_client.get(step_url(at_details, "compile")).content.decode()
    assert "“Latte art” is a topic to avoid, but it matches your pillar “Latte art”" in compile_page


def test_details_form_without_conflicts_has_no_warnings():
    form = DetailsForm({"pillars": "Coffee", "keywords": "coffee", "avoid": "tea"})
    assert form.is_valid(), form.errors
    assert form.warnings() == []
