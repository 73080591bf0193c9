"""Demo joint-test statuses (issue 17 item 6) for whatever interfaces a product has: run after its
interfaces exist (the demo's OpenAPI import). Writes through the services, so each plan's 联调
task is linked to the partner-provided interfaces and rolled up like a real edit."""
import datetime

from django.utils import timezone

from schedule.models import Task

from . import services
from .models import Direction, Environment, Interface, JointTest

# Sandbox mostly done, pre-production under way with one blocker, production not started: where a
# real onboarding stands in the middle of 联调.
NOTES = {
    "failed": "回调签名校验失败：对方用 HMAC-SHA1，平台要求 HMAC-SHA256。",
    "blocked": "预发环境网关未开白名单（待对方运维处理）。",
}


def _plan_status(index, count, environment):
    share = index / max(count, 1)
    if environment == Environment.SANDBOX:
        return "failed" if index == count - 1 else "in_progress" if share >= 0.8 else "passed"
    if environment == Environment.PREPRODUCTION:
        if index == 1:
            return "blocked"
        return "passed" if share < 0.4 else "in_progress" if share < 0.6 else "not_started"
    return "not_started"


def demo_joint_tests(product, *, today=None):
    """Set demo statuses on every interface of ``product`` and link its plans' 联调 tasks to the
    partner-provided ones. Returns the number of cells saved. Safe to run again (it overwrites)."""
    today = today or timezone.localdate()
    interfaces = list(Interface.objects.filter(product=product).order_by("position", "path", "method"))
    plans = list(product.plans.filter(deleted_at__isnull=True).select_related("owner").order_by("pk"))
    tester = plans[0].owner if plans else None
    saved = 0
    for index, interface in enumerate(interfaces):
        for offset, environment in enumerate(Environment):
            status = _plan_status(index, len(interfaces), environment)
            current = JointTest.objects.filter(interface=interface, environment=environment).first()
            started = status != "not_started"
            services.joint_test_update(
                interface=interface, environment=environment.value, version=current.version if current else 0,
                status=status, tester=tester if started else None,
                tested_on=today - datetime.timedelta(days=(len(interfaces) - index) % 12 + 6 * (2 - offset))
                if started else None,
                request_id=f"req-{interface.pk:04d}-{environment.value[:3]}" if started else "",
                note=NOTES.get(status, ""), evidence=None)
            saved += 1
    partner = [i for i in interfaces if i.direction == Direction.PARTNER_PROVIDES]
    for plan in plans:
        task = (Task.objects.filter(plan=plan, title__contains="联调", is_milestone=False).order_by("position").first())
        if task is not None and partner:
            services.interface_link_tasks(plan=plan, task=task, interfaces=partner, today=today)
    return saved
