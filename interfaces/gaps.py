"""A product's interfaces checked against what the platform requires of its scenario kinds.

Plain Python over rows: ``check(interfaces, requirements)`` lists the gaps — a required operation
missing, offered with another method, without authentication, or without documented error
responses — each with a severity and a message in the user's language.
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .models import InterfaceRequirement

Severity = InterfaceRequirement.Severity
SEVERITY_ORDER = {Severity.BLOCKER: 0, Severity.MAJOR: 1, Severity.MINOR: 2}


class Kind:
    MISSING = "missing"
    WRONG_METHOD = "wrong_method"
    NO_AUTH = "no_auth"
    NO_ERRORS = "no_errors"


KIND_LABELS = {
    Kind.MISSING: _("Missing operation"),
    Kind.WRONG_METHOD: _("Wrong method"),
    Kind.NO_AUTH: _("No authentication"),
    Kind.NO_ERRORS: _("No error responses"),
}


@dataclass
class Gap:
    requirement: InterfaceRequirement
    kind: str
    severity: str
    interface: object = None
    found_methods: tuple = ()

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]

    @property
    def severity_label(self):
        return Severity(self.severity).label

    @property
    def message(self):
        required = f"{self.requirement.method} {self.requirement.path}"
        if self.kind == Kind.MISSING:
            return _("%(required)s is not in the product's interfaces.") % {"required": required}
        if self.kind == Kind.WRONG_METHOD:
            return _("%(path)s is there with %(found)s, the platform calls it with %(method)s.") % {
                "path": self.requirement.path, "found": ", ".join(self.found_methods), "method": self.requirement.method}
        if self.kind == Kind.NO_AUTH:
            return _("%(operation)s needs no authentication; the platform requires it.") % {
                "operation": self.interface}
        return _("%(operation)s documents no 4xx/5xx or default response.") % {"operation": self.interface}


def _segments(path):
    return [segment for segment in path.split("?", 1)[0].strip().strip("/").split("/")]


def _is_placeholder(segment):
    return segment.startswith("{") and segment.endswith("}")


def path_matches(required, actual):
    """Same segments, where a {placeholder} on either side matches any one segment
    ("/v1/instances/{instanceId}" matches "/v1/instances/{id}")."""
    wanted, have = _segments(required), _segments(actual)
    if len(wanted) != len(have):
        return False
    return all(a == b or _is_placeholder(a) or _is_placeholder(b) for a, b in zip(wanted, have))


def check(interfaces, requirements):
    interfaces = list(interfaces)
    gaps = []
    for requirement in requirements:
        same_path = [row for row in interfaces if path_matches(requirement.path, row.path)]
        match = next((row for row in same_path if row.method == requirement.method), None)
        if match is None:
            if same_path:
                gaps.append(Gap(requirement, Kind.WRONG_METHOD, requirement.severity,
                                found_methods=tuple(sorted({row.method for row in same_path}))))
            else:
                gaps.append(Gap(requirement, Kind.MISSING, requirement.severity))
            continue
        if requirement.requires_auth and not match.auth_scheme.strip():
            gaps.append(Gap(requirement, Kind.NO_AUTH, requirement.severity, interface=match))
        if requirement.requires_error_responses and not match.error_responses:
            gaps.append(Gap(requirement, Kind.NO_ERRORS, Severity.MINOR, interface=match))
    gaps.sort(key=lambda gap: (SEVERITY_ORDER.get(gap.severity, 9), gap.requirement.position, gap.requirement.pk or 0))
    return gaps


def summary(gaps):
    counts = {severity: 0 for severity in Severity.values}
    for gap in gaps:
        counts[gap.severity] = counts.get(gap.severity, 0) + 1
    return [(Severity(severity).label, severity, count) for severity, count in counts.items()]
