"""Pages of the Request/Disclosure workflow. Each view parses input, calls one selector, service or
workflow function, and picks a response."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.people import roles
from governance.people.access import AccessRefused
from requests_app import conversation, pdf, permissions, rules, selectors, services, workflow
from requests_app.conversation_forms import ExtensionForm, GiveBackForm, ReplyAndSignatureForm
from requests_app.forms import (
    AssignForm,
    DecisionForm,
    DetailsReasonForm,
    MoreInformationForm,
    SignatureForm,
)
from requests_app.inbox_forms import (
    NAVIGATION,
    InboxFilterForm,
    MyRequestsFilterForm,
    search_kind,
)
from requests_app.list_rows import request_rows
from requests_app.models import Attachment, InformationRequest, PartAVersion, Status
from ui.problems import add_to_form

PAGE_SIZE = 25


def _get(reference: str) -> InformationRequest:
    try:
        return selectors.request_detail(reference=reference)
    except InformationRequest.DoesNotExist:
        raise Http404("No request with that reference") from None


@dataclass(frozen=True)
class Tab:
    label: str
    count: int
    count_text: str
    href: str
    current: bool


def _tabs(
    query: QueryDict, tabs: list[str], labels: dict[str, str], result: selectors.RequestList
) -> list[Tab]:
    """The list's tabs, each keeping the search and filters (never the page number)."""
    kept = [(k, v) for k, values in query.lists() if k not in NAVIGATION for v in values]
    return [
        Tab(
            labels[tab],
            result.counts.of(tab),
            result.counts.text_of(tab),
            "?" + urlencode([("tab", tab), *kept]),
            tab == result.tab,
        )
        for tab in tabs
    ]


def _audit_search(
    user: object, where: str, filters: selectors.ListFilters, result: selectors.RequestList
) -> None:
    """A search is a read of what the person may see: recorded with what it was by and how many
    it found, never the words typed when they may be a person's name (10.5.2)."""
    if not filters.search:
        return
    found = result.page.paginator.count
    audit.record(
        action=AuditAction.SEARCH_MADE,
        actor=user,
        detail=f"{where} search by {search_kind(filters.search)}, {result.tab} tab: "
        f"{found} result{'' if found == 1 else 's'}",
    )


@login_required
def request_list_mine(request: HttpRequest) -> HttpResponse:
    if not roles.can_request(request.user):
        raise AccessRefused(detail="my requests")
    form = MyRequestsFilterForm(request.GET or None)
    filters = form.filters()
    result = selectors.request_list_for_requester(
        user=request.user, filters=filters, page_number=request.GET.get("page"), page_size=PAGE_SIZE
    )
    _audit_search(request.user, "my requests", filters, result)
    labels = dict(selectors.MineTab.choices)
    return render(
        request,
        "requests_app/request_list.html",
        {
            "page": result.page,
            "rows": request_rows(result.page, inbox=False),
            "tab": result.tab,
            "tabs": _tabs(request.GET, list(selectors.MineTab.values), labels, result),
            "tab_label": labels[result.tab],
            "form": form,
            "searching": bool(filters.search or filters.status or filters.due_before),
            "query": request.GET.copy(),
        },
    )


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not roles.sees_inbox(request.user):
        raise AccessRefused(detail="inbox")
    form = InboxFilterForm(request.GET or None)
    filters = form.filters()
    result = selectors.request_list_for_inbox(
        user=request.user, filters=filters, page_number=request.GET.get("page"), page_size=PAGE_SIZE
    )
    _audit_search(request.user, "inbox", filters, result)
    labels = dict(selectors.InboxTab.choices)
    return render(
        request,
        "requests_app/inbox.html",
        {
            "page": result.page,
            "rows": request_rows(result.page, inbox=True),
            "tab": result.tab,
            "tabs": _tabs(request.GET, selectors.inbox_tabs_for(request.user), labels, result),
            "tab_label": labels[result.tab],
            "form": form,
            "searching": bool(filters.search or filters.status or filters.due_before),
            "query": request.GET.copy(),
        },
    )


@login_required
def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    req = _get(reference)
    user = request.user
    if req.status == Status.DRAFT and permissions.can_edit(user, req):
        # A draft is worked on through its Part A task list, then "Check your answers".
        return redirect("requests_app:task_list", reference=reference)
    if not permissions.can_view_summary(user, req) and not permissions.can_view_personal_details(
        user, req
    ):
        raise AccessRefused(obj=req, detail="view request")
    show_personal = permissions.can_view_personal_details(user, req)
    # Reads are audited: opening personal details leaves its own event (10.5.2, DPA 2018 s.62).
    audit.record(
        action=AuditAction.PERSONAL_DETAILS_VIEWED if show_personal else AuditAction.REQUEST_VIEWED,
        actor=user,
        obj=req,
    )
    return render(
        request,
        "requests_app/request_detail.html",
        _detail_context(user, req, show_personal, history_page=request.GET.get("history")),
    )


