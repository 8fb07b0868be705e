"""gunicorn's access log (kairo/access_log.py): the request line, query, path and
referrer atoms never carry an email link's one-time token or any unknown query value."""

from __future__ import annotations

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from kairo.access_log import MASK, RedactingLogger, redact_uri

SECRET = "a1b2c3d4e5f60718293a4b5c6d7e8f90"


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        (
            f"/auth/confirm?token_hash={SECRET}&type=recovery",
            f"/auth/confirm?token_hash={MASK}&type=recovery",
        ),
        (
            f"/auth/confirm?type=email&token_hash={SECRET}&next=/brands/",
            f"/auth/confirm?type=email&token_hash={MASK}&next=/brands/",
        ),
        (f"/password-reset/MQ/{SECRET}/", f"/password-reset/MQ/{MASK}/"),
        ("/password-reset/MQ/set-password/", "/password-reset/MQ/set-password/"),
        (f"/anything?access_token={SECRET}", f"/anything?access_token={MASK}"),
        (f"/x?{SECRET}", f"/x?{MASK}"),  # a bare value is masked whole
        ("/brands/?page=2", "/brands/?page=2"),
        ("/brands/", "/brands/"),
        ("/login?", "/login?"),
    ],
)
def test_secret_parts_of_urls_are_masked(uri, expected):
    assert redact_uri(uri) == expected


def test_every_atom_of_the_access_log_is_clean():
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/auth/confirm?token_hash={SECRET}&type=email",
        "PATH_INFO": "/auth/confirm",
        "QUERY_STRING": f"token_hash={SECRET}&type=email",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.7",
        "HTTP_REFERER": f"https://kairo.example/auth/confirm?token_hash={SECRET}",
    }
    response = SimpleNamespace(status="302 Found", headers=[], sent=0)
    request = SimpleNamespace(
        headers=[("REFERER", environ["HTTP_REFERER"]), ("AUTHORIZATION", f"Bearer {SECRET}")]
    )
    atoms = logger.atoms(response, request, environ, datetime.timedelta(milliseconds=5))
    assert SECRET not in repr(atoms)
    assert atoms["r"] == f"GET /auth/confirm?token_hash={MASK}&type=email HTTP/1.1"
    assert atoms["q"] == f"token_hash={MASK}&type=email"


def test_gunicorn_uses_it():
    namespace: dict = {}
    source = (Path(__file__).resolve().parents[2] / "gunicorn.conf.py").read_text()
    exec(compile(source, "gunicorn.conf.py", "exec"), namespace)  # noqa: S102
    assert namespace["logger_class"] == "kairo.access_log.RedactingLogger"
    assert "%(r)s" in namespace["access_log_format"]  # the request line, masked
