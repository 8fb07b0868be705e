from __future__ import annotations

import uuid
from typing import ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A Kairo account. Local mode authenticates with a password here; Supabase mode
    links the row to the Supabase account by `supabase_uid` (the JWT `sub`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(unique=True)
    supabase_uid = models.UUIDField(unique=True, null=True, blank=True)
    # Set when an account that existed before its Supabase identity is linked to it
    # (users/linking.py): access tokens issued before then are refused, except those of
    # the session that proved the link.
    supabase_linked_at = models.DateTimeField(null=True, blank=True)
    supabase_link_session = models.UUIDField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.email


class AttemptCounter(models.Model):
    """One fixed-window count of attempts (users/ratelimit.py). In the database, so every
    process and every replica counts together; the key is a hash, never an address."""

    key = models.CharField(max_length=64, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.FloatField(db_index=True)  # Unix time the window ends

    def __str__(self) -> str:
        return f"{self.key[:12]}… ×{self.count}"
