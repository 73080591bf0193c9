"""The joint-test matrix (联调矩阵): a product's interfaces × sandbox / pre-production / production.

Read by every member of the product's workspace; changed by its PMs and administrators (the
people who keep the catalogue). The per-plan page shows the plan's product's matrix with the
plan's 联调 tasks each interface is linked to; the plan's writers link and unlink them there.
"""
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from onboarding.access import can_manage_catalogue, get_plan_for_user, get_product_for_user
from onboarding.versioning import StaleEdit
from sharing.exchange import content_disposition, download_filename

from config.query_strings import whole_number

from .. import rollup, selectors, services
from ..matrix_exports import matrix_workbook
from ..matrix_forms import KEEP, NOBODY, BulkForm, FilterForm, JointTestForm
from ..models import Environment

PAGE = "interfaces/matrix.html"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 100
MAX_PER_PAGE = 500


def _per_page(request):
    raw = request.GET.get("per_page", "")
    number = whole_number(raw)
    return min(number, MAX_PER_PAGE) if number else PER_PAGE


def _context(request, product, *, plan=None, **extra):
    filters = FilterForm(request.GET)
    values = filters.values()
    rows = rollup.matrix_rows(product, plan=plan, **values)
    summary, cell_total = rollup.matrix_summary(rows)
    paginator = Paginator(rows, _per_page(request))
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    can_edit = can_manage_catalogue(request.user, product.workspace)
    context = {
        "product": product, "plan": plan, "page": page, "rows": page.object_list, "row_count": len(rows),
        "environments": rollup.ENVIRONMENTS, "filters": filters, "summary": summary, "cell_total": cell_total,
        "query": query.urlencode(), "can_edit": can_edit, "tab": "interfaces",
        "bulk_form": BulkForm(product=product, auto_id="bulk-%s") if can_edit else None,
        "matrix_url": (reverse("interfaces:plan_interfaces", args=[plan.pk]) if plan is not None
                       else reverse("interfaces:matrix", args=[product.pk])),
    }
    if plan is not None and plan.user_can_write:
        context["link_tasks"] = selectors.tasks_to_link(plan)
    context.update(extra)
    return context


def _page(request, product, *, plan=None, status=200, **extra):
    context = _context(request, product, plan=plan, **extra)
    if request.htmx and request.htmx.target == "matrix-table":
        return render(request, f"{PAGE}#table", context, status=status)
    return render(request, PAGE, context, status=status)


@login_required
@require_GET
def product_matrix(request, pk):
    product = get_product_for_user(request, pk)
    return _page(request, product)


@login_required
@require_GET
def plan_interfaces(request, pk):
    plan = get_plan_for_user(request, pk)
    return _page(request, plan.product, plan=plan)


# ----------------------------------------------------------------------------- one cell
def _interface_of(request, pk):
    interface = selectors.interface_readable_by(request.user, pk)
    if interface is None:
        raise Http404
    return interface


def _cell_context(request, interface, environment, form, test, **extra):
    cells = rollup.row_cells(interface.pk)
    cell = next(c for c in cells if c.environment == environment)
    return {"interface": interface, "environment": Environment(environment), "form": form, "test": test,
            "cell": cell, "row_cells": cells, "history": selectors.joint_test_history(test), "product": interface.product,
            "can_edit": can_manage_catalogue(request.user, interface.product.workspace), **extra}


@login_required
@require_http_methods(["GET", "POST"])
def joint_test_cell(request, pk, environment):
    """A cell's editor (GET) and its save (POST): status, tester, date, request id, evidence, note."""
    interface = _interface_of(request, pk)
    if environment not in Environment.values:
        raise Http404
    product = interface.product
    test = selectors.joint_test_of(interface, environment)
    if request.method == "GET":
        # A cell never tested: most likely the person opening it is testing it today.
        initial = None if test is not None else {"tester": request.user.pk, "tested_on": timezone.localdate()}
        form = JointTestForm(product=product, test=test, **({"initial": initial} if initial else {}))
        context = _cell_context(request, interface, environment, form, test)
        return render(request, f"{PAGE}#cell_editor" if request.htmx else "interfaces/matrix_cell.html", context)
    if not can_manage_catalogue(request.user, product.workspace):
        raise PermissionDenied
    form = JointTestForm(request.POST, product=product, test=test)
    if form.is_valid():
        version = form.cleaned_data["version"]
        try:
            written = services.joint_test_update(interface=interface, environment=environment,
                                                 version=version, **form.values())
        except StaleEdit as stale:
            form.show_stale(stale)
        except ValidationError as error:
            for field, messages in getattr(error, "message_dict", {None: error.messages}).items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
        else:
            test = written.obj
            if not request.htmx:
                return redirect(request.POST.get("back") or reverse("interfaces:matrix", args=[product.pk]))
            context = _cell_context(request, interface, environment,
                                    JointTestForm(product=product, test=test), test, saved=True,
                                    tasks_changed=written.tasks)
            return render(request, f"{PAGE}#cell_saved", context)
    test = selectors.joint_test_of(interface, environment)
    context = _cell_context(request, interface, environment, form, test)
    return render(request, f"{PAGE}#cell_editor" if request.htmx else "interfaces/matrix_cell.html", context,
                  status=422)


# ----------------------------------------------------------------------------- bulk
def _small_int(raw):
    """A posted id or version: digits only, at most 2**31 (None otherwise)."""
    return whole_number(raw, 2**31 - 1)


