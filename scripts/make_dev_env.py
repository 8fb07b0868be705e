"""Prints a local-development .env with fresh secrets (used once by `make run`)."""

import secrets

from cryptography.fernet import Fernet

print("# Local development settings written by `make run`. Never commit this file.")
print("DJANGO_DEBUG=true")
print(f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}")
print(f"ENCRYPTION_KEY={Fernet.generate_key().decode()}")
