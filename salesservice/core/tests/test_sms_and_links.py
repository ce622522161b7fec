"""Issue 12 §16: links customers open point at an address they can reach, with a copy button and a QR code;
text messages go through a pluggable gateway and never in the quiet hours (no 23:20 SMS)."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import RequestFactory
from django.utils import timezone

from salesservice.core import links, sms

pytestmark = pytest.mark.django_db


def _local(hour, minute=0, day=5):
    return timezone.make_aware(dt.datetime(2026, 12, day, hour, minute), timezone.get_current_timezone())


def test_quiet_hours_hold_a_night_message_until_morning(settings):
    settings.SMS_QUIET_HOURS = "21:00-08:00"
    assert sms.quiet_until(_local(23, 20)) == _local(8, 0, day=6)
    assert sms.quiet_until(_local(6, 30)) == _local(8, 0)
    assert sms.quiet_until(_local(14, 0)) is None
    settings.SMS_QUIET_HOURS = ""
    assert sms.quiet_until(_local(23, 20)) is None


def test_the_http_gateway_receives_the_message(settings):
    received = []

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["Authorization"], json.loads(body)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Gateway)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{server.server_port}/send"
    settings.SMS_GATEWAY_TOKEN = "t0ken"
    sms.deliver("13800000000", "【上海徐汇店】请评价本次服务")
    thread.join(5)
    server.server_close()
    assert received == [("Bearer t0ken", {"phone": "13800000000", "text": "【上海徐汇店】请评价本次服务", "sign": ""})]


def test_links_use_the_public_address_or_the_host_staff_use(settings):
    settings.PUBLIC_BASE_URL = ""
    request = RequestFactory().get("/", HTTP_HOST="service.example.com")
    settings.ALLOWED_HOSTS = ["service.example.com"]
    assert links.public_url("/service/accept/x/", request) == "http://service.example.com/service/accept/x/"
    assert links.public_url("/s/", None) == "https://service.example.com/s/"  # a job: the configured host
    settings.PUBLIC_BASE_URL = "https://fw.example.cn"
    assert links.public_url("/s/", request) == "https://fw.example.cn/s/"
    assert links.qr_svg("https://fw.example.cn/s/").startswith("<svg")


def test_the_acceptance_link_is_shown_once_with_copy_and_qr(web_for, demo):
    from salesservice.catalog.tests.factories import ProductFactory
    from salesservice.service.tests.test_api import _resolved

    request = _resolved(ProductFactory())
    client = web_for("xuhui_cs")
    response = client.post(f"/service/requests/{request.pk}/acceptance-link/", follow=True)
    page = response.content.decode()
    assert 'data-testid="share-link"' in page and "<svg" in page and "复制链接" in page
    assert "localhost" not in page.split('id="acceptance-share-url"')[1].split(">")[0]
    assert 'data-testid="share-link"' not in client.get(f"/service/requests/{request.pk}/").content.decode()
