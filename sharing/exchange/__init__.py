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
    notes: list = field(default_factory=list)  # sentences on what the import did with the file (MSPDI)

    @property
    def changed(self):
        return bool(self.created or self.updated or self.phases_created)


_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def download_filename(*parts, ext):
    """A file name from the plan name and a suffix, safe on every OS and in a header."""
    name = "-".join(part for part in parts if part)
    name = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" ._") or "plan"
    return f"{name[:120]}.{ext}"


_HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")


def ascii_filename(filename, fallback="download"):
    """A readable ASCII version of a file name: Chinese as pinyin, one capital per syllable so that
    syllables stay apart ("MTP 接入-清单.xlsx" → "MTP_JieRu-QingDan.xlsx"), accents dropped, anything
    else outside [A-Za-z0-9.-] as "_".
    ``fallback`` names a file whose name has nothing left (e.g. "plan-12")."""
    from pypinyin import lazy_pinyin  # ~0.3 s and its dictionaries on the first download only

    # Each run of Chinese characters becomes one word, kept apart from its neighbours.
    spelled = "".join(f" {''.join(syllable.capitalize() for syllable in lazy_pinyin(part))} "
                      if _HAN.fullmatch(part) else part for part in _HAN.split(filename))
    name = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9.-]+", "_", name)
    name = re.sub(r"_?([.-])_?", r"\1", name).strip(" _-")
    stem, dot, ext = name.partition(".")
    if not stem.strip("._-"):
        name = fallback + dot + ext
    return name


def content_disposition(filename, *, fallback="download", inline=False):
    """An attachment header that keeps Chinese names (RFC 6266 / RFC 5987 ``filename*``).

    Every current browser prefers ``filename*``; old clients read the ASCII ``filename``, a
    pinyin spelling of the name (see :func:`ascii_filename`).
    """
    kind = "inline" if inline else "attachment"
    return (f"{kind}; filename=\"{ascii_filename(filename, fallback)}\"; "
            f"filename*=UTF-8''{quote(filename, safe='')}")
