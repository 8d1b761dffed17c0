"""Posting a message to a group robot: WeCom (企业微信) and DingTalk (钉钉) incoming webhooks.

Both take a JSON POST and answer HTTP 200 with ``{"errcode": 0, ...}`` when the message was
accepted; any other errcode is a refusal. Timeouts, connection errors, HTTP 5xx and 429 and
the robots' "too many messages" codes are worth another try later (ChannelUnavailable, an
OSError like the SMTP errors, so the send task retries it with backoff); anything else
(a wrong key, a bad signature, a disabled robot) fails at once (ChannelRefused).

Only https addresses on ``REMINDERS_WEBHOOK_HOSTS`` are ever called, checked both when a
channel is saved and before each post, so an address typed into the admin cannot make the
server reach anything else. ``requests`` does the HTTP (with a timeout, no redirects).
"""

import base64
import hashlib
import hmac
import os
import time
import urllib.parse

import requests
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from reminders import crypto
from reminders.models import Channel, ChannelKind

# WeCom: 4096 bytes of markdown content. DingTalk accepts more, but a phone shows little.
MAX_CONTENT_BYTES = 4000
# "API frequency out of limit" (WeCom) and "sending too fast" (DingTalk): wait and try again.
RATE_LIMIT_ERRCODES = {45009, 130101}


class ChannelRefused(Exception):
    """The robot refused the message (or the channel is misconfigured): retrying won't help."""


class ChannelUnavailable(OSError):
    """The robot could not be reached or was overloaded: try again later."""


def check_url(url: str) -> None:
    """Refuse any address but https (http only where the settings allow, i.e. the tests) on
    one of the allowed webhook hosts, without user or password. Raises ValidationError."""
    parts = urllib.parse.urlsplit(url or "")
    schemes = {"https", "http"} if settings.REMINDERS_WEBHOOK_ALLOW_HTTP else {"https"}
    host = (parts.hostname or "").lower()
    if (
        parts.scheme not in schemes
        or host not in {h.lower() for h in settings.REMINDERS_WEBHOOK_HOSTS}
        or parts.username
        or parts.password
    ):
        raise ValidationError(
            _("Only https addresses on these hosts are allowed: %(hosts)s.")
            % {"hosts": ", ".join(settings.REMINDERS_WEBHOOK_HOSTS)},
            code="webhook_host",
        )


def token_of(channel: Channel) -> str:
    return _credential(channel.token_encrypted, channel.token_env)


def secret_of(channel: Channel) -> str:
    return _credential(channel.secret_encrypted, channel.secret_env)


def _credential(encrypted, env_name):
    if env_name:
        return os.environ.get(env_name, "")
    try:
        return crypto.decrypt(encrypted)
    except crypto.SecretUnreadable as exc:
        raise ChannelRefused(str(exc)) from None


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: HMAC-SHA256 of "<timestamp>\\n<secret>" keyed with the secret, in
    base64 (the caller URL-encodes it as a query parameter)."""
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _truncate(text: str) -> str:
    data = text.encode()
    if len(data) <= MAX_CONTENT_BYTES:
        return text
    return data[: MAX_CONTENT_BYTES - 3].decode(errors="ignore") + "…"


def payload_for(kind: str, subject: str, body: str) -> dict:
    """The JSON each robot takes: markdown, the subject in bold (WeCom) or as a heading and
    the card's title (DingTalk)."""
    body = body.strip()
    if kind == ChannelKind.DINGTALK:
        # DingTalk's markdown joins single line breaks; two trailing spaces keep them.
        text = _truncate(f"#### {subject}\n\n" + body.replace("\n", "  \n"))
        return {"msgtype": "markdown", "markdown": {"title": subject, "text": text}}
    return {"msgtype": "markdown", "markdown": {"content": _truncate(f"**{subject}**\n{body}")}}


def address_for(channel: Channel, *, now_ms: int | None = None) -> str:
    """The full address to post to, with the credential (and DingTalk's signature)."""
    url = channel.endpoint
    check_url(url)
    token = token_of(channel)
    if not token:
        raise ChannelRefused("the channel has no token")
    if channel.kind == ChannelKind.DINGTALK:
        query = {"access_token": token}
        secret = secret_of(channel)
        if secret:
            timestamp = now_ms if now_ms is not None else int(time.time() * 1000)
            query |= {"timestamp": str(timestamp), "sign": dingtalk_sign(secret, timestamp)}
    else:
        query = {"key": token}
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + separator + urllib.parse.urlencode(query)


def post(channel: Channel, *, subject: str, body: str) -> None:
    """Post one message to the channel's robot; return when it was accepted, else raise."""
    address = address_for(channel)
    try:
        response = requests.post(
            address,
            json=payload_for(channel.kind, subject, body),
            timeout=settings.REMINDERS_WEBHOOK_TIMEOUT,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        # Never put the address in the error: it holds the token.
        raise ChannelUnavailable(f"{type(exc).__name__} posting to {channel}") from None
    if response.status_code >= 500 or response.status_code == 429:
        raise ChannelUnavailable(f"HTTP {response.status_code} from {channel}")
    if response.status_code != 200:
        raise ChannelRefused(f"HTTP {response.status_code} from {channel}")
    try:
        answer = response.json()
        errcode = int(answer.get("errcode", -1))
    except (ValueError, TypeError, AttributeError):
        raise ChannelRefused(f"unreadable answer from {channel}") from None
    if errcode in RATE_LIMIT_ERRCODES:
        raise ChannelUnavailable(f"errcode {errcode} from {channel}: {answer.get('errmsg', '')}")
    if errcode != 0:
        raise ChannelRefused(f"errcode {errcode} from {channel}: {answer.get('errmsg', '')}"[:500])
