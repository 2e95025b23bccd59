"""Why a page did not become an article: a short reason (the stats counter and state
key, e.g. ``http_404``) and a text for a person (``HTTP 404 Not Found``)."""

from __future__ import annotations

import re
from http import HTTPStatus

from scrapy.http import TextResponse
from twisted.python.failure import Failure


def http_reason(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def unusable(response, expect_html: bool = True) -> tuple[str, str] | None:
    """(reason, text) when a response cannot be read, else None."""
    if response.status >= 400:
        return f"http_{response.status}", http_reason(response.status)
    if not response.body.strip():
        return "empty", f"empty response (HTTP {response.status} with no content)"
    ctype = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    if expect_html and (not isinstance(response, TextResponse) or (ctype and "html" not in ctype)):
        return "not_html", f"not an HTML page (Content-Type: {ctype or 'unknown'})"
    return None


def failure_reason(failure: Failure) -> tuple[str, str]:
    """(stats reason, human text) for a download failure."""
    exc = failure.value
    name = type(exc).__name__
    text = str(exc) or name
    lowered = f"{name} {text}".lower()
    if "timeout" in lowered or "timed out" in lowered:
        return "timeout", f"timed out ({text})"
    if "refused" in lowered:
        return "connection_refused", f"connection refused ({text})"
    if "dns" in lowered or "resolve" in lowered:
        return "dns", f"host not found ({text})"
    if "maxsize" in lowered or "max size" in lowered or "cancelled" in lowered:
        return "too_large", f"download cancelled: larger than DOWNLOAD_MAXSIZE ({text})"
    return "network", f"{name}: {text}"


def ignored_reason(message: str) -> tuple[str, str] | None:
    """(stats reason, human text) for a request Scrapy's middlewares refused, or None."""
    offsite = re.search(r"offsite request to '([^']+)'", message)
    if offsite:
        return "offsite_redirect", f"redirected off the site, to {offsite.group(1)}"
    if "max redirections" in message:
        return "redirect_loop", "redirect loop (too many redirections)"
    if "DOWNLOAD_MAXSIZE" in message:
        return "too_large", f"larger than DOWNLOAD_MAXSIZE ({message})"
    if "WARC archive" in message:
        return "not_in_warc", message
    if "corrupt" in message:
        return "corrupt_body", message
    return None
