"""Every URL pattern of the project, found from the URL configuration, with its parameters filled.

Shared by the security tests and tests/sharing/test_share_token_matrix.py, so that a new URL is
covered by all of them the day it is added.
"""
import re

from django.urls import URLPattern, URLResolver, get_resolver

PARAM = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


def walk(resolver=None, prefix="", namespace=""):
    """(route text with converters, full name) of every URL pattern, nested resolvers included."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "api":
            # The REST API answers JSON to tokens, not pages to sessions: tests/api/ walks every
            # operation of its schema with its own authorization matrix.
            continue
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, prefix + _text(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + _text(entry.pattern), f"{namespace}{entry.name}" if entry.name else None


def _text(pattern):
    return str(pattern).lstrip("^").rstrip("$")


def key_of(route, name):
    """The expectation-table key of a pattern: its name, or its route when it has none."""
    return name or route


def fill(route, value_for):
    """The path of a route, each parameter replaced by value_for(name, converter, segment before it)."""
    out, position = [], 0
    for match in PARAM.finditer(route):
        before = route[:match.start()].rstrip("/").rsplit("/", 1)[-1]
        name = match.group("name") or match.group("group")
        converter = match.group("converter") or ("str" if match.group("name") else "regex")
        out.append(route[position:match.start()])
        out.append(str(value_for(name, converter, before)))
        position = match.end()
    out.append(route[position:])
    return "/" + "".join(out)
