"""Comments and files inside pages other apps own (the task details, the plan overview, the product
page): one tag each, so those templates need one line and their views nothing."""
from django import template
from django.template.loader import get_template

register = template.Library()


def _render(context, part, build):
    # The views' context builders, so a partial looks the same either way; imported when a tag renders,
    # not when Django loads every tag library to build its template engine (the views pull in forms
    # and services of several apps).
    from collab import views

    request = context["request"]
    return get_template(f"{views.PAGE}#{part}").render(build(views, request), request)


@register.simple_tag(takes_context=True)
def comment_thread(context, plan, task=None):
    return _render(context, "thread", lambda views, request: views.thread_context(request, plan, task))


@register.simple_tag(takes_context=True)
def attachment_list(context, plan=None, task=None, product=None):
    return _render(context, "attachments",
                   lambda views, request: views.attachments_context(request, plan=plan, task=task, product=product))
