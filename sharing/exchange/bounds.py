"""Limits that hold an upload's cost down before and while it is parsed (issue 13 item 4).

An upload is at most 5 MB, but what it unpacks to is not: a 1 MB xlsx can hold a 1 GB string, an
XML file can nest millions of elements. Every import goes through these checks, each refusing the
file with a message a user can act on (:class:`~sharing.exchange.ImportFailed`):

- :func:`check_zip` reads an xlsx's central directory (members, declared sizes, compression) and
  then inflates every member as a stream with a cap, so a member whose header understates its
  size (a "lying" header) is caught at the cap, never held whole; nothing is parsed before.
- :func:`bounded_iterparse` is the streaming XML parser of the xlsx reader (openpyxl's, in
  read-only mode) and of the MS Project reader: no DTD or entity, at most ``MAX_XML_DEPTH`` levels
  and ``MAX_XML_ELEMENTS`` elements, each text at most ``max_text`` characters (an Excel cell holds
  at most 32,767).
- :func:`load_json` refuses NaN, Infinity, numbers beyond a float and too-deep nesting.
"""
import io
import json
import math
import struct
import zipfile
import zlib

from defusedxml.ElementTree import iterparse as _defused_iterparse
from django.utils.translation import gettext as _

from . import ImportFailed, Problem

#: What all the members of an xlsx may uncompress to, together.
MAX_UNZIPPED_BYTES = 50 * 2**20
#: Each XML part that openpyxl parses whole (styles, workbook, relationships, properties...).
MAX_SMALL_PART_BYTES = 2 * 2**20
#: Members of one zip.
MAX_ZIP_MEMBERS = 500
#: Nesting of any XML we parse (an xlsx sheet is about 6 deep, an MS Project file about 5).
MAX_XML_DEPTH = 64
#: Elements of one XML part (a 5,000-row checklist of 19 columns is about 290,000).
MAX_XML_ELEMENTS = 400_000
#: Children of one element (an Excel row holds at most 16,384 cells), but for the lists below.
MAX_XML_CHILDREN = 20_000
#: Elements whose children are a document's rows: bounded by MAX_XML_ELEMENTS alone.
LIST_TAGS = {"{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheetData",
             "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sst"}
#: Entries of an xlsx's shared strings table (5,000 rows of 20 different texts).
MAX_SHARED_STRINGS = 100_000
#: Characters of one Excel cell: Excel's own limit.
MAX_CELL_CHARS = 32_767
#: Parts streamed element by element, which may be as large as the whole limit.
_STREAMED_PARTS = ("xl/worksheets/", "xl/sharedStrings.xml")
_CHUNK = 1 << 20


class UploadTooLarge(Exception):
    """Raised while parsing (from inside openpyxl); turned into ImportFailed by the reader."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def _mb(size):
    return f"{size / 2**20:.0f}"


def check_zip(data):
    """Refuse an xlsx (ImportFailed) whose members would unpack beyond the limits, or whose
    headers understate what they hold. Inflates each member as a stream: memory stays ~1 MB."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, struct.error, EOFError, KeyError):
        raise ImportFailed([Problem(_("This is not an Excel workbook (.xlsx): export one from Excel, WPS or this "
                                      "page and try again."))]) from None
    too_big = Problem(_("The workbook unpacks to more than %(size)s MB: it cannot be a checklist. Save it again "
                        "from Excel or WPS without pictures or extra sheets.") % {"size": _mb(MAX_UNZIPPED_BYTES)})
    if len(members) > MAX_ZIP_MEMBERS:
        raise ImportFailed([Problem(_("The workbook holds more than %(count)s parts.") % {"count": MAX_ZIP_MEMBERS})])
    if sum(info.file_size for info in members) > MAX_UNZIPPED_BYTES:
        raise ImportFailed([too_big])
    budget = MAX_UNZIPPED_BYTES
    for info in members:
        limit = info.file_size
        small = info.filename.endswith((".xml", ".rels")) and not info.filename.startswith(_STREAMED_PARTS)
        if small and info.file_size > MAX_SMALL_PART_BYTES:
            raise ImportFailed([Problem(_("The part “%(part)s” of the workbook unpacks to more than %(size)s MB.")
                                        % {"part": info.filename[:80], "size": _mb(MAX_SMALL_PART_BYTES)})])
        counter = _SharedStrings() if info.filename == "xl/sharedStrings.xml" else None
        size = _inflated_size(data, info, min(limit, budget) + 1, counter)
        if size is not None and size < info.file_size:
            size = None  # cut short: damaged, or a header that overstates the size
        if size is None:
            raise ImportFailed([Problem(_("The workbook is damaged or encrypted (part “%(part)s”): save it again "
                                          "from Excel or WPS.") % {"part": info.filename[:80]})])
        if size > budget:
            raise ImportFailed([too_big])
        if size != info.file_size:
            raise ImportFailed([Problem(_("The workbook's part “%(part)s” holds more than its header says: the file "
                                          "was altered and is refused.") % {"part": info.filename[:80]})])
        if counter is not None and counter.count > MAX_SHARED_STRINGS:
            raise ImportFailed([Problem(_("The workbook's shared strings table holds more than %(count)s texts: it "
                                          "cannot be a checklist.") % {"count": f"{MAX_SHARED_STRINGS:,}"})])
        budget -= size


