"""Both languages are complete: every message has a translation, and the engine's labels are listed."""
import subprocess
from pathlib import Path

import polib
import pytest
from django.utils import translation

from schedule.engine import EXPLANATIONS, PART_LABELS
from schedule.engine_strings import ENGINE_STRINGS

LOCALE = Path(__file__).resolve().parent.parent / "locale"


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_catalogue_is_complete(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    assert catalogue.percent_translated() == 100, [entry.msgid for entry in catalogue.untranslated_entries()][:20]
    assert not catalogue.fuzzy_entries(), [entry.msgid for entry in catalogue.fuzzy_entries()][:20]
    compiled = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert compiled.exists() and compiled.stat().st_mtime >= (LOCALE / language / "LC_MESSAGES" / "django.po").stat().st_mtime - 5


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_catalogue_compiles_with_format_checks(language, tmp_path):
    # compilemessages (the Docker build runs it) uses msgfmt --check-format: a translation whose
    # %-placeholders differ from the source fails the build
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    done = subprocess.run(["msgfmt", "--check-format", "-o", str(tmp_path / "django.mo"), str(po)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_engine_labels_are_extracted_and_translated():
    assert set(ENGINE_STRINGS) == set(PART_LABELS.values()) | set(EXPLANATIONS.values())
    with translation.override("zh-hans"):
        untranslated = [text for text in ENGINE_STRINGS if translation.gettext(text) == text]
    assert not untranslated
