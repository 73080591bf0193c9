"""Step 3 of the brief: who is involved, what each cares about, how much they matter."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.models import ORDER_ONLY, InWorkspace, Plan, PlanHistory, Step

# Kept by name so that a save spanning the row and its steps can write one record for both
# (see stakeholders/rows.py).
PLAN_STAKEHOLDER_HISTORY = PlanHistory(excluded_fields=ORDER_ONLY, m2m_fields=["steps"])
SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Stakeholder(InWorkspace):
    class Side(models.TextChoices):
        PLATFORM = "platform", _("Platform (internal)")
        PARTNER = "partner", _("Partner / customer")

    name = models.CharField(_("name"), max_length=120)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    department = models.CharField(_("department"), max_length=120, blank=True)
    side = models.CharField(_("side"), max_length=10, choices=Side.choices, default=Side.PLATFORM)
    role = models.CharField(_("position / role"), max_length=120, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="stakeholder_profiles", verbose_name=_("Paasport account"),
    )
    version = models.PositiveIntegerField(default=1)

    history = PlanHistory()

    class Meta:
        ordering = ["name"]
        verbose_name = _("stakeholder")
        verbose_name_plural = _("stakeholders")

    def __str__(self):
        return f"{self.name} · {self.organisation}" if self.organisation else self.name


class PlanStakeholder(models.Model):
    class Audience(models.TextChoices):
        TEAM = "team", _("Internal team")
        PARTNER = "partner", _("Customer / partner")
        MANAGEMENT = "management", _("Management")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="plan_stakeholders", verbose_name=_("plan"))
    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.PROTECT, related_name="plan_roles", verbose_name=_("stakeholder")
    )
    concerns = models.TextField(_("concerns and business metrics"), blank=True)
    steps = models.ManyToManyField(Step, blank=True, related_name="plan_stakeholders", verbose_name=_("flow steps involved"))
    modules = models.CharField(_("modules involved"), max_length=240, blank=True)
    relevance = models.PositiveSmallIntegerField(_("relevance"), default=3, validators=SCORE_VALIDATORS)
    influence = models.PositiveSmallIntegerField(_("influence"), default=3, validators=SCORE_VALIDATORS)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices, default=Audience.TEAM)
    internal_notes = models.TextField(_("internal notes"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("How many tasks this person can work on at once."),
    )
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    # ``version`` stays in the history: it tells which record a stale form started from.
    history = PLAN_STAKEHOLDER_HISTORY

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "stakeholder"], name="unique_stakeholder_per_plan")]
        verbose_name = _("plan stakeholder")
        verbose_name_plural = _("plan stakeholders")

    def __str__(self):
        return str(self.stakeholder)

    def clean(self):
        if self.plan_id and self.stakeholder_id and self.stakeholder.workspace_id != self.plan.workspace_id:
            raise ValidationError({"stakeholder": _("This person belongs to another workspace.")})
        for field in ("relevance", "influence"):
            value = getattr(self, field)
            if value is not None and not 1 <= value <= 5:
                raise ValidationError({field: _("Scores go from 1 to 5.")})

    @property
    def weight(self):
        return self.relevance * self.influence
