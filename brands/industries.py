"""The industries the Basics step offers, and how a brand maps onto TikTok's trend
categories.

TikTok Trends (`clockworks/tiktok-trends-scraper`, mirroring TikTok Creative Center)
filters hashtags by one of a fixed list of industries (`adsHashtagIndustry`; see
docs/reference/apify.md §4.5). Our own industry select is friendlier than that
list, so each of our industries names the Creative Center categories it belongs to,
and a keyword table lets the brand's pillars and positioning add the categories its
content actually touches (a coffee brand whose pillar is "remote work" also gets
Business Services). The mapping is deterministic: same answers, same categories.
"""

from __future__ import annotations

import re

# TikTok Creative Center hashtag industries, exactly as the actor expects them.
CREATIVE_CENTER_INDUSTRIES: tuple[str, ...] = (
    "Apparel & Accessories",
    "Baby, Kids & Maternity",
    "Beauty & Personal Care",
    "Business Services",
    "Education",
    "Financial Services",
    "Food & Beverage",
    "Games",
    "Health",
    "Home Improvement",
    "Household Products",
    "Life Services",
    "News & Entertainment",
    "Pets",
    "Sports & Outdoor",
    "Tech & Electronics",
    "Travel",
    "Vehicle & Transportation",
)

# (value stored, label shown, Creative Center categories it implies)
INDUSTRIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("apparel", "Fashion & Apparel", ("Apparel & Accessories",)),
    ("automotive", "Automotive & Mobility", ("Vehicle & Transportation",)),
    ("beauty", "Beauty & Personal Care", ("Beauty & Personal Care",)),
    ("consulting", "Business Services & Consulting", ("Business Services",)),
    ("electronics", "Consumer Electronics", ("Tech & Electronics",)),
    ("education", "Education", ("Education",)),
    ("finance", "Finance & Fintech", ("Financial Services",)),
    ("food", "Food & Beverage", ("Food & Beverage",)),
    ("gaming", "Gaming", ("Games",)),
    ("health", "Health & Wellness", ("Health", "Life Services")),
    ("home", "Home & Household", ("Household Products", "Home Improvement")),
    ("marketing", "Marketing & Advertising", ("Business Services",)),
    ("media", "Media & Entertainment", ("News & Entertainment",)),
    ("nonprofit", "Nonprofit & Public Sector", ()),
    ("parenting", "Parenting & Kids", ("Baby, Kids & Maternity",)),
    ("pets", "Pets", ("Pets",)),
    ("real_estate", "Real Estate", ("Life Services",)),
    ("retail", "Retail & E-commerce", ()),
    ("software", "Software", ("Tech & Electronics",)),
    ("sports", "Sports & Fitness", ("Sports & Outdoor",)),
    ("travel", "Travel & Hospitality", ("Travel",)),
    ("other", "Other", ()),
)

INDUSTRY_CHOICES = [(value, label) for value, label, _ in INDUSTRIES]
INDUSTRY_LABELS = {value: label for value, label, _ in INDUSTRIES}
_INDUSTRY_CATEGORIES = {value: categories for value, _, categories in INDUSTRIES}

