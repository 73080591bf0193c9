"""The Markdown subset of comments, rendered by markdown-it-py and cleaned by nh3."""
from html.parser import HTMLParser

import pytest

from collab.markdown import ALLOWED_TAGS, render


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def tags_of(html):
    parser = Tags()
    parser.feed(html)
    return parser.found


def test_the_subset_renders():
    html = render("**b** _i_ `c` ~~s~~\n\n- one\n- two\n\n1. first\n\n> quoted\n\n```\ncode\n```\n[link](https://e.com)")
    for part in ("<strong>b</strong>", "<em>i</em>", "<code>c</code>", "<s>s</s>", "<ul>", "<ol>", "<blockquote>",
                 "<pre><code>code", '<a href="https://e.com" target="_blank" rel="noopener noreferrer nofollow">'):
        assert part in html


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))", "[x](data:text/html;base64,PHNjcmlwdD4=)", "![i](https://evil.example/t.png)",
    "<a href=\"https://e.com\" onclick=\"alert(1)\">x</a>", "[x](vbscript:msgbox(1))", "<iframe src=//e.com>",
    "# heading <svg onload=alert(1)>", "<style>body{display:none}</style>",
])
def test_nothing_active_survives(payload):
    for tag, attrs in tags_of(render(payload)):
        assert tag in ALLOWED_TAGS, payload
        assert not any(name.startswith("on") or name in ("src", "style") for name in attrs), payload
        if tag == "a":
            assert attrs.get("href", "").lower().startswith(("https:", "http:", "mailto:")), payload
            assert attrs["rel"] == "noopener noreferrer nofollow"


def test_quotes_in_text_are_escaped_and_links_keep_their_address():
    html = render('" onmouseover="alert(1) \' x=\' [a](https://e.com/?q="x">y)')
    assert '" onmouseover="' not in html and "&quot; onmouseover=&quot;" in html and "&#x27; x=&#x27;" in html
    assert [attrs["href"] for tag, attrs in tags_of(html) if tag == "a"] == ["https://e.com/?q=%22x%22%3Ey"]
