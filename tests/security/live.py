"""Real HTTP against a live server: one `Browser` per person (a cookie jar, the CSRF token, a
log-in through the login form), forms read from the HTML the way a browser submits them, and
`at_once` to send several requests in the same instant from threads.

Standard library only (urllib), so the race tests, the SQLite team test and bench/load_test.py
need nothing beyond the app's own requirements.
"""
import http.cookiejar
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FormFields(HTMLParser):
    """The name → value pairs a browser would submit (a list for a multiple select), per form of a page or fragment
    (``forms``: one dict per <form>; fields outside any form go to the first dict)."""

    def __init__(self):
        super().__init__()
        self.forms = [{}]
        self.select = self.textarea = None
        self.multiple = False

    @property
    def fields(self):
        """Every field of the page in one dict (a fragment holding one form)."""
        merged = {}
        for form in self.forms:
            merged.update(form)
        return merged

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        form = self.forms[-1]
        if tag == "form":
            self.forms.append({})
        elif tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio"):
                if "checked" in attrs:  # a group of checkboxes sharing a name sends every ticked one
                    value = attrs.get("value", "on")
                    if attrs.get("type") == "checkbox" and name in form:
                        form[name] = [*(form[name] if isinstance(form[name], list) else [form[name]]), value]
                    else:
                        form[name] = value
            else:
                form[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self.select, self.multiple = name, "multiple" in attrs
            if self.multiple:
                form[name] = []  # every selected option is sent
        elif tag == "option" and self.select:
            if self.multiple:
                if "selected" in attrs:
                    form[self.select].append(attrs.get("value", ""))
            elif "selected" in attrs or self.select not in form:
                form[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.textarea = name
            form[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            form = self.forms[-1]
            if form[self.textarea].startswith("\n"):  # a browser drops the newline after <textarea>
                form[self.textarea] = form[self.textarea][1:]
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.forms[-1][self.textarea] += data


def form_with(html, field):
    """The fields of the first form in ``html`` that has ``field`` (e.g. "version")."""
    parser = FormFields()
    parser.feed(html)
    return next(form for form in parser.forms if field in form)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's cookie jar. ``request`` answers (status, body) for every request, errors
    included; redirects are followed unless ``follow=False``."""

    def __init__(self, base, follow=True):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar)] + ([] if follow else [_NoRedirect()])
        self.opener = urllib.request.build_opener(*handlers)

    def csrf(self):
        return next((cookie.value for cookie in self.jar if cookie.name == "csrftoken"), "")

    def request(self, path, data=None, headers=None, content_type=None, timeout=120):
        headers = {"Accept-Language": "en", **(headers or {})}
        if data is not None:
            headers.update({"X-CSRFToken": self.csrf(), "Referer": self.base + path})
            if content_type:
                headers["Content-Type"] = content_type
            elif isinstance(data, dict):
                data = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.base + path, data=data, headers=headers)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def htmx(self, path, data=None, **kwargs):
        return self.request(path, data, {"HX-Request": "true", **kwargs.pop("headers", {})}, **kwargs)

    def log_in(self, username, password):
        self.request("/accounts/login/")
        return self.request("/accounts/login/", {"username": username, "password": password,
                                                 "csrfmiddlewaretoken": self.csrf()})


def multipart(field, filename, content, content_type=XLSX_TYPE):
    """A one-file multipart body and its Content-Type."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {content_type}\r\n\r\n").encode()
    return body + content + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


class Timed:
    """A request's answer with when it was sent and answered (time.monotonic)."""

    def __init__(self, answer, started, finished):
        (self.status, self.body), self.started, self.finished = answer, started, finished

    def overlaps(self, other):
        return self.started < other.finished and other.started < self.finished


def at_once(calls, delays=None, timeout=180):
    """Run each of ``calls`` (name → function answering (status, body)) in its own thread, all
    released by one barrier (then each waits its ``delays[name]`` seconds); name → Timed."""
    delays = delays or {}
    barrier = threading.Barrier(len(calls))
    results, failures = {}, {}

    def run(name, call):
        barrier.wait()
        time.sleep(delays.get(name, 0))
        started = time.monotonic()
        try:
            answer = call()
        except Exception as error:  # noqa: BLE001 - a connection error is a result the test reports
            failures[name] = error
            answer = ("error", repr(error))
        results[name] = Timed(answer, started, time.monotonic())

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results
