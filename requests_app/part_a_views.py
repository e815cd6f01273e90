"""Part A as a task list (GOV.UK "complete multiple tasks"): each section its own page, saved to
the draft; a question only when it applies (rules.py decides); then "Check your answers" and
"Accept and send". Each view parses input, calls one service or workflow function, and picks a
response."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.people import roles
from governance.people.access import AccessRefused
from requests_app import permissions, rules, selectors, services, workflow
from requests_app.forms import (
    AboutThePersonForm,
    AboutYouForm,
    ConsentObtainedForm,
    LegislationForm,
    PartAForm,
    PartASectionForm,
    PublicInterestForm,
    SignatureForm,
    WhatYouNeedForm,
)
from requests_app.models import InformationRequest, Status
from requests_app.pdf import protective_marking
from ui.problems import Problem, add_to_form
from ui.templatetags.govuk import govuk_date

COMPLETED = "Completed"
INCOMPLETE = "Incomplete"
CANNOT_START = "Cannot start yet"
# Where a "Change" link from the check answers page comes back to.
FROM_CHECK = "check"


@dataclass(frozen=True)
class Page:
    """One question page of a section; `applies` reads the saved answers (rules.py)."""

    slug: str
    title: str
    form: type[PartASectionForm]
    applies: Callable[[InformationRequest], bool] = lambda req: True


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    pages: tuple[Page, ...]
    # The section can be started only once these answers are saved.
    needs: Callable[[InformationRequest], bool] = lambda req: True

    @property
    def fields(self) -> set[str]:
        return {name for page in self.pages for name in page.form.base_fields}


def _consent_applies(req: InformationRequest) -> bool:
    return rules.consent_question_applies(req.subject_role)


def _public_interest_applies(req: InformationRequest) -> bool:
    return rules.public_interest_reason_required(
        subject_role=req.subject_role, consent_obtained=req.consent_obtained
    )


ABOUT_YOU = Section("about-you", "About you", (Page("about-you", "About you", AboutYouForm),))
SECTIONS = (
    ABOUT_YOU,
    Section(
        "about-the-person",
        "About the person",
        (Page("about-the-person", "About the person", AboutThePersonForm),),
    ),
    Section(
        "what-you-need",
        "What you need and why",
        (Page("what-you-need", "What you need and why", WhatYouNeedForm),),
    ),
    Section(
        "consent",
        "Consent and public interest",
        (
            Page("consent", "Consent", ConsentObtainedForm, _consent_applies),
            Page(
                "public-interest", "Public interest", PublicInterestForm, _public_interest_applies
            ),
        ),
        # The questions asked depend on the person's role (Appendix B footnote 1).
        needs=lambda req: bool(req.subject_role),
    ),
    Section(
        "legislation",
        "Legislation",
        (Page("legislation", "Legislation", LegislationForm),),
    ),
)
PAGES = {page.slug: (section, page) for section in SECTIONS for page in section.pages}


@dataclass(frozen=True)
class Task:
    section: Section
    status: str
    href: str

    @property
    def done(self) -> bool:
        return self.status == COMPLETED


def _unmet(req: InformationRequest) -> list[Problem]:
    """Everything Part A still lacks: the rules the submit transition refuses on."""
    return rules.unmet_for_submit(req, today=timezone.localdate())


def _first_page(section: Section, req: InformationRequest) -> Page | None:
    return next((page for page in section.pages if page.applies(req)), None)


def _tasks(req: InformationRequest | None) -> list[Task]:
    if req is None:
        return [
            Task(ABOUT_YOU, INCOMPLETE, reverse("requests_app:new_about_you")),
            *(Task(section, CANNOT_START, "") for section in SECTIONS[1:]),
        ]
    unmet = {problem.field for problem in _unmet(req)}
    tasks = []
    for section in SECTIONS:
        page = _first_page(section, req)
        if not section.needs(req) or page is None:
            tasks.append(Task(section, CANNOT_START, ""))
            continue
        status = INCOMPLETE if unmet & section.fields else COMPLETED
        tasks.append(Task(section, status, _page_url(req, page)))
    return tasks


def _page_for_field(req: InformationRequest, field: str) -> Page | None:
    """The question page that asks `field`, if it is asked for these answers."""
    for section in SECTIONS:
        for page in section.pages:
            if field in page.form.base_fields and section.needs(req) and page.applies(req):
                return page
    return None


def _page_url(req: InformationRequest, page: Page, *, from_check: bool = False) -> str:
    url = reverse("requests_app:part_a_page", args=[req.reference, page.slug])
    return f"{url}?from={FROM_CHECK}" if from_check else url


def _get_draft(request: HttpRequest, reference: str) -> InformationRequest:
    try:
        req = selectors.request_detail(reference=reference)
    except InformationRequest.DoesNotExist:
        raise Http404("No request with that reference") from None
    if not permissions.can_edit(request.user, req):
        raise AccessRefused(obj=req, detail="edit request")
    return req


def _audit_read(request: HttpRequest, req: InformationRequest, page: str) -> None:
    # The page shows Part A's personal details: reading it is audited like the request page.
    audit.record(
        action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=request.user, obj=req, detail=page
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """The task list of a request not yet started (GET). A POST of the whole of Part A at once
    (PartAForm, as the paper form) still saves a draft, for clients that send it in one go."""
    if not roles.can_request(request.user):
        raise AccessRefused(detail="new request")
    if request.method == "GET":
        return render(
            request, "requests_app/part_a_task_list.html", {"req": None, "tasks": _tasks(None)}
        )
    form = PartAForm(
        request.POST, requester=request.user, initial=PartAForm.initial_for(None, request.user)
    )
    if form.is_valid():
        try:
            req = services.request_create(requester=request.user, data=form.to_model_data())
        except services.PartAIncomplete as exc:
            add_to_form(form, exc.problems)
        else:
            messages.success(request, f"Draft request {req.reference} saved. Check your answers.")
            return redirect("requests_app:check_answers", reference=req.reference)
    return render(request, "requests_app/request_form.html", {"form": form, "req": None})


@login_required
@require_http_methods(["GET", "POST"])
def request_new_about_you(request: HttpRequest) -> HttpResponse:
    """The first section: saving it creates the draft and its reference."""
    if not roles.can_request(request.user):
        raise AccessRefused(detail="new request")
    form = AboutYouForm(
        request.POST or None,
        requester=request.user,
        initial=AboutYouForm.initial_for(None, request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_draft_start(requester=request.user, data=form.to_model_data())
        except services.PartAIncomplete as exc:
            add_to_form(form, exc.problems)
        else:
            messages.success(request, f"Draft request {req.reference} saved.")
            return redirect("requests_app:task_list", reference=req.reference)
    return render(
        request,
        "requests_app/part_a_page.html",
        {"req": None, "form": form, "section": ABOUT_YOU, "page": ABOUT_YOU.pages[0]},
    )


@login_required
def request_task_list(request: HttpRequest, reference: str) -> HttpResponse:
    """A draft's sections; a request sent back for more information is changed through the same
    sections, then the requester replies and signs again (protocol 9.2)."""
    req = _get_draft(request, reference)
    tasks = _tasks(req)
    sent_back = req.status == Status.MORE_INFORMATION
    if sent_back:
        _audit_read(request, req, "Part A: change the request")
    return render(
        request,
        "requests_app/part_a_task_list.html",
        {
            "req": req,
            "tasks": tasks,
            "completed": sum(task.done for task in tasks),
            "ready": all(task.done for task in tasks),
            "sent_back": sent_back,
            # protocol 9.5: the question asked may name the person.
            "marking": protective_marking(req) if sent_back else "",
            "can_delete_draft": permissions.can_delete_draft(request.user, req),
        },
    )


def _next_url(req: InformationRequest, section: Section, page: Page, from_check: bool) -> str:
    """The next page of the section that applies to the answers now saved, else the task list
    (or the check answers page, when the change came from there)."""
    later = section.pages[section.pages.index(page) + 1 :]
    following = next((p for p in later if p.applies(req)), None)
    if following is not None:
        return _page_url(req, following, from_check=from_check)
    if from_check:
        return _check_url(req)
    return reverse("requests_app:task_list", args=[req.reference])


def _check_url(req: InformationRequest) -> str:
    """A draft's answers are checked before it is signed and sent; a request sent back is checked
    where the requester replies and signs again."""
    if req.status == Status.MORE_INFORMATION:
        return reverse("requests_app:provide_more_information", args=[req.reference])
    return reverse("requests_app:check_answers", args=[req.reference])


@login_required
@require_http_methods(["GET", "POST"])
def request_part_a_page(request: HttpRequest, reference: str, page: str) -> HttpResponse:
    if page not in PAGES:
        raise Http404("No such page")
    req = _get_draft(request, reference)
    section, this_page = PAGES[page]
    if not (section.needs(req) and this_page.applies(req)):
        # The question does not apply to the answers saved: it is not asked.
        return redirect("requests_app:task_list", reference=reference)
    from_check = request.GET.get("from") == FROM_CHECK
    form_class = this_page.form
    form = form_class(
        request.POST or None,
        requester=request.user,
        req=req,
        initial=form_class.initial_for(req, request.user),
        fixed_fields=rules.fixed_part_a_fields(req),
    )
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_section_update(
                reference=reference, editor=request.user, data=form.to_model_data()
            )
        except services.PartAIncomplete as exc:
            add_to_form(form, exc.problems)
        else:
            return redirect(_next_url(req, section, this_page, from_check))
    _audit_read(request, req, f"Part A: {this_page.title.lower()}")
    return render(
        request,
        "requests_app/part_a_page.html",
        {
            "req": req,
            "form": form,
            "section": section,
            "page": this_page,
            "marking": protective_marking(req),  # protocol 9.5, as on the printed form
        },
    )


@dataclass(frozen=True)
class Answer:
    key: str
    value: str
    href: str


def _answers(req: InformationRequest) -> list[tuple[Section, list[Answer]]]:
    """Part A as the check answers page lists it, each answer with a link to its question."""

    def at(page: str, field: str) -> str:
        return f"{_page_url(req, PAGES[page][1], from_check=True)}#id_{field}"

    legislation = [str(item) for item in req.legislation.all()]
    if req.legislation_other:
        legislation.append(req.legislation_other)
    about_you = [
        Answer("Name", req.requester_name, ""),
        Answer("Position", req.requester_position, ""),
        Answer("Email address", req.requester_email, ""),
        Answer(
            "Organisation/department",
            req.requester_department,
            at("about-you", "requester_department"),
        ),
        Answer("Address", req.requester_address, at("about-you", "requester_address")),
        Answer("Contact phone number", req.requester_phone, at("about-you", "requester_phone")),
        Answer(
            "Partner organisation asked",
            req.receiving_organisation.name,
            ""
            if "receiving_organisation" in rules.fixed_part_a_fields(req)
            else at("about-you", "receiving_organisation"),
        ),
    ]
    person = [
        Answer("Name", req.subject_name, at("about-the-person", "subject_name")),
        Answer("Address", req.subject_address, at("about-the-person", "subject_address")),
        Answer(
            "Date of birth",
            govuk_date(req.subject_dob) or "Not known",
            at("about-the-person", "subject_dob"),
        ),
        Answer("Role", req.get_subject_role_display(), at("about-the-person", "subject_role")),
    ]
    need = [
        Answer(
            "Information required",
            req.information_description,
            at("what-you-need", "information_description"),
        ),
        Answer("Required by", govuk_date(req.required_by), at("what-you-need", "required_by")),
        Answer("Urgent", "Yes" if req.is_urgent else "No", at("what-you-need", "is_urgent")),
    ]
    if req.is_urgent:
        need.append(
            Answer("Reason it is urgent", req.urgency_reason, at("what-you-need", "urgency_reason"))
        )
    consent = []
    if _consent_applies(req):
        consent.append(
            Answer(
                "Consent obtained",
                req.get_consent_obtained_display(),
                at("consent", "consent_obtained"),
            )
        )
    if _public_interest_applies(req):
        consent.append(
            Answer(
                "In the public interest",
                req.get_public_interest_display(),
                at("public-interest", "public_interest"),
            )
        )
        if req.public_interest_reason:
            consent.append(
                Answer(
                    "Why",
                    req.public_interest_reason,
                    at("public-interest", "public_interest_reason"),
                )
            )
    return [
        (section, answers)
        for section, answers in zip(
            SECTIONS,
            (
                about_you,
                person,
                need,
                consent,
                [Answer("Legislation", "\n".join(legislation), at("legislation", "legislation"))],
            ),
            strict=True,
        )
        if answers
    ]


def check_answers_context(
    request: HttpRequest, req: InformationRequest, form: SignatureForm | None = None
) -> dict[str, Any]:
    unmet = _unmet(req)
    return {
        "req": req,
        "marking": protective_marking(req),  # protocol 9.5, as on the printed form
        "answers": _answers(req),
        "unmet": unmet,
        "tasks": [task for task in _tasks(req) if not task.done],
        "form": form or SignatureForm(signer=request.user),
        "can_send": not unmet and workflow.TRANSITIONS["submit"].allowed(request.user, req),
    }


@login_required
def request_check_answers(request: HttpRequest, reference: str) -> HttpResponse:
    """Part A's answers, each with a "Change" link, then "Accept and send" (the signature)."""
    req = _get_draft(request, reference)
    if req.status != Status.DRAFT:
        return redirect(_check_url(req))
    _audit_read(request, req, "check your answers")
    return render(
        request, "requests_app/part_a_check_answers.html", check_answers_context(request, req)
    )


