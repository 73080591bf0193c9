import pytest

from onboarding.models import WorkspaceMember
from tests.factories import PhaseFactory, TaskFactory, UserFactory, WorkspaceFactory

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def task(plan):
    return TaskFactory(plan=plan, phase=PhaseFactory(plan=plan), title="联调测试")


@pytest.fixture
def colleague(plan):
    """A PM of the team who reads the plan (listed as a viewer): can be mentioned, cannot write."""
    user = UserFactory(username="lilei", first_name="Li", last_name="Lei", email="lilei@example.com")
    plan.viewers.add(user)
    return user


@pytest.fixture
def editor(plan):
    user = UserFactory(username="hanmei", first_name="韩梅梅")
    plan.editors.add(user)
    return user


@pytest.fixture
def outsider(plan):
    """A PM of the same team who is not on the plan: cannot read it."""
    return UserFactory(username="zhangsan", first_name="Zhang", last_name="San")


@pytest.fixture
def stranger(db):
    """A PM of another workspace."""
    return UserFactory(username="stranger", workspace=WorkspaceFactory(name="Other team"))


@pytest.fixture
def team_admin(plan):
    return UserFactory(username="teamadmin", role=WorkspaceMember.Role.ADMIN)


def htmx(client, method, url, data=None, **extra):
    return getattr(client, method)(url, data or {}, HTTP_HX_REQUEST="true", **extra)
