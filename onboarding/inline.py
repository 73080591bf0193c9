"""Inline, row-by-row editing of the parts of a plan with htmx.

Lanes, steps, metrics, stakeholders, tasks, phases, links and watch-outs are all
edited the same way: a row shows the object, "edit" swaps the row for its form,
"save" swaps the form back for the row (or shows the errors in place with 422),
"delete" removes the row, "up"/"down" re-renders the list in its new order.
One `RowKind` per model describes the differences; the views live here once.

Templates: each kind names a page template holding the partials
``<name>_row``, ``<name>_form`` and ``<name>_list``.
"""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import reswap, retarget, trigger_client_event

from . import services
from .access import get_plan_for_user
from .forms import add_service_errors
from .versioning import StaleEdit, posted_version

PLAN_CHANGED_EVENT = "plan-changed"
NOTICE_EVENT = "paasport:notice"  # static/js/app.js shows its message


class RowKind:
    name = ""  # url and partial prefix, e.g. "lane"
    namespace = "onboarding"  # the URL namespace of the app that includes these urls
    add_label = ""
    model = None
    form_class = None
    page_template = ""
    parent_name = "plan"  # url segment naming the parent of new rows
    parent_model = None  # None: the parent is the plan itself

    # --- what differs between kinds -------------------------------------------------
    def scope(self, plan):
        """All objects of this kind inside the plan."""
        return self.model.objects.filter(plan=plan)

    def parent_of(self, obj):
        return obj.plan

    def parent_scope(self, plan):
        return self.parent_model.objects.filter(plan=plan)

    def new_instance(self, parent):
        return self.model(**{self.parent_field: parent})

    parent_field = "plan"

    def siblings(self, parent):
        return self.model.objects.filter(**{self.parent_field: parent})

    def form_kwargs(self, plan):
        return {}

    def context(self, plan, parent):
        """Extra context shared by the row, form and list partials."""
        return {}

    # --- the writes: each calls one service (onboarding/services.py or the app's own) -------
    def create(self, plan, parent, form):
        return services.row_create(plan=plan, obj=form.instance, siblings=self.siblings(parent))

    def update(self, plan, form):
        return services.row_update(plan=plan, obj=form.instance, version=form.cleaned_data.get("version"))

    def remove(self, plan, obj, version):
        return services.row_delete(plan=plan, obj=obj, version=version)

    def move(self, plan, obj, parent, direction):
        return services.row_move(plan=plan, obj=obj, siblings=self.siblings(parent), direction=direction)

    # --- machinery ----------------------------------------------------------------
    def partial(self, part):
        return f"{self.page_template}#{self.name}_{part}"

    def url(self, action, plan, *args):
        return reverse(f"{self.namespace}:{self.name}_{action}", args=[plan.pk, *args])

    def add_url(self, plan, parent):
        return self.url("add", plan) if self.parent_model is None else self.url("add", plan, parent.pk)

    def list_id(self, parent):
        """The DOM id of the element holding the rows of one parent (see templates)."""
        return f"{self.name}-list-{parent.pk}"

    def _get_object(self, plan, pk):
        try:
            return self.scope(plan).get(pk=pk)
        except self.model.DoesNotExist:
            raise Http404 from None

    def _get_parent(self, plan, parent_id):
        if self.parent_model is None:
            return plan
        try:
            return self.parent_scope(plan).get(pk=parent_id)
        except self.parent_model.DoesNotExist:
            raise Http404 from None

    def _render(self, request, part, plan, parent, status=200, **context):
        context.update(plan=plan, parent=parent, kind=self.name, **self.context(plan, parent))
        return render(request, self.partial(part), context, status=status)

    def changed_fragments(self, request, plan, moved):
        """Out-of-band HTML to append after a write, e.g. other rows whose dates moved."""
        return ""

    def _changed(self, response, plan, request, written):
        fragments = self.changed_fragments(request, plan, written.moved)
        if fragments:
            response.content += fragments.encode()
        return trigger_client_event(response, PLAN_CHANGED_EVENT)

    def _refused(self, request, plan, parent, form, obj, error):
        """A service refused the form's save: show why in the form, 422."""
        if isinstance(error, StaleEdit):
            form.show_stale(error)
        else:
            add_service_errors(form, error)
        return self._render_form(request, plan, parent, form, obj, status=422)

    def row_view(self, request, plan_id, pk):
        plan = get_plan_for_user(request, plan_id)
        obj = self._get_object(plan, pk)
        return self._render(request, "row", plan, self.parent_of(obj), object=obj)

    def edit_view(self, request, plan_id, pk):
        plan = get_plan_for_user(request, plan_id, write=True)
        obj = self._get_object(plan, pk)
        parent = self.parent_of(obj)
        if request.method == "POST":
            form = self.form_class(request.POST, instance=obj, **self.form_kwargs(plan))
            if form.is_valid():
                try:
                    written = self.update(plan, form)
                except (StaleEdit, ValidationError) as error:
                    return self._refused(request, plan, parent, form, self._get_object(plan, pk), error)
                response = self._render(request, "row", plan, self.parent_of(written.obj), object=written.obj)
                return self._changed(response, plan, request, written)
            return self._render_form(request, plan, parent, form, obj, status=422)
        form = self.form_class(instance=obj, **self.form_kwargs(plan))
        return self._render_form(request, plan, parent, form, obj)

    def _render_form(self, request, plan, parent, form, obj, status=200):
        if obj is None:
            action, cancel_url = self.add_url(plan, parent), None
        else:
            action, cancel_url = self.url("edit", plan, obj.pk), self.url("row", plan, obj.pk)
        return self._render(request, "form", plan, parent, status=status, object=obj, form=form,
                            action=action, cancel_url=cancel_url)

    def add_view(self, request, plan_id, parent_id=None):
        plan = get_plan_for_user(request, plan_id, write=True)
        parent = self._get_parent(plan, parent_id)
        instance = self.new_instance(parent)
        if request.method == "POST":
            form = self.form_class(request.POST, instance=instance, **self.form_kwargs(plan))
            if form.is_valid():
                try:
                    written = self.create(plan, parent, form)
                except ValidationError as error:
                    return self._refused(request, plan, parent, form, None, error)
                response = self._render(request, "list", plan, parent)
                # The form row asked to be replaced; a new row belongs in the whole list.
                response = reswap(retarget(response, f"#{self.list_id(parent)}"), "outerHTML")
                return self._changed(response, plan, request, written)
            return self._render_form(request, plan, parent, form, None, status=422)
        if request.GET.get("cancel"):
            return render(request, "includes/add_row.html",
                          {"plan": plan, "add_url": self.add_url(plan, parent), "add_label": self.add_label})
        form = self.form_class(instance=instance, **self.form_kwargs(plan))
        return self._render_form(request, plan, parent, form, None)

    def delete_view(self, request, plan_id, pk):
        plan = get_plan_for_user(request, plan_id, write=True)
        obj = self._get_object(plan, pk)
        parent = self.parent_of(obj)
        try:
            written = self.remove(plan, obj, posted_version(request))
        except StaleEdit:
            # Show the row as it is now, and why nothing was deleted.
            response = self._render(request, "list", plan, parent, status=422)
            return trigger_client_event(response, NOTICE_EVENT, {"message": _(
                "Not deleted: someone changed this row since you loaded it. Look at it again, then delete it.")})
        except ValidationError as error:
            response = self._render(request, "list", plan, parent, status=422)
            return trigger_client_event(response, NOTICE_EVENT, {"message": " ".join(error.messages)})
        return self._changed(self._render(request, "list", plan, parent), plan, request, written)

    def move_view(self, request, plan_id, pk, direction):
        plan = get_plan_for_user(request, plan_id, write=True)
        obj = self._get_object(plan, pk)
        parent = self.parent_of(obj)
        written = self.move(plan, obj, parent, direction)
        return self._changed(self._render(request, "list", plan, parent), plan, request, written)

    def urlpatterns(self):
        plural = f"{self.name}s"
        decorate = lambda view: login_required(view)  # noqa: E731
        get_or_post = require_http_methods(["GET", "POST"])
        patterns = [
            path(f"plans/<int:plan_id>/{plural}/<int:pk>/", decorate(require_http_methods(["GET"])(self.row_view)),
                 name=f"{self.name}_row"),
            path(f"plans/<int:plan_id>/{plural}/<int:pk>/edit/", decorate(get_or_post(self.edit_view)),
                 name=f"{self.name}_edit"),
            path(f"plans/<int:plan_id>/{plural}/<int:pk>/delete/", decorate(require_POST(self.delete_view)),
                 name=f"{self.name}_delete"),
            path(f"plans/<int:plan_id>/{plural}/<int:pk>/move/<str:direction>/",
                 decorate(require_POST(self._checked_move)), name=f"{self.name}_move"),
        ]
        if self.parent_model is None:
            patterns.append(path(f"plans/<int:plan_id>/{plural}/add/", decorate(get_or_post(self.add_view)),
                                 name=f"{self.name}_add"))
        else:
            patterns.append(path(f"plans/<int:plan_id>/{self.parent_name}s/<int:parent_id>/{plural}/add/",
                                 decorate(get_or_post(self.add_view)), name=f"{self.name}_add"))
        return patterns

    def _checked_move(self, request, plan_id, pk, direction):
        if direction not in ("up", "down"):
            return HttpResponse("direction must be up or down", status=400)
        return self.move_view(request, plan_id, pk, direction)