def selected_cells(post):
    """{(interface id, environment): version} from the ticked cells ("<id>:<env>:<version>") and
    rows ("<id>|sandbox=3|preprod=0|production=1"); None when one cannot be read."""
    versions = {}
    for value in post.getlist("cell"):
        parts = value.split(":")
        if len(parts) != 3 or parts[1] not in Environment.values:
            return None
        pk, version = _small_int(parts[0]), _small_int(parts[2])
        if pk is None or version is None:
            return None
        versions[(pk, parts[1])] = version
    for value in post.getlist("row"):
        raw_pk, *cells = value.split("|")
        pk = _small_int(raw_pk)
        if pk is None or not cells:
            return None
        for cell in cells:
            env, _sep, raw_version = cell.partition("=")
            version = _small_int(raw_version)
            if env not in Environment.values or version is None:
                return None
            versions[(pk, env)] = version
    return versions


def _bulk_values(form):
    data = form.cleaned_data
    values = {}
    if data.get("status") not in (None, KEEP):
        values["status"] = data["status"]
    tester = data.get("tester")
    if tester == NOBODY:
        values["tester"] = None
    elif tester not in (None, KEEP):
        values["tester"] = form.people[tester]
    if data.get("tested_on"):
        values["tested_on"] = data["tested_on"]
    return values


def _bulk_response(request, product, plan, ok, message):
    if not request.htmx:
        (flash.success if ok else flash.error)(request, message)
        url = (reverse("interfaces:plan_interfaces", args=[plan.pk]) if plan is not None
               else reverse("interfaces:matrix", args=[product.pk]))
        return redirect(url)
    context = _context(request, product, plan=plan, bulk_message=message, bulk_ok=ok)
    return render(request, f"{PAGE}#table", context, status=200 if ok else 422)


def _plan_of_post(request, product):
    """The plan page a bulk edit was made from (its table comes back with the plan's tasks)."""
    pk = _small_int(request.POST.get("plan", ""))
    plan = get_plan_for_user(request, pk) if pk is not None else None
    return plan if plan is not None and plan.product_id == product.pk else None


@login_required
@require_POST
def joint_test_bulk(request, pk):
    """Selected cells or rows → one status, tester or test date, in one transaction."""
    product = get_product_for_user(request, pk, write=True)
    try:
        plan = _plan_of_post(request, product)
    except Http404:
        plan = None
    form = BulkForm(request.POST, product=product)
    versions = selected_cells(request.POST)
    try:
        if versions is None:
            raise ValidationError(_("The selection could not be read. Reload the page."))
        if not form.is_valid():
            raise ValidationError([m for messages in form.errors.values() for m in messages])
        written = services.joint_test_bulk_update(product=product, versions=versions, **_bulk_values(form))
    except StaleEdit:
        return _bulk_response(request, product, plan, False, _(
            "Someone else changed a selected cell while you were choosing: nothing was changed. "
            "The matrix now shows their change; select again."))
    except ValidationError as error:
        return _bulk_response(request, product, plan, False, " ".join(error.messages))
    count = len(written.obj)
    message = ngettext("%(count)s cell changed.", "%(count)s cells changed.", count) % {"count": count}
    if written.tasks:
        message += " " + _tasks_sentence(written.tasks)
    return _bulk_response(request, product, plan, True, message)


def _tasks_sentence(tasks):
    return _("Tasks updated from the matrix: %(tasks)s.") % {"tasks": "; ".join(
        f"{task.title} {task.percent_complete}% ({task.get_status_display()})" for task in tasks)}


# ----------------------------------------------------------------------------- links to 联调 tasks
@login_required
@require_POST
def plan_interface_link(request, pk):
    """Link the selected interfaces to one of the plan's tasks (or unlink them)."""
    plan = get_plan_for_user(request, pk, write=True)
    task_pk = _small_int(request.POST.get("task", ""))
    task = selectors.task_of(plan, task_pk)
    versions = selected_cells(request.POST)
    ids = {pk for pk, _env in versions} if versions else set()
    interfaces = selectors.interfaces_by_ids(plan.product_id, ids)
    linked = request.POST.get("action", "link") != "unlink"
    try:
        if task is None:
            raise ValidationError(_("Choose one of the plan's tasks."))
        if versions is None or not interfaces or len(interfaces) != len(ids):
            raise ValidationError(_("Select the interfaces to link (their rows or cells)."))
        written = services.interface_link_tasks(plan=plan, task=task, interfaces=interfaces, linked=linked)
    except ValidationError as error:
        return _bulk_response(request, plan.product, plan, False, " ".join(error.messages))
    count = len(interfaces)
    message = (ngettext("%(count)s interface linked to “%(task)s”.", "%(count)s interfaces linked to “%(task)s”.",
                        count) if linked else
               ngettext("%(count)s interface unlinked from “%(task)s”.",
                        "%(count)s interfaces unlinked from “%(task)s”.", count)) % {"count": count,
                                                                                      "task": task.title}
    if written.tasks:
        message += " " + _tasks_sentence(written.tasks)
    return _bulk_response(request, plan.product, plan, True, message)


# ----------------------------------------------------------------------------- Excel
@login_required
@require_GET
def matrix_export(request, pk):
    product = get_product_for_user(request, pk)
    response = HttpResponse(matrix_workbook(product), content_type=XLSX_TYPE)
    name = download_filename(product.name, _("joint tests"), ext="xlsx")
    response["Content-Disposition"] = content_disposition(name, fallback=f"product-{product.pk}-joint-tests")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
