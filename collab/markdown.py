"""Comment bodies: a small Markdown subset rendered by markdown-it-py, then cleaned by nh3.

Both are kept libraries: no HTML is parsed or escaped by our own code. markdown-it runs with raw
HTML off (typed tags come out as text) and images off; nh3 then keeps only the tags and
attributes listed here, and only http(s)/mailto links, each marked rel="noopener noreferrer
nofollow" and opened in a new tab. Nothing loads from elsewhere: no <img> survives.
"""
import hashlib
import re

import nh3
from django.core.cache import cache
from markdown_it import MarkdownIt

ALLOWED_TAGS = {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "s", "hr"}
# No title: every attribute value left is a percent-encoded URL or a number, never text with ">".
ALLOWED_ATTRIBUTES = {"a": {"href"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

_parser = (MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
           .disable(["image", "html_inline", "html_block", "heading", "lheading", "reference"])
           .enable(["strikethrough"]))


_TAG = re.compile(r"(<[^>]*>)")


def _quote_text(html):
    """nh3 writes quotes in text as they are; escape them too, as the rest of our pages do, so that
    no page ever carries a quote-delimited attribute lookalike even as text."""
    return "".join(part if part.startswith("<") else part.replace('"', "&quot;").replace("'", "&#x27;")
                   for part in _TAG.split(html))


def render(body):
    """Safe HTML of a comment body (a str to mark safe in the template)."""
    html = _parser.render(body or "")
    return _quote_text(nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow", set_tag_attribute_values={"a": {"target": "_blank"}},
        strip_comments=True))


# Bump when the subset or the cleaning changes: cached renderings of the old rules are then unused.
RULES_VERSION = 1
CACHE_S = 7 * 24 * 3600


def _key(body):
    return f"comment-html:{RULES_VERSION}:" + hashlib.sha256(body.encode("utf-8", "surrogatepass")).hexdigest()


def render_many(bodies):
    """{body: safe HTML} for a thread: markdown-it costs ~10 ms a comment, so renderings are kept in
    the cache under a hash of the text (an edit is a new text, a new key)."""
    bodies = set(bodies)
    keys = {_key(body): body for body in bodies}
    found = {keys[key]: html for key, html in cache.get_many(list(keys)).items()}
    missing = {key: render(body) for key, body in keys.items() if body not in found}
    if missing:
        cache.set_many(missing, CACHE_S)
        found.update({keys[key]: html for key, html in missing.items()})
    return found
