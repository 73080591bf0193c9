"""Comments marked "shared with the partner" show read-only on the partner's share page."""
import pytest

from collab import services
from schedule.models import Visibility
from sharing.models import ShareLink
from tests.factories import PhaseFactory, TaskFactory


@pytest.fixture
def shared_world(plan, pm):
    pm.email = "pm-secret@example.com"
    pm.save()
    phase = PhaseFactory(plan=plan)
    shared = TaskFactory(plan=plan, phase=phase, title="SDK 联调", visibility=Visibility.SHARED)
    internal = TaskFactory(plan=plan, phase=phase, title="内部评审", visibility=Visibility.INTERNAL)
    for task, body, share in [(shared, "Please send the **test report**", True), (shared, "internal note", False),
                              (internal, "about an internal task", True), (None, "Kick-off agreed", True)]:
        services.comment_create(plan=plan, task=task, author=pm, body=body, shared_with_partner=share)
    return plan


def _page(client, plan, audience, **extra):
    _link, token = ShareLink.create(plan=plan, audience=audience, **extra)
    return client.get(f"/s/{token}/").content.decode()


def test_the_partner_sees_shared_comments_of_their_tasks_only(client, shared_world):
    body = _page(client, shared_world, "partner")
    assert "Comments for you" in body
    assert "<strong>test report</strong>" in body and "Kick-off agreed" in body and "SDK 联调" in body
    assert "internal note" not in body and "about an internal task" not in body
    assert "pm-secret@example.com" not in body and "Platform team" in body


def test_platform_names_when_the_link_chose_them(client, shared_world):
    body = _page(client, shared_world, "partner", platform_names=True)
    assert "Pat" in body and "pm-secret@example.com" not in body


def test_the_management_link_shows_no_comments(client, shared_world):
    body = _page(client, shared_world, "management")
    assert "Comments for you" not in body and "test report" not in body


def test_a_new_shared_comment_shows_at_once_although_the_page_is_cached(client, shared_world, pm):
    _link, token = ShareLink.create(plan=shared_world, audience="partner")
    assert "Second round" not in client.get(f"/s/{token}/").content.decode()
    services.comment_create(plan=shared_world, author=pm, body="Second round", shared_with_partner=True)
    assert "Second round" in client.get(f"/s/{token}/").content.decode()
