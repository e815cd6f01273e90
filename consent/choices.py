"""The fixed vocabularies of the Consent form, shared by the model and the rules."""

from django.db import models


class SignerCapacity(models.TextChoices):
    """Appendix B: "Are you acting as: Parent/Guardian/Carer, Other (please describe)", with the
    two people who may consent for an adult who lacks capacity (Appendix F, MCA 2005)."""

    PARENT = "parent", "Parent"
    GUARDIAN = "guardian", "Guardian"
    CARER = "carer", "Carer"
    ATTORNEY = "attorney", "Attorney under a lasting power of attorney"
    DEPUTY = "deputy", "Deputy appointed by the Court of Protection"
    OTHER = "other", "Other"


class SignatureMethod(models.TextChoices):
    """The portal cannot hold a handwritten signature: it records where the signed paper is."""

    PAPER_ON_FILE = "paper_on_file", "Paper Consent form signed and kept on file"
    RECORDED_FROM_PAPER = (
        "recorded_from_paper",
        "Recorded in the portal by the requesting officer from a signed paper form",
    )


class Inability(models.TextChoices):
    """Appendix F, stage 2 of the test (MCA 2005 s.3(1)): a person is unable to make a decision
    if they cannot do any one of these."""

    UNDERSTAND = "understand", "Understand the information relevant to the decision"
    RETAIN = "retain", "Retain that information"
    USE_OR_WEIGH = "use_or_weigh", "Use or weigh that information to make the decision"
    COMMUNICATE = "communicate", "Communicate the decision by any means"


class WithdrawalMethod(models.TextChoices):
    IN_WRITING = "in_writing", "In writing"
    EMAIL = "email", "By email"
    PHONE = "phone", "By phone"
    IN_PERSON = "in_person", "In person"
    OTHER = "other", "Other"
