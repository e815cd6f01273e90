"""The benchmark's URLconf (benchmarks/settings_bench.py): the portal's pages, plus one bare
view to compare /inbox/ with. The bare view carries the same session through the same
middleware and reads the first page of the organisation's open requests through the inbox's
index, rendered by a trivial template: the floor any list page stands on."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from isp_portal.urls import handler403, handler404
from isp_portal.urls import urlpatterns as portal_urlpatterns
from requests_app.models import InformationRequest, Status

__all__ = ["handler403", "handler404", "urlpatterns"]

BARE_PATH = "bench/bare/"
PAGE_SIZE = 25

_template = engines["django"].from_string(
    '<!DOCTYPE html><html lang="en"><head><title>Bare</title></head><body><table>'
    "{% for r in rows %}<tr><td>{{ r.reference }}</td><td>{{ r.status }}</td>"
    "<td>{{ r.required_by }}</td><td>{{ r.due_date }}</td></tr>{% endfor %}"
    "</table></body></html>"
)


@login_required
def bare_inbox(request: HttpRequest) -> HttpResponse:
    # One status of the organisation's open requests, in the order of the req_inbox index
    # (receiving_organisation, status, required_by): an index range scan that stops at 25 rows.
    rows = InformationRequest.objects.filter(
        receiving_organisation_id=request.user.organisation_id, status=Status.UNDER_REVIEW
    ).order_by("required_by")[:PAGE_SIZE]
    rows = rows.values("reference", "status", "required_by", "due_date")
    return HttpResponse(_template.render({"rows": list(rows)}))


urlpatterns = [path(BARE_PATH, bare_inbox, name="bench_bare"), *portal_urlpatterns]
