"""Plan exchange: Excel checklists, JSON backups, MS Project XML (MSPDI) and iCal feeds.

Each module is a pair of pure functions (build a file from a plan / read a file into
the plan) plus one service per import that writes everything in a single transaction.
Imports validate the whole file first and raise :class:`ImportFailed` with every problem
found, so a bad file changes nothing and the user can fix all of it in one go.
"""
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote

from django.utils.translation import gettext as _

#: Uploads larger than this are refused before they are parsed.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Rows (Excel) or tasks (JSON, MSPDI) per file.
MAX_ROWS = 5000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import file.

    ``where`` locates it in the user's terms: an Excel row number, a JSON path or a
    task UID; ``column`` names the Excel column as written in the file's header.
    """

    message: str
    row: int | None = None
    column: str = ""
    where: str = ""

    def __str__(self):
        place = self.location
        return f"{place}: {self.message}" if place else str(self.message)

    @property
    def location(self):
        bits = []
        if self.row is not None:
            bits.append(_("Row %(row)s") % {"row": self.row})
        if self.column:
            bits.append(_("column “%(column)s”") % {"column": self.column})
        if self.where:
            bits.append(self.where)
        return ", ".join(bits)


class ImportFailed(Exception):
    """The file was refused; nothing was written. ``problems`` lists everything found."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems[:5]))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    phases_created: list = field(default_factory=list)
    links: int = 0
    kept: int = 0  # cells of the file older than the plan's values, left as the plan has them
    plan: object = None
    moved: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created or self.updated or self.phases_created)


_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def download_filename(*parts, ext):
    """A file name from the plan name and a suffix, safe on every OS and in a header."""
    name = "-".join(part for part in parts if part)
    name = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" ._") or "plan"
    return f"{name[:120]}.{ext}"


def content_disposition(filename):
    """An attachment header that keeps Chinese names (RFC 6266 / RFC 5987 ``filename*``).

    Old clients read the ASCII ``filename``; every current browser prefers ``filename*``.
    """
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    ascii_name = re.sub(r"[^A-Za-z0-9.-]+", "_", ascii_name)
    ascii_name = re.sub(r"_?([.-])_?", r"\1", ascii_name).strip(" _-") or "download"
    if ascii_name.startswith("."):
        ascii_name = "download" + ascii_name
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
