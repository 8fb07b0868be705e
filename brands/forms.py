from __future__ import annotations

from django import forms


class BrandCreateForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Brand name",
        help_text="The name your audience knows you by.",
        widget=forms.TextInput(attrs={"autofocus": True, "placeholder": "e.g. Goodie AI"}),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError("Give your brand a name.")
        return name