@login_required
@require_http_methods(["POST"])
def request_submit(request: HttpRequest, reference: str) -> HttpResponse:
    """Accept and send: the requester's typed signature, then the confirmation page."""
    try:
        req = selectors.request_detail(reference=reference)
    except InformationRequest.DoesNotExist:
        raise Http404("No request with that reference") from None
    if not permissions.is_requester(request.user, req):
        raise AccessRefused(obj=req, detail="submit")
    form = SignatureForm(request.POST, signer=request.user)
    if form.is_valid():
        try:
            workflow.transition(
                reference=reference,
                action="submit",
                actor=request.user,
                signature_name=form.cleaned_data["signature_name"],
            )
        except workflow.TransitionNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("requests_app:submitted", reference=reference)
    _audit_read(request, req, "check your answers")
    return render(
        request,
        "requests_app/part_a_check_answers.html",
        check_answers_context(request, req, form),
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, reference: str) -> HttpResponse:
    """A draft, or a request sent back for more information, is changed through its task list:
    GET goes there, or with `?field=` to the question page that asks that field. A POST of the
    whole of Part A at once (PartAForm, as the paper form) still saves the changes."""
    req = _get_draft(request, reference)
    if request.method == "GET":
        page = _page_for_field(req, request.GET.get("field", ""))
        if page is None:
            return redirect("requests_app:task_list", reference=reference)
        field = request.GET["field"]
        widget = page.form.base_fields[field].widget
        # A list of checkboxes or radios has no one labelled input: its first option.
        anchor = widget.id_for_label(f"id_{field}") or f"id_{field}_0"
        return redirect(f"{_page_url(req, page)}#{anchor}")
    form = PartAForm(
        request.POST or None,
        requester=request.user,
        initial=PartAForm.initial_for(req, request.user),
        fixed_fields=rules.fixed_part_a_fields(req),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(
                reference=reference, editor=request.user, data=form.to_model_data()
            )
        except services.PartAIncomplete as exc:
            add_to_form(form, exc.problems)
        else:
            messages.success(request, "Your changes have been saved.")
            if req.status == Status.DRAFT:
                return redirect("requests_app:check_answers", reference=reference)
            return redirect("requests_app:detail", reference=reference)
    _audit_read(request, req, "edit page")
    return render(
        request,
        "requests_app/request_form.html",
        {"form": form, "req": req, "marking": protective_marking(req)},
    )