def _detail_context(
    user: object,
    req: InformationRequest,
    show_personal: bool,
    signature_form: object = None,
    history_page: object = None,
) -> dict[str, object]:
    actions = workflow.available_actions(user, req)
    timeline = selectors.request_history(req=req, page_number=history_page)
    # A move the requester signs shows as a signature form rather than a button.
    signed_action = next((action for action in actions if action.signed), None)
    if signature_form is None and signed_action is not None:
        # protocol 9.2: sending a request back after a question needs the requester's reply.
        form_class = (
            ReplyAndSignatureForm
            if "provide_more_information" in signed_action.actions
            else SignatureForm
        )
        signature_form = form_class(signer=user)
    sent_back, changes = PartAVersion.latest_changes(req) if show_personal else (None, [])
    requester_view = permissions.is_requester(user, req)
    return {
        "req": req,
        "show_personal": show_personal,
        # protocol 9.5: the record's protective marking, as on the PDF, wherever its personal
        # details show.
        "marking": pdf.protective_marking(req) if show_personal else "",
        "deadline": req.deadline(),
        "requester_view": requester_view,
        # The requester reads what was shared and what they must do with it first, their own
        # Part A folded below; while it is theirs to change (draft, sent back) it stays open.
        "fold_part_a": requester_view and req.status not in (Status.DRAFT, Status.MORE_INFORMATION),
        "conversation": conversation.thread(req),
        "can_extend": permissions.can_extend(user, req) and req.clock_running,
        "buttons": [action for action in actions if not action.signed],
        "signed_action": signed_action,
        "sent_back": sent_back,
        "part_a_changes": changes,
        "can_edit": permissions.can_edit(user, req),
        "can_delete_draft": permissions.can_delete_draft(user, req),
        "can_open_details": not show_personal and permissions.can_open_personal_details(user, req),
        # 7.4: the receiving SPOCs see each other's recorded reasons for opening the details.
        "details_accesses": selectors.details_accesses_for_review(req=req)
        if permissions.is_receiving_spoc(user, req)
        else [],
        "signature_form": signature_form,
        "timeline": timeline,
        "decision": getattr(req, "decision_record", None),
        "disclosure": getattr(req, "disclosure", None),
    }


