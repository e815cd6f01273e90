"""The fixed vocabularies of a breach record, shared by the model and the rules."""

from django.db import models


class BreachRisk(models.TextChoices):
    # UK GDPR Art 33(1): a breach "unlikely to result in a risk to the rights and freedoms of
    # natural persons" need not be reported to the ICO; Art 34(1): a high risk is also told to
    # the people affected.
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class IcoDecision(models.TextChoices):
    PENDING = "pending", "Not decided yet"
    REPORTED = "reported", "Reported"
    NOT_REPORTED = "not_reported", "Not reported"


class BreachStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
