"""A deleted plan is gone for partners too: its share links and calendar feeds answer 404."""
from django.utils import timezone

from sharing.models import CalendarFeed, ShareLink


def test_share_link_and_feed_of_deleted_plan_are_404(client, plan):
    link, token = ShareLink.create(plan=plan, audience="partner")
    feed, feed_token = CalendarFeed.create(plan=plan)
    assert client.get(f"/s/{token}/").status_code == 200
    assert client.get(f"/ical/{feed_token}.ics").status_code == 200
    plan.deleted_at = timezone.now()
    plan.save()
    assert client.get(f"/s/{token}/").status_code == 404
    assert client.get(f"/ical/{feed_token}.ics").status_code == 404