class _SharedStrings:
    """Counts the ``<si>`` entries of a shared strings part fed in chunks. A mark split between two
    chunks is found with the last 3 bytes of the first kept; a mark is 4 bytes long, so none is
    counted twice."""

    MARKS = (b"<si>", b"<si ", b":si>", b":si ")

    def __init__(self):
        self.count, self.tail = 0, b""

    def feed(self, chunk):
        text = self.tail + chunk
        self.count += sum(text.count(mark) for mark in self.MARKS)
        self.tail = text[-3:]


def _inflated_size(data, info, cap, counter=None):
    """Bytes the member really inflates to, counted up to ``cap`` (then ``cap``); None when the
    member cannot be read (encrypted, unknown compression, truncated, bad deflate data)."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    try:
        signature, name_length, extra_length = struct.unpack_from("<4s22xHH", data, info.header_offset)
    except struct.error:
        return None
    if signature != b"PK\x03\x04":
        return None
    start = info.header_offset + 30 + name_length + extra_length
    raw = memoryview(data)[start:start + info.compress_size]
    if len(raw) != info.compress_size:
        return None
    if info.compress_type == zipfile.ZIP_STORED:
        if counter is not None:
            counter.feed(bytes(raw[:cap]))
        return min(len(raw), cap)
    inflater = zlib.decompressobj(-15)
    total = 0
    try:
        for offset in range(0, len(raw), _CHUNK):
            pending = raw[offset:offset + _CHUNK]
            while pending:
                chunk = inflater.decompress(pending, _CHUNK)
                total += len(chunk)
                if counter is not None:
                    counter.feed(chunk)
                if total >= cap:
                    return cap
                pending = inflater.unconsumed_tail
        rest = inflater.flush()
        total += len(rest)
        if counter is not None:
            counter.feed(rest)
    except zlib.error:
        return None
    return min(total, cap)


def bounded_iterparse(source, events=None, parser=None, *, max_text=MAX_CELL_CHARS):
    """``xml.etree.ElementTree.iterparse`` without DTDs or entities, refusing (UploadTooLarge) a
    document nested deeper than MAX_XML_DEPTH, with more than MAX_XML_ELEMENTS elements or a text
    longer than ``max_text`` characters, at the element where it happens."""
    wanted = set(events or ("end",))
    elements = 0
    open_elements = []  # [children so far, children allowed] of each element not yet closed
    for event, element in _defused_iterparse(source, events=("start", "end"), forbid_dtd=True):
        if event == "start":
            elements += 1
            if open_elements:
                parent = open_elements[-1]
                parent[0] += 1
                if parent[0] > parent[1]:
                    raise UploadTooLarge(_("An XML element of the file has more than %(count)s children.")
                                         % {"count": f"{MAX_XML_CHILDREN:,}"})
            open_elements.append([0, MAX_XML_ELEMENTS if element.tag in LIST_TAGS else MAX_XML_CHILDREN])
            if len(open_elements) > MAX_XML_DEPTH:
                raise UploadTooLarge(_("The file nests XML elements more than %(depth)s levels deep.")
                                     % {"depth": MAX_XML_DEPTH})
            if elements > MAX_XML_ELEMENTS:
                raise UploadTooLarge(_("The file holds more than %(count)s XML elements.")
                                     % {"count": f"{MAX_XML_ELEMENTS:,}"})
        else:
            open_elements.pop()
            if max_text and element.text and len(element.text) > max_text:
                raise UploadTooLarge(_("A cell or field holds more than %(count)s characters.")
                                     % {"count": f"{max_text:,}"})
        if event in wanted:
            yield event, element


def parse_xml(data, *, max_text=None):
    """The root element of an XML document, parsed with :func:`bounded_iterparse`."""
    root = None
    for _event, element in bounded_iterparse(io.BytesIO(data), events=("start",), max_text=max_text):
        if root is None:
            root = element
    return root


class NotFinite(ValueError):
    """NaN or Infinity in a JSON file."""


def _refuse_constant(name):
    raise NotFinite(_("%(value)s is not a number that can be stored: use a finite number.") % {"value": name})


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):
        _refuse_constant(text[:20])
    return value


def load_json(text):
    """``json.loads`` refusing NaN and Infinity (as written or as 1e400) with NotFinite; a number of
    more than 4,300 digits raises ValueError (Python's own limit)."""
    return json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)


def install_openpyxl_guard():
    """Make openpyxl's sheet and shared-strings readers use :func:`bounded_iterparse`.

    openpyxl imports ``iterparse`` by name into these two modules; replacing the name there is
    the only hook it has. The limits are generous for any real workbook (Excel itself caps a cell
    at 32,767 characters), so they hold for every read, the imports' and any other."""
    from openpyxl.reader import strings
    from openpyxl.worksheet import _reader

    _reader.iterparse = bounded_iterparse
    strings.iterparse = bounded_iterparse