# Words and phrases (lower case, whole words) that point at a Creative Center category.
# Comma-separated so the table stays readable (and compact) as data.
_TREND_KEYWORD_TEXT: dict[str, str] = {
    "Apparel & Accessories": (
        "fashion, apparel, clothing, clothes, streetwear, shoes, sneakers, jewelry, "
        "jewellery, accessories, outfit, outfits, style, wardrobe"
    ),
    "Baby, Kids & Maternity": (
        "baby, babies, kids, children, parenting, parents, maternity, pregnancy, "
        "toddler, toddlers, moms, dads, family"
    ),
    "Beauty & Personal Care": (
        "beauty, skincare, skin care, makeup, cosmetics, haircare, hair, fragrance, "
        "perfume, grooming, nails, self care"
    ),
    "Business Services": (
        "marketing, b2b, seo, advertising, branding, brand strategy, sales, consulting, "
        "agency, entrepreneur, entrepreneurs, entrepreneurship, small business, "
        "startup, startups, productivity, leadership, hiring, recruiting, "
        "content strategy, content marketing, social media, remote work, founders, growth, "
        "search visibility, ecommerce, e commerce"
    ),
    "Education": (
        "education, learning, teaching, teachers, students, courses, course, tutoring, "
        "study, studying, school, university, edtech, language learning, tutorials"
    ),
    "Financial Services": (
        "finance, fintech, investing, investment, banking, money, budgeting, crypto, "
        "insurance, personal finance, credit, savings, payments, tax"
    ),
    "Food & Beverage": (
        "food, coffee, tea, recipe, recipes, cooking, restaurant, restaurants, "
        "beverage, beverages, drinks, baking, snacks, nutrition, cafe, wine, beer, "
        "vegan, brewing"
    ),
    "Games": "gaming, games, game, esports, gamer, gamers, console, streaming",
    "Health": (
        "health, healthcare, wellness, mental health, therapy, nutrition, medical, "
        "supplements, sleep, pharmacy, dental"
    ),
    "Home Improvement": (
        "home improvement, renovation, remodeling, diy, tools, garden, gardening, "
        "interior design, decor, flooring, plumbing"
    ),
    "Household Products": (
        "home, household, cleaning, kitchen, furniture, appliances, organization"
    ),
    "Life Services": ("real estate, dating, wedding, weddings, local, events, sustainability"),
    "News & Entertainment": (
        "news, entertainment, movies, movie, music, film, tv, celebrity, podcast, "
        "podcasts, media, comedy, culture, books, art, memes"
    ),
    "Pets": "pets, pet, dogs, dog, cats, cat, puppy, veterinary, pet care",
    "Sports & Outdoor": (
        "sports, sport, fitness, workout, workouts, running, outdoor, outdoors, hiking, "
        "yoga, gym, cycling, football, soccer, basketball, camping, training, athletes"
    ),
    "Tech & Electronics": (
        "ai, artificial intelligence, software, saas, tech, technology, app, apps, "
        "gadget, gadgets, electronics, developer, developers, coding, cloud, data, "
        "cybersecurity, smartphone, smartphones, computer, computers, automation, "
        "machine learning, llm, chatgpt, generative"
    ),
    "Travel": (
        "travel, tourism, hotel, hotels, vacation, vacations, flights, hospitality, "
        "destinations, trip, trips, adventure"
    ),
    "Vehicle & Transportation": (
        "cars, car, automotive, vehicle, vehicles, ev, evs, electric vehicles, "
        "motorcycle, motorcycles, transportation, mobility, logistics, shipping"
    ),
}
TREND_KEYWORDS: dict[str, tuple[str, ...]] = {
    category: tuple(p.strip() for p in text.split(","))
    for category, text in _TREND_KEYWORD_TEXT.items()
}

MAX_TREND_INDUSTRIES = 3
# An explicit industry choice outweighs any number of incidental keyword hits.
_INDUSTRY_WEIGHT = 100
_PILLAR_WEIGHT = 3
_POSITIONING_WEIGHT = 1


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _phrase_hits(words: list[str], phrase: str) -> int:
    target = phrase.split()
    width = len(target)
    return sum(1 for i in range(len(words) - width + 1) if words[i : i + width] == target)


def _keyword_score(text: str) -> dict[str, int]:
    words = _words(text)
    scores: dict[str, int] = {}
    for category, phrases in TREND_KEYWORDS.items():
        hits = sum(_phrase_hits(words, p) for p in phrases)
        if hits:
            scores[category] = hits
    return scores


def map_trend_industries(industry: str, pillars: list[str], positioning: str) -> list[str]:
    """Up to three Creative Center categories, strongest first (ties in list order).

    An empty list means "no category fits": the trends recipe then asks for all
    industries rather than a wrong one.
    """
    scores = dict.fromkeys(CREATIVE_CENTER_INDUSTRIES, 0)
    for category in _INDUSTRY_CATEGORIES.get(industry, ()):
        scores[category] += _INDUSTRY_WEIGHT
    for pillar in pillars:
        # Each pillar votes once per category, however many of its words match.
        for category in _keyword_score(pillar):
            scores[category] += _PILLAR_WEIGHT
    for category, hits in _keyword_score(positioning).items():
        scores[category] += _POSITIONING_WEIGHT * hits
    order = {name: i for i, name in enumerate(CREATIVE_CENTER_INDUSTRIES)}
    ranked = sorted((c for c, s in scores.items() if s > 0), key=lambda c: (-scores[c], order[c]))
    return ranked[:MAX_TREND_INDUSTRIES]
