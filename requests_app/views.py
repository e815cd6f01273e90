"""Pages of the Request/Disclosure workflow. Each view parses input, calls one selector, service or
workflow function, and picks a response."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from governance.audit import trail as audit
from governance.audit.models import AuditAction
from governance.people import roles
from governance.people.access import AccessRefused
from requests_app import permissions, rules, selectors, services, workflow
from requests_app.forms import (
    AssignForm,
    DecisionForm,
    DetailsReasonForm,
    MoreInformationForm,
    PartAForm,
    SignatureForm,
)
from requests_app.inbox_forms import InboxFilterForm
from requests_app.models import Attachment, InformationRequest, PartAVersion, Status
from ui.problems import add_to_form

PAGE_SIZE = 25


def _get(reference: str) -> InformationRequest:
    try:
        return selectors.request_detail(reference=reference)
    except InformationRequest.DoesNotExist:
        raise Http404("No request with that reference") from None


@login_required
def request_list_mine(request: HttpRequest) -> HttpResponse:
    if not roles.can_request(request.user):
        raise AccessRefused(detail="my requests")
    page = Paginator(selectors.request_list_for_requester(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "requests_app/request_list.html", {"page": page})


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not roles.sees_inbox(request.user):
        raise AccessRefused(detail="inbox")
    form = InboxFilterForm(request.GET or None)
    page = Paginator(
        selectors.request_list_for_inbox(user=request.user, filters=form.filters()), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "requests_app/inbox.html",
        {"page": page, "form": form, "query": request.GET.copy()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    if not roles.can_request(request.user):
        raise AccessRefused(detail="new request")
    form = PartAForm(
        request.POST or None,
        requester=request.user,
        initial=PartAForm.initial_for(None, request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_create(requester=request.user, data=form.to_model_data())
        except services.PartAIncomplete as exc:
            add_to_form(form, exc.problems)
        else:
            messages.success(request, f"Draft request {req.reference} saved. Check your answers.")
            return redirect("requests_app:detail", reference=req.reference)
    return render(request, "requests_app/request_form.html", {"form": form, "req": None})


@login_required
@require_http_methods(["GET", "POST"])
def request_edit(request: HttpRequest, reference: str) -> HttpResponse:
    req = _get(reference)
    if not permissions.can_edit(request.user, req):
        raise AccessRefused(obj=req, detail="edit request")
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
            return redirect("requests_app:detail", reference=reference)
    # The form shows Part A's personal details: reading it is audited like the request page.
    audit.record(
        action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=request.user, obj=req, detail="edit page"
    )
    return render(request, "requests_app/request_form.html", {"form": form, "req": req})


@login_required
def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    req = _get(reference)
    user = request.user
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
        signature_form = SignatureForm(signer=user)
    sent_back, changes = PartAVersion.latest_changes(req) if show_personal else (None, [])
    return {
        "req": req,
        "show_personal": show_personal,
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
@require_http_methods(["POST"])
def request_submit(request: HttpRequest, reference: str) -> HttpResponse:
    req = _get(reference)
    if not permissions.is_requester(request.user, req):
        raise AccessRefused(obj=req, detail="submit")
    form = SignatureForm(request.POST, signer=request.user)
    error = ""
    if form.is_valid():
        try:
            workflow.transition(
                reference=reference,
                action="submit",
                actor=request.user,
                signature_name=form.cleaned_data["signature_name"],
            )
        except workflow.TransitionNotAllowed as exc:
            error = str(exc)
        else:
            return redirect("requests_app:submitted", reference=reference)
    if error:
        form.add_error(None, error)
    audit.record(action=AuditAction.PERSONAL_DETAILS_VIEWED, actor=request.user, obj=req)
    context = _detail_context(request.user, req, show_personal=True, signature_form=form)
    context["form"] = form  # the page title says "Error: " and the summary lists the errors
    return render(request, "requests_app/request_detail.html", context, status=400)


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
    form = SignatureForm(request.POST or None, signer=request.user)
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
    return render(request, "requests_app/request_more_information.html", {"req": req, "form": form})


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
        {"req": req, "form": form, "with_consent": rules.shared_with_consent(req)},
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
