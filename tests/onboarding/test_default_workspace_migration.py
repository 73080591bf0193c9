"""Upgrading a database from before workspaces: what a team had is in one default workspace and
everyone keeps their access (onboarding 0006, stakeholders 0005, schedule 0013)."""
import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from onboarding.access import plans_readable_by, role_in
from onboarding.models import Plan, Product, Workspace
from schedule.models import Template, templates_for
from stakeholders.models import Stakeholder

BEFORE = [("onboarding", "0005_workspaces"), ("stakeholders", "0004_stakeholder_workspace"),
          ("schedule", "0008_template_workspace")]


@pytest.mark.django_db(transaction=True)
def test_existing_data_lands_in_the_default_workspace_with_everyone_in_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("auth", "User")
    pm = User.objects.create(username="old-pm")
    boss = User.objects.create(username="old-boss")
    boss.groups.add(old.get_model("auth", "Group").objects.create(name="managers"))
    User.objects.create(username="old-staff", is_staff=True)
    product = old.get_model("onboarding", "Product").objects.create(name="手游安全 MTP")
    plan = old.get_model("onboarding", "Plan").objects.create(name="MTP 接入", product=product, owner=pm,
                                                              start_date="2026-12-07", target_launch_date="2027-03-01")
    old.get_model("stakeholders", "Stakeholder").objects.create(name="王敏", organisation="合作方")
    old.get_model("schedule", "Template").objects.create(slug="our-own", name="我们组的清单")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    default = Workspace.objects.get(name="默认工作空间")
    assert Product.objects.get(pk=product.pk).workspace == default
    assert Stakeholder.objects.get(name="王敏").workspace == default
    roles = {user: role_in(get_user_model().objects.get(username=user), default.pk)
             for user in ("old-pm", "old-boss", "old-staff")}
    assert roles == {"old-pm": "pm", "old-boss": "manager", "old-staff": "admin"}
    migrated = Plan.objects.get(pk=plan.pk)
    assert migrated.workspace == default and list(plans_readable_by(migrated.owner)) == [migrated]
    # The team's own template is the default workspace's, not offered to a new team.
    ours = Template.objects.get(slug="our-own")
    assert ours.workspace == default
    assert ours not in templates_for(Workspace.objects.create(name="新团队"))
    assert ours in templates_for(default)
