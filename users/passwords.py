"""Django's password validators with Kairo's wording (AUTH_PASSWORD_VALIDATORS).

The rules are Django's; only what they say changes, so sign-up, reset and set-password
pages all explain a refused password the same plain way.
"""

from __future__ import annotations

from django.contrib.auth import password_validation

HELP_TEXT = "At least 8 characters; not a common password or only numbers."


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"Use at least {self.min_length} characters."

    def get_help_text(self) -> str:
        return f"At least {self.min_length} characters."


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "That's too close to your %(verbose_name)s: choose something less guessable."

    def get_help_text(self) -> str:
        return "Not close to your email address."


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "That's one of the most common passwords: choose something less guessable."

    def get_help_text(self) -> str:
        return "Not a common password."


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "Add a letter or a symbol: a password of only numbers is easy to guess."

    def get_help_text(self) -> str:
        return "Not only numbers."
