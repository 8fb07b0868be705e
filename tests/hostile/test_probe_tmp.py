import pytest
from django.test import Client
pytestmark = pytest.mark.django_db

@pytest.mark.parametrize("body", [b"\x80", "\u1000".encode(), b'"\xe1\x80\x80"', b'{"a":"\xff"}'])
@pytest.mark.parametrize("ct", ["application/json", "application/json; charset=latin-1", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "text/plain"])
def test_p(alice_client, body, ct):
    c = Client(raise_request_exception=True); c.force_login(__import__("users.models").models.User.objects.get())
    r = c.put("/api/user/api-keys/", data=body, content_type=ct)
    print(ct, body, r.status_code, r.content[:100])
