"""接口清单 / 联调: the interfaces an onboarding touches, what the platform requires of them, and
whether each passed joint testing in each environment."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models import InWorkspace, PlanHistory, Product, Scenario


class Direction(models.TextChoices):
    PARTNER_PROVIDES = "partner", _("Partner provides")
    PLATFORM_PROVIDES = "platform", _("Platform provides")


class Method(models.TextChoices):
    GET = "GET", "GET"
    POST = "POST", "POST"
    PUT = "PUT", "PUT"
    PATCH = "PATCH", "PATCH"
    DELETE = "DELETE", "DELETE"
    HEAD = "HEAD", "HEAD"
    OPTIONS = "OPTIONS", "OPTIONS"


class InterfaceSpec(InWorkspace):
    """One imported OpenAPI 3.x / Swagger 2.0 document of a product, kept as it was read."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="interface_specs",
                                verbose_name=_("product"))
    title = models.CharField(_("title"), max_length=255, blank=True)
    api_version = models.CharField(_("API version"), max_length=60, blank=True)
    spec_version = models.CharField(_("format"), max_length=20, blank=True)  # "3.0.3", "2.0"
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    document = models.JSONField(_("document"), default=dict)
    operation_count = models.PositiveIntegerField(_("operations"), default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("imported by"))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    # An import is read and stored first, shown as a diff, and changes the rows only once accepted.
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.PARTNER_PROVIDES)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("interface document")
        verbose_name_plural = _("interface documents")

    def __str__(self):
        return self.title or self.file_name


class Interface(InWorkspace):
    """One operation (method + path) a product's onboarding needs, imported or added by hand."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="interfaces",
                                verbose_name=_("product"))
    spec = models.ForeignKey(InterfaceSpec, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="interfaces", verbose_name=_("from document"))
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    path = models.CharField(_("path"), max_length=500)
    operation_id = models.CharField(_("operation id"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.PARTNER_PROVIDES)
    auth_scheme = models.CharField(_("auth scheme"), max_length=120, blank=True,
                                   help_text=_("Empty when the operation needs no authentication."))
    error_responses = models.JSONField(_("error responses"), default=list, blank=True)  # ["400", "401", "5XX"]
    platform_owner = models.ForeignKey("stakeholders.Stakeholder", on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="+", verbose_name=_("platform owner"))
    partner_owner = models.ForeignKey("stakeholders.Stakeholder", on_delete=models.SET_NULL, null=True,
                                      blank=True, related_name="+", verbose_name=_("partner owner"))
    notes = models.TextField(_("internal notes"), blank=True)
    tasks = models.ManyToManyField("schedule.Task", blank=True, related_name="interfaces",
                                   verbose_name=_("joint-debugging tasks"))
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    history = PlanHistory(excluded_fields=["position"])

    class Meta:
        ordering = ["product", "position", "path", "method"]
        constraints = [models.UniqueConstraint(fields=["product", "method", "path"], name="one_interface_per_operation")]
        verbose_name = _("interface")
        verbose_name_plural = _("interfaces")

    def __str__(self):
        return f"{self.method} {self.path}"


class InterfaceRequirement(InWorkspace):
    """An interface the platform requires of every PaaS access of one scenario kind (e.g. toB:
    instance lifecycle callbacks, SSO, metering report, console embedding)."""

    class Category(models.TextChoices):
        LIFECYCLE = "lifecycle", _("Instance lifecycle")
        SSO = "sso", _("Single sign-on")
        METERING = "metering", _("Usage metering")
        CONSOLE = "console", _("Console embedding")
        OTHER = "other", _("Other")

    class Severity(models.TextChoices):
        BLOCKER = "blocker", _("Blocker")
        MAJOR = "major", _("Major")
        MINOR = "minor", _("Minor")

    scenario_kind = models.CharField(_("demand type"), max_length=8, choices=Scenario.Kind.choices)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices, default=Category.OTHER)
    name = models.CharField(_("name"), max_length=160)
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    path = models.CharField(_("path"), max_length=500,
                            help_text=_("As the partner must expose it; a segment in curly brackets matches any value."))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.PARTNER_PROVIDES)
    requires_auth = models.BooleanField(_("requires authentication"), default=True)
    requires_error_responses = models.BooleanField(_("requires documented error responses"), default=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MAJOR)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["scenario_kind", "position", "id"]
        verbose_name = _("platform interface requirement")
        verbose_name_plural = _("platform interface requirements")

    def __str__(self):
        return f"{self.name} ({self.method} {self.path})"


class Environment(models.TextChoices):
    SANDBOX = "sandbox", _("Sandbox")
    PREPRODUCTION = "preprod", _("Pre-production")
    PRODUCTION = "production", _("Production")


class JointTest(InWorkspace):
    """The joint-test state of one interface in one environment; its history is the test log."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        PASSED = "passed", _("Passed")
        FAILED = "failed", _("Failed")
        BLOCKED = "blocked", _("Blocked")

    interface = models.ForeignKey(Interface, on_delete=models.CASCADE, related_name="joint_tests",
                                  verbose_name=_("interface"))
    environment = models.CharField(_("environment"), max_length=12, choices=Environment.choices)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    request_id = models.CharField(_("request id"), max_length=200, blank=True)
    note = models.TextField(_("internal note"), blank=True)
    evidence = models.ForeignKey("collab.Attachment", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("evidence"))
    tester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("tester"))
    tested_on = models.DateField(_("tested on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = PlanHistory()

    class Meta:
        ordering = ["interface", "environment"]
        constraints = [models.UniqueConstraint(fields=["interface", "environment"], name="one_test_per_environment")]
        verbose_name = _("joint test")
        verbose_name_plural = _("joint tests")

    def __str__(self):
        return f"{self.interface} · {self.get_environment_display()}"