@login_required
@require_http_methods(["GET", "POST"])
def request_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    """Confirm page (GET) and the move itself (POST) for actions with no data of their own."""
    if action not in workflow.confirm_page_actions():
        raise Http404("Unknown action")
    req = _get(reference)
    transition = workflow.TRANSITIONS[action]
    if not transition.allowed(request.user, req):
        raise AccessRefused(obj=req, detail=action)
    error = ""
    if request.method == "POST":
        try:
            workflow.transition(reference=reference, action=action, actor=request.user)
        except workflow.TransitionNotAllowed as exc:
            error = str(exc)
        else:
            messages.success(request, f"Request {reference}: {transition.target.label.lower()}.")
            if action == "withdraw":
                return redirect("requests_app:mine")
            return redirect("requests_app:detail", reference=reference)
    elif req.status not in transition.source:
        error = workflow.cannot_message(action, req)
    return render(
        request,
        "requests_app/request_confirm.html",
        {
            "req": req,
            "action": action,
            "label": transition.label,
            "explanation": transition.confirm_text,
            "button_class": workflow.button_class(transition.style),
            "error": error,
        },
        status=409 if error and request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_open_details(request: HttpRequest, reference: str) -> HttpResponse:
    """The receiving SPOC gives a reason to see a request's personal details (ADR 0002)."""
    req = _get(reference)
    if not permissions.can_open_personal_details(request.user, req):
        raise AccessRefused(obj=req, detail="open personal details")
    form = DetailsReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.personal_details_access_open(
            reference=reference, user=request.user, reason=form.cleaned_data["reason"]
        )
        return redirect("requests_app:detail", reference=reference)
    return render(request, "requests_app/request_open_details.html", {"req": req, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def request_delete_draft(request: HttpRequest, reference: str) -> HttpResponse:
    """Confirm page (GET) and deletion (POST) of a draft its requester will not send."""
    req = _get(reference)
    if not permissions.is_requester(request.user, req):
        raise AccessRefused(obj=req, detail="delete draft")
    error = workflow.draft_delete_refusal(request.user, req)
    if request.method == "POST" and not error:
        try:
            workflow.draft_delete(reference=reference, actor=request.user)
        except workflow.TransitionNotAllowed as exc:
            error = str(exc)
        else:
            messages.success(request, f"Draft {reference} deleted.")
            return redirect("requests_app:mine")
    return render(
        request,
        "requests_app/request_confirm.html",
        {
            "req": req,
            "action": "delete",
            "label": "Delete draft",
            "explanation": "The draft and any consent forms recorded on it will be deleted. "
            "It has not been sent, so no partner has seen it.",
            "button_class": workflow.button_class(workflow.WARNING),
            "error": error,
        },
        status=409 if error and request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_provide_more_information(request: HttpRequest, reference: str) -> HttpResponse:
    """The requester checks what they changed and signs again (GET), and sends the updated
    request back to the disclosing officer (POST) (protocol 9.2)."""
    req = _get(reference)
    action = "provide_more_information"
    transition = workflow.TRANSITIONS[action]
    if not transition.allowed(request.user, req):
        raise AccessRefused(obj=req, detail=action)
    form = ReplyAndSignatureForm(request.POST or None, signer=request.user)
    error = ""
    refused = False
    if not workflow.state_allows(action, req):
        error = workflow.cannot_message(action, req)
    elif request.method == "POST" and form.is_valid():
        try:
            workflow.transition(
                reference=reference,
                action=action,
                actor=request.user,
                signature_name=form.cleaned_data["signature_name"],
                reply=form.cleaned_data["reply"],
            )
        except workflow.TransitionNotAllowed as exc:
            add_to_form(form, exc.problems)
            refused = True
        else:
            messages.success(request, f"Request {reference}: {transition.target.label.lower()}.")
            return redirect("requests_app:detail", reference=reference)
    sent_back, changes = PartAVersion.latest_changes(req)
    # The page shows Part A's answers as changed: reading it is audited like the request page.
    audit.record(
        action=AuditAction.PERSONAL_DETAILS_VIEWED,
        actor=request.user,
        obj=req,
        detail="send the updated request",
    )
    return render(
        request,
        "requests_app/request_provide_more_information.html",
        {
            "req": req,
            "form": form,
            "label": transition.label,
            "explanation": transition.confirm_text,
            "button": transition.button_label(req),
            "sent_back": sent_back,
            "part_a_changes": changes,
            "error": error,
            "conversation": conversation.thread(req),
            "show_personal": True,
            "marking": pdf.protective_marking(req),
        },
        status=200 if request.method == "GET" else (409 if error or refused else 400),
    )


@login_required
def request_submitted(request: HttpRequest, reference: str) -> HttpResponse:
    req = _get(reference)
    if not permissions.is_requester(request.user, req):
        raise AccessRefused(obj=req, detail="confirmation")
    return render(request, "requests_app/request_submitted.html", {"req": req})


def _not_now(
    request: HttpRequest, req: InformationRequest, action: str, form: object, template: str
) -> HttpResponse:
    """The table does not allow this move from the request's state: say so, offer no form."""
    return render(
        request,
        template,
        {"req": req, "form": form, "closed": True, "error": workflow.cannot_message(action, req)},
        status=409 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_assign(request: HttpRequest, reference: str) -> HttpResponse:
    req = _get(reference)
    if not permissions.can_assign(request.user, req):
        raise AccessRefused(obj=req, detail="assign")
    form = AssignForm(request.POST or None, organisation=req.receiving_organisation)
    if not workflow.state_allows("assign", req):
        return _not_now(request, req, "assign", form, "requests_app/request_assign.html")
    if request.method == "POST" and form.is_valid():
        try:
            workflow.transition(
                reference=reference,
                action="assign",
                actor=request.user,
                officer=form.cleaned_data["officer"],
            )
        except workflow.TransitionNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Request {reference} assigned.")
            return redirect("requests_app:detail", reference=reference)
    return render(request, "requests_app/request_assign.html", {"req": req, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def request_more_information(request: HttpRequest, reference: str) -> HttpResponse:
    req = _get(reference)
    if not permissions.is_assigned_discloser(request.user, req):
        raise AccessRefused(obj=req, detail="ask for more information")
    form = MoreInformationForm(request.POST or None)
    if not workflow.state_allows("request_more_information", req):
        return _not_now(
            request,
            req,
            "request_more_information",
            form,
            "requests_app/request_more_information.html",
        )
    if request.method == "POST" and form.is_valid():
        try:
            workflow.transition(
                reference=reference,
                action="request_more_information",
                actor=request.user,
                note=form.cleaned_data["note"],
            )
        except workflow.TransitionNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The requester has been asked for more information.")
            return redirect("requests_app:detail", reference=reference)
    # The page shows the request's personal details: reading it is audited (DPA 2018 s.62).
    audit.record(
        action=AuditAction.PERSONAL_DETAILS_VIEWED,
        actor=request.user,
        obj=req,
        detail="more information page",
    )
    return render(
        request,
        "requests_app/request_more_information.html",
        {
            "req": req,
            "form": form,
            "conversation": conversation.thread(req),
            "show_personal": True,
            "marking": pdf.protective_marking(req),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_give_back(request: HttpRequest, reference: str) -> HttpResponse:
    """The assigned disclosing officer who cannot take a request on gives it back to the queue,
    with their reason (protocol 7.4)."""
    req = _get(reference)
    action = "give_back"
    transition = workflow.TRANSITIONS[action]
    if not transition.allowed(request.user, req):
        raise AccessRefused(obj=req, detail=action)
    form = GiveBackForm(request.POST if request.method == "POST" else None)
    template = "requests_app/request_give_back.html"
    if not workflow.state_allows(action, req):
        return _not_now(request, req, action, form, template)
    if request.method == "POST" and form.is_valid():
        try:
            workflow.transition(
                reference=reference,
                action=action,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except workflow.TransitionNotAllowed as exc:
            add_to_form(form, exc.problems)
        else:
            messages.success(request, f"Request {reference} given back to the queue.")
            return redirect("requests_app:inbox")
    return render(
        request,
        template,
        {"req": req, "form": form, "explanation": transition.confirm_text},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_extend(request: HttpRequest, reference: str) -> HttpResponse:
    """Record an extension of the due date agreed with the requester (protocol 9.2)."""
    req = _get(reference)
    if not permissions.can_extend(request.user, req):
        raise AccessRefused(obj=req, detail="extend due date")
    form = ExtensionForm(request.POST if request.method == "POST" else None)
    closed = not req.clock_running or req.due_date is None
    if request.method == "POST" and not closed and form.is_valid():
        try:
            services.extension_record(
                reference=reference,
                actor=request.user,
                new_due_date=form.cleaned_data["new_due_date"],
                reason=form.cleaned_data["reason"],
                agreed_with=form.cleaned_data["agreed_with"],
            )
        except services.ExtensionRefused as exc:
            add_to_form(form, exc.problems)
        else:
            messages.success(request, f"Due date of request {reference} extended.")
            return redirect("requests_app:detail", reference=reference)
    return render(
        request,
        "requests_app/request_extend.html",
        {
            "req": req,
            "form": form,
            "closed": closed,
            "error": rules.EXTENSION_CLOCK_NOT_RUNNING if closed else "",
        },
        status=(409 if closed else 400) if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_decide(request: HttpRequest, reference: str) -> HttpResponse:
    req = _get(reference)
    if not permissions.is_assigned_discloser(request.user, req):
        raise AccessRefused(obj=req, detail="decide")
    form = DecisionForm(request.POST or None, request.FILES or None, req=req, signer=request.user)
    if req.status != Status.UNDER_REVIEW:
        if request.method == "POST":
            form.add_error(None, workflow.cannot_message("disclose", req))
        return render(
            request,
            "requests_app/request_decide.html",
            {"req": req, "form": form, "closed": True},
            status=409 if request.method == "POST" else 200,
        )
    if request.method == "POST" and form.is_valid():
        action = "disclose" if form.cleaned_data["disclosure_agreed"] == "yes" else "decline"
        try:
            workflow.transition(
                reference=reference,
                action=action,
                actor=request.user,
                part_b=form.part_b_data(),
                attachments=form.cleaned_data.get("attachments") or [],
            )
        except workflow.TransitionNotAllowed as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Decision recorded for request {reference}.")
            return redirect("requests_app:detail", reference=reference)
    audit.record(
        action=AuditAction.PERSONAL_DETAILS_VIEWED,
        actor=request.user,
        obj=req,
        detail="decision page",
    )
    return render(
        request,
        "requests_app/request_decide.html",
        {
            "req": req,
            "form": form,
            "with_consent": rules.shared_with_consent(req),
            "marking": pdf.protective_marking(req),
        },
    )


@login_required
def attachment_download(
    request: HttpRequest, reference: str, attachment_id: uuid.UUID
) -> FileResponse:
    req = _get(reference)
    if not permissions.can_view_personal_details(request.user, req):
        raise AccessRefused(obj=req, detail="attachment")
    try:
        attachment = Attachment.objects.get(request=req, public_id=attachment_id)
    except Attachment.DoesNotExist:
        raise Http404("No such attachment") from None
    audit.record(
        action=AuditAction.ATTACHMENT_DOWNLOADED,
        actor=request.user,
        obj=req,
        detail=f"attachment {attachment.public_id}",
    )
    return FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
    )
