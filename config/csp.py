"""Content-Security-Policy header for every response (policy: CSP_POLICY in settings).

Templates that need an inline script use ``<script nonce="{{ request.csp_nonce }}">``; the nonce
is made on first use and only then added to script-src, so pages without inline scripts send
the plain policy.
"""
import secrets

from django.conf import settings


class _Nonce:
    def __init__(self):
        self.value = None

    def __str__(self):
        if self.value is None:
            self.value = secrets.token_urlsafe(18)
        return self.value


def build_policy(nonce=None):
    parts = []
    for directive, sources in settings.CSP_POLICY.items():
        sources = list(sources)
        if nonce and directive == "script-src":
            sources.append(f"'nonce-{nonce}'")
        parts.append(" ".join([directive, *sources]))
    return "; ".join(parts)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        nonce = _Nonce()
        request.csp_nonce = nonce
        response = self.get_response(request)
        header = "Content-Security-Policy-Report-Only" if settings.CSP_REPORT_ONLY else "Content-Security-Policy"
        # A view may set its own policy (none does today); never override it.
        if header not in response:
            response[header] = build_policy(nonce.value)
        return response
