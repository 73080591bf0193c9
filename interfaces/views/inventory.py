"""A product's interface inventory: the rows (edited inline with htmx), the import with its diff,
and the gaps against the platform's requirements (page and PDF)."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from onboarding.access import can_manage_catalogue, get_product_for_user
from onboarding.forms import add_service_errors
from onboarding.inline import NOTICE_EVENT
from onboarding.models import Scenario
from onboarding.versioning import StaleEdit, posted_version

from .. import gaps as gap_check
from .. import selectors, services
from ..forms_inventory import ImportForm, InterfaceForm
from ..importer import MAX_BYTES, ImportRefused
from ..models import Interface

PAGE = "interfaces/inventory.html"
LIST_ID = "interface-list"


def _product(request, pk, write=False):
    product = get_product_for_user(request, pk, write=write)
    product.user_can_write = can_manage_catalogue(request.user, product.workspace)
    return product


def _interface(product, interface_id):
    row = selectors.interface_of(product, interface_id)
    if row is None:
        raise Http404
    return row


def _context(product, **extra):
    return {"product": product, "plan": product, "interfaces": selectors.interfaces_of(product), "list_id": LIST_ID, **extra}


@login_required
@require_GET
def inventory(request, pk):
    product = _product(request, pk)
    pending, current = selectors.import_specs(product)
    return render(request, PAGE, _context(product, import_form=ImportForm(), pending=pending, current=current))


@login_required
@require_GET
def interface_row(request, pk, interface_id):
    product = _product(request, pk)
    return render(request, f"{PAGE}#interface_row", _context(product, object=_interface(product, interface_id)))


def _form_response(request, product, form, obj, status=200):
    if obj is None:
        action = reverse("interfaces:interface_add", args=[product.pk])
        cancel = None
    else:
        action = reverse("interfaces:interface_edit", args=[product.pk, obj.pk])
        cancel = reverse("interfaces:interface_row", args=[product.pk, obj.pk])
    return render(request, f"{PAGE}#interface_form", _context(
        product, form=form, object=obj, action=action, cancel_url=cancel, kind="interface", colspan=9),
        status=status)


@login_required
@require_http_methods(["GET", "POST"])
def interface_add(request, pk):
    product = _product(request, pk, write=True)
    if request.GET.get("cancel"):
        return render(request, f"{PAGE}#interface_add_row", _context(product))
    instance = Interface(product=product, workspace_id=product.workspace_id)
    form = InterfaceForm(request.POST or None, instance=instance, product=product)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.interface_create(obj=form.instance)
            except ValidationError as error:
                add_service_errors(form, error)
                return _form_response(request, product, form, None, status=422)
            response = render(request, f"{PAGE}#interface_list", _context(product))
            return reswap(retarget(response, f"#{LIST_ID}"), "outerHTML")
        return _form_response(request, product, form, None, status=422)
    return _form_response(request, product, form, None)


@login_required
@require_http_methods(["GET", "POST"])
def interface_edit(request, pk, interface_id):
    product = _product(request, pk, write=True)
    row = _interface(product, interface_id)
    form = InterfaceForm(request.POST or None, instance=row, product=product)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.interface_update(obj=form.instance, version=form.cleaned_data.get("version"))
            except StaleEdit as error:
                form.show_stale(error)
                return _form_response(request, product, form, _interface(product, interface_id), status=422)
            except ValidationError as error:
                add_service_errors(form, error)
                return _form_response(request, product, form, _interface(product, interface_id), status=422)
            return render(request, f"{PAGE}#interface_row", _context(product, object=_interface(product, interface_id)))
        return _form_response(request, product, form, row, status=422)
    return _form_response(request, product, form, row)


@login_required
@require_POST
def interface_delete(request, pk, interface_id):
    product = _product(request, pk, write=True)
    row = _interface(product, interface_id)
    try:
        services.interface_delete(obj=row, version=posted_version(request))
    except StaleEdit:
        response = render(request, f"{PAGE}#interface_list", _context(product), status=422)
        return trigger_client_event(response, NOTICE_EVENT, {"message": _(
            "Not deleted: someone changed this row since you loaded it. Look at it again, then delete it.")})
    return render(request, f"{PAGE}#interface_list", _context(product))


# ----------------------------------------------------------------------------- import and diff
@login_required
@require_POST
def interface_import(request, pk):
    product = _product(request, pk, write=True)
    form = ImportForm(request.POST, request.FILES)
    problems = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            spec = services.spec_import(product=product, data=upload.read(MAX_BYTES + 1), file_name=upload.name,
                                        direction=form.cleaned_data["direction"], user=request.user)
        except ImportRefused as refused:
            problems = refused.problems
        else:
            return redirect("interfaces:spec_diff", product.pk, spec.pk)
    pending, current = selectors.import_specs(product)
    return render(request, PAGE, _context(product, import_form=form, problems=problems, pending=pending,
                                          current=current), status=422)


def _pending_spec(product, spec_id):
    spec = selectors.spec_of(product, spec_id)
    if spec is None:
        raise Http404
    return spec


@login_required
@require_GET
def spec_diff(request, pk, spec_id):
    product = _product(request, pk)
    spec = _pending_spec(product, spec_id)
    change = services.spec_diff(spec=spec) if spec.applied_at is None else None
    return render(request, "interfaces/inventory_diff.html", {"product": product, "spec": spec, "diff": change})


@login_required
@require_POST
def spec_accept(request, pk, spec_id):
    product = _product(request, pk, write=True)
    spec = _pending_spec(product, spec_id)
    try:
        change = services.spec_apply(spec=spec, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("interfaces:inventory", product.pk)
    messages.success(request, _("Applied: %(added)s added, %(changed)s changed, %(removed)s removed.") % {
        "added": len(change.added), "changed": len(change.changed), "removed": len(change.removed)})
    return redirect("interfaces:inventory", product.pk)


@login_required
@require_POST
def spec_discard(request, pk, spec_id):
    product = _product(request, pk, write=True)
    services.spec_discard(spec=_pending_spec(product, spec_id))
    messages.info(request, _("The imported document was discarded; nothing changed."))
    return redirect("interfaces:inventory", product.pk)


# ----------------------------------------------------------------------------- gaps
def _gap_report(request, product):
    """(chosen kinds, every kind, gaps, requirement count) for the product and the page's choice."""
    kinds = dict(Scenario.Kind.choices)
    chosen = [kind for kind in request.GET.getlist("kind") if kind in kinds]
    if not chosen:
        chosen = selectors.scenario_kinds_of(request.user, product)
    requirements = selectors.requirements_for(workspace_id=product.workspace_id, scenario_kinds=chosen)
    found = gap_check.check(selectors.interfaces_of(product), requirements)
    return chosen, kinds, found, requirements


@login_required
@require_GET
def gaps(request, pk):
    product = _product(request, pk)
    chosen, kinds, found, requirements = _gap_report(request, product)
    return render(request, "interfaces/gaps.html", {
        "product": product, "chosen": chosen, "kinds": kinds.items(), "gaps": found, "requirements": requirements,
        "summary": gap_check.summary(found), "query": request.GET.urlencode()})


@login_required
@require_GET
def gaps_pdf(request, pk):
    from weasyprint import HTML  # loaded on the first PDF, not at every start (a heavy library)

    product = _product(request, pk)
    chosen, kinds, found, requirements = _gap_report(request, product)
    html = render_to_string("interfaces/gaps_pdf.html", {
        "product": product, "chosen_labels": [kinds[kind] for kind in chosen], "gaps": found,
        "requirements": requirements, "summary": gap_check.summary(found), "now": timezone.now(),
        "interface_count": selectors.interfaces_of(product).count()}, request=request)
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="interface-gaps-{product.pk}.pdf"'
    return response
