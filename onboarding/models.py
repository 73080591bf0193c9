"""Steps 1–2 of the brief: the product, its business scenario, the plan and its flows."""
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

CHAIN_SEPARATOR = " → "


class PlanHistory(HistoricalRecords):
    """History of a plan's parts (see onboarding/history_views.py for the page that shows it).

    A save that writes only untracked fields (reordering rows writes just ``position``) leaves
    no entry, so the history holds the changes people care about.
    """

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)

    # A record made by the system has no user and most have no reason: both may be blank, so
    # that history rows pass full_clean like every other row.
    def _get_history_user_fields(self):
        fields = super()._get_history_user_fields()
        if isinstance(fields.get("history_user"), models.Field):
            fields["history_user"].blank = True
        return fields

    def _get_history_change_reason_field(self):
        field = super()._get_history_change_reason_field()
        field.blank = True
        return field


# How long a deleted plan can be restored before the nightly purge removes it.
PLAN_RESTORE_DAYS = 30

# Row order changes on every "move up/down"; it is not a change anyone needs to audit.
ORDER_ONLY = ["position"]


class Workspace(models.Model):
    """A team (e.g. 安全产品接入组): its products, scenarios, people, templates and plans are its own."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")

    def __str__(self):
        return self.name


class WorkspaceMember(models.Model):
    """A user's role in a workspace. What each role may do is decided in onboarding/access.py."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Workspace admin")
        PM = "pm", _("PM")
        MANAGER = "manager", _("Manager")
        VIEWER = "viewer", _("Viewer")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="members",
                                  verbose_name=_("workspace"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workspace_roles",
                             verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.PM)

    class Meta:
        ordering = ["workspace__name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="one_role_per_workspace")]
        verbose_name = _("workspace member")
        verbose_name_plural = _("workspace members")

    def __str__(self):
        return f"{self.user} · {self.workspace} ({self.get_role_display()})"


class InWorkspace(models.Model):
    """Belongs to one workspace; another workspace's users never see it (onboarding/access.py)."""

    workspace = models.ForeignKey(Workspace, on_delete=models.PROTECT, related_name="+", verbose_name=_("workspace"))

    class Meta:
        abstract = True


class Product(InWorkspace):
    class VendorKind(models.TextChoices):
        INTERNAL = "internal", _("Internal team")
        EXTERNAL = "external", _("External company")

    name = models.CharField(_("name"), max_length=120)
    vendor_kind = models.CharField(
        _("vendor kind"), max_length=10, choices=VendorKind.choices, default=VendorKind.EXTERNAL
    )
    vendor_name = models.CharField(_("vendor"), max_length=120, blank=True)
    category = models.CharField(_("category"), max_length=60, blank=True, help_text=_("e.g. security"))
    official_url = models.URLField(_("official site"), blank=True)
    api_docs_url = models.URLField(_("API docs"), blank=True)
    console_url = models.URLField(_("console"), blank=True)
    description = models.TextField(_("short description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("onboarding:product_detail", args=[self.pk])

    @property
    def links_filled(self):
        return sum(bool(url) for url in (self.official_url, self.api_docs_url, self.console_url))


class Scenario(InWorkspace):
    """One business line profile: a row of 业务线 | 需求类型 | 代理人层级模式 | 代理发展方式 | 分销产品需求 | 业务模式特点 | 对接人."""

    class Kind(models.TextChoices):
        TO_C = "toC", _("toC (consumers)")
        TO_B = "toB", _("toB (enterprises)")
        TO_G = "toG", _("toG (government)")
        TO_A = "toA", _("To A (agent channel)")
        OTHER = "other", _("Other")

    name = models.CharField(_("business line"), max_length=120)
    kind = models.CharField(_("demand type"), max_length=8, choices=Kind.choices, default=Kind.TO_B)
    business_model = models.CharField(_("business model"), max_length=200, blank=True)
    channel_chain = models.JSONField(
        _("agent / channel chain"), default=list, blank=True,
        help_text=_("Ordered roles, from the licensed institution to the end user."),
    )
    channel_development = models.TextField(_("how the channel is developed"), blank=True)
    products_distributed = models.TextField(_("products distributed"), blank=True)
    business_model_notes = models.TextField(_("business model notes"), blank=True)
    pain_points = models.TextField(_("pain points"), blank=True)
    service_strategy = models.TextField(_("service strategy"), blank=True)
    contact = models.CharField(_("contact"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def chain_display(self):
        return CHAIN_SEPARATOR.join(self.channel_chain)

    def clean(self):
        if not isinstance(self.channel_chain, list) or not all(
            isinstance(role, str) and role.strip() for role in self.channel_chain
        ):
            raise ValidationError({"channel_chain": _("The chain must be a list of non-empty role names.")})


# The years a plan's dates may fall in (official holiday years use the same range): anything
# else is a typo, and the working-day calendar cannot count days up to Python's year 9999.
FIRST_PLAN_DATE = datetime.date(2000, 1, 1)
LAST_PLAN_DATE = datetime.date(2100, 12, 31)


def validate_plan_date(value):
    if value is not None and not FIRST_PLAN_DATE <= value <= LAST_PLAN_DATE:
        raise ValidationError(
            _("%(value)s is outside the dates a plan can use (%(first)s to %(last)s)."),
            code="plan_date_range",
            params={"value": value, "first": FIRST_PLAN_DATE, "last": LAST_PLAN_DATE},
        )


class Plan(InWorkspace):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        LAUNCHED = "launched", _("Launched")
        CANCELLED = "cancelled", _("Cancelled")

    name = models.CharField(_("name"), max_length=160)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="plans", verbose_name=_("product"))
    scenario = models.ForeignKey(
        Scenario, on_delete=models.PROTECT, related_name="plans", verbose_name=_("scenario"), null=True, blank=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_plans", verbose_name=_("owner")
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="edited_plans", blank=True, verbose_name=_("editors")
    )
    viewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="viewed_plans", blank=True, verbose_name=_("viewers")
    )
    start_date = models.DateField(_("start date"), validators=[validate_plan_date])
    target_launch_date = models.DateField(_("target launch date"), null=True, blank=True,
                                          validators=[validate_plan_date])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Soft delete: a deleted plan vanishes from every page; staff can restore it until it is purged.
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("deleted by"),
    )

    history = PlanHistory(excluded_fields=["updated_at"], m2m_fields=["editors", "viewers"])

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("schedule:plan_overview", args=[self.pk])

    def clean(self):
        if self.start_date and self.target_launch_date and self.target_launch_date < self.start_date:
            raise ValidationError({"target_launch_date": _("The target launch date cannot be before the start date.")})
        if self.workspace_id and self.product_id and self.product.workspace_id != self.workspace_id:
            raise ValidationError({"product": _("This product belongs to another workspace.")})
        if self.workspace_id and self.scenario_id and self.scenario.workspace_id != self.workspace_id:
            raise ValidationError({"scenario": _("This scenario belongs to another workspace.")})


class Flow(models.Model):
    """A cross-functional flow (跨职能流程): lanes of roles or systems, steps in order, key metrics."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="flows", verbose_name=_("plan"))
    name = models.CharField(_("name"), max_length=160)
    need = models.TextField(_("need served"), blank=True, help_text=_("The need the business model targets."))
    features = models.TextField(_("features / services"), blank=True, help_text=_("How the need is implemented."))
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    history = PlanHistory(excluded_fields=ORDER_ONLY)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("flow")
        verbose_name_plural = _("flows")

    def __str__(self):
        return self.name


class Lane(models.Model):
    class Kind(models.TextChoices):
        ROLE = "role", _("Role")
        SYSTEM = "system", _("System")

    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="lanes", verbose_name=_("flow"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.ROLE)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    history = PlanHistory(excluded_fields=ORDER_ONLY)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("lane")
        verbose_name_plural = _("lanes")

    def __str__(self):
        return self.name


class Step(models.Model):
    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="steps", verbose_name=_("flow"))
    lane = models.ForeignKey(Lane, on_delete=models.CASCADE, related_name="steps", verbose_name=_("lane"))
    text = models.CharField(_("text"), max_length=240)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    history = PlanHistory(excluded_fields=ORDER_ONLY)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self):
        return self.text

    def clean(self):
        if self.lane_id and self.flow_id and self.lane.flow_id != self.flow_id:
            raise ValidationError({"lane": _("This lane belongs to another flow.")})


class Metric(models.Model):
    flow = models.ForeignKey(Flow, on_delete=models.CASCADE, related_name="metrics", verbose_name=_("flow"))
    name = models.CharField(_("name"), max_length=120)
    target = models.CharField(_("target"), max_length=80, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    history = PlanHistory(excluded_fields=ORDER_ONLY)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("key metric")
        verbose_name_plural = _("key metrics")

    def __str__(self):
        return self.name
