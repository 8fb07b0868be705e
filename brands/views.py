from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from brands.forms import BrandCreateForm
from brands.selectors import brands_for_user, get_brand_for_user
from brands.services import brand_create


def brand_list(request: HttpRequest) -> HttpResponse:
    brands = brands_for_user(request.user)
    return render(request, "brands/list.html", {"brands": brands})


@require_http_methods(["GET", "POST"])
def brand_new(request: HttpRequest) -> HttpResponse:
    form = BrandCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        brand = brand_create(owner=request.user, name=form.cleaned_data["name"])
        messages.success(request, f"{brand.name} created. Let's teach Kairo about it.")
        return redirect(brand_start_url(brand))
    status = 400 if request.method == "POST" else 200
    return render(request, "brands/new.html", {"form": form}, status=status)


def brand_start_url(brand) -> str:
    """Where a new brand goes first: onboarding if the app has it, else its home."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("brands:onboarding", args=[brand.pk])
    except NoReverseMatch:
        return reverse("brands:home", args=[brand.pk])


def brand_home(request: HttpRequest, brand_id: UUID) -> HttpResponse:
    brand = get_brand_for_user(request.user, brand_id)
    return render(request, "brands/home.html", {"brand": brand})
