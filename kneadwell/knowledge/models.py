"""What a clinic stores about the knowledge base: its own adjustments to the safety rules."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from kneadwell.knowledge.adjust import Adjustment
from kneadwell.knowledge.loader import load_knowledge


class Tier(models.TextChoices):
    """How soon a physician should be involved (the rule tiers of the knowledge base; what each
    one does is in tiers.yaml)."""

    EMERGENCY = "emergency", "Emergency: do not treat, emergency care now"
    URGENT = "urgent", "Urgent: contact the physician today"
    SOON = "soon", "Soon: refer for review within days to weeks"
    CAUTION = "caution", "Caution: no referral, treat with the changes the rule lists"


def validate_rule_id(value: str) -> None:
    if value not in load_knowledge().rules:
        raise ValidationError(
            "There is no safety rule with the id %(value)s.", params={"value": value}
        )


class RuleAdjustment(models.Model):
    """A clinic's own version of a built-in contraindication or caution rule.

    The clinic may switch a rule off, change how urgent its finding is, set its own pressure
    cap or the pregnancy week a positioning rule starts at (FACTS §8.10: policy), and must say
    why. The built-in rule in the knowledge base is never changed: screening
    uses the adjusted rule for this clinic only, and the library shows both side by side.
    """

    clinic = models.ForeignKey("accounts.Clinic", models.CASCADE, related_name="rule_adjustments")
    rule_id = models.CharField("rule", max_length=100, validators=[validate_rule_id])
    enabled = models.BooleanField(
        "use this rule",
        default=True,
        help_text="Untick to stop this rule raising findings for your clinic's clients.",
    )
    tier = models.CharField(
        "urgency",
        max_length=20,
        choices=Tier.choices,
        blank=True,
        help_text="Leave empty to keep the built-in urgency.",
    )
    max_pressure = models.PositiveSmallIntegerField(
        "maximum pressure",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="Leave empty to keep the built-in pressure cap.",
    )
    from_week = models.PositiveSmallIntegerField(
        "from pregnancy week",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(45)],
        help_text="Leave empty to keep the built-in week.",
    )
    note = models.TextField(
        "reason for the change",
        help_text="Why your clinic departs from the built-in rule, for colleagues and reviewers.",
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["rule_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "rule_id"],
                name="knowledge_one_adjustment_per_rule",
                violation_error_message="Your clinic has already adjusted this rule.",
            ),
            models.CheckConstraint(
                condition=models.Q(max_pressure__isnull=True)
                | models.Q(max_pressure__gte=1, max_pressure__lte=5),
                name="knowledge_max_pressure_on_the_scale",
                violation_error_message="The maximum pressure must be a level from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=models.Q(from_week__isnull=True)
                | models.Q(from_week__gte=1, from_week__lte=45),
                name="knowledge_from_week_1_to_45",
                violation_error_message="The pregnancy week must be from 1 to 45.",
            ),
        ]

    def __str__(self):
        return f"{self.rule_id} adjusted for {self.clinic}"

    def get_absolute_url(self):
        return reverse("knowledge:rule", args=[self.rule_id])

    def as_values(self) -> Adjustment:
        """The plain values that ``adjust.apply_adjustments`` works with."""
        return Adjustment(
            rule_id=self.rule_id,
            enabled=self.enabled,
            tier=self.tier or None,
            max_pressure=self.max_pressure,
            from_week=self.from_week,
        )
