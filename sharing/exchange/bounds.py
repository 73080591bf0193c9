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
import re
import struct
import zipfile
import zlib
from xml.parsers import expat

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


def _check_start(open_elements, elements):
    """The limits at an element's start, before it joins ``open_elements`` ([children so far,
    children allowed, …] of each element not yet closed): its parent's children, the depth, and
    ``elements`` so far, this one included."""
    if open_elements:
        parent = open_elements[-1]
        parent[0] += 1
        if parent[0] > parent[1]:
            raise UploadTooLarge(_("An XML element of the file has more than %(count)s children.")
                                 % {"count": f"{MAX_XML_CHILDREN:,}"})
    if len(open_elements) >= MAX_XML_DEPTH:
        raise UploadTooLarge(_("The file nests XML elements more than %(depth)s levels deep.")
                             % {"depth": MAX_XML_DEPTH})
    if elements > MAX_XML_ELEMENTS:
        raise UploadTooLarge(_("The file holds more than %(count)s XML elements.")
                             % {"count": f"{MAX_XML_ELEMENTS:,}"})


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
            _check_start(open_elements, elements)
            open_elements.append([0, MAX_XML_ELEMENTS if element.tag in LIST_TAGS else MAX_XML_CHILDREN])
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


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_ROW, _V, _IS, _T, _R = (f"{_MAIN} {name}" for name in ("row", "v", "is", "t", "r"))
_LIST_TAGS = {f"{_MAIN} sheetData", f"{_MAIN} sst"}
_COORDINATE = re.compile(r"^\$?([A-Za-z]{1,3})\$?\d+$")


def _refuse_doctype(*_args):
    # Read as a damaged workbook, like defusedxml's refusal in openpyxl's own parts.
    raise ValueError("a worksheet may not declare a DTD or entities")


class SheetRows:
    """The values of a worksheet's rows 1..``max_row``, columns 1..``max_col``, as openpyxl's
    read-only ``iter_rows(max_col=…, max_row=…)`` gives them (data_only: a formula's cached value;
    dates by the cell's date format; gaps as None; missing rows as empty rows), read with expat's
    callbacks instead of an ElementTree per element: about 4× less CPU for a 5,000-row sheet.

    The same limits as :func:`bounded_iterparse` (depth, elements, children, text) are checked as
    the sheet streams, and reading stops at row ``max_row`` + 1, so a sheet of a million rows costs
    what its first 5,002 do. ``percent(value)`` wraps a number whose format shows a percentage.
    """

    def __init__(self, source, *, shared_strings, date_styles, timedelta_styles, percent_styles, style_count,
                 epoch, max_col, max_row, percent, max_text=MAX_CELL_CHARS):
        self.source = source
        self.strings, self.date_styles, self.timedelta_styles = shared_strings, date_styles, timedelta_styles
        self.percent_styles, self.style_count, self.epoch, self.percent = percent_styles, style_count, epoch, percent
        self.max_col, self.max_row, self.max_text = max_col, max_row, max_text
        self.rows = []  # finished rows: (row number, {column: value})
        self.elements = 0
        self.open = []  # [children so far, children allowed, characters of text] per open element
        self.row = None  # {column: value} of the row being read
        self.row_depth = self.cell_depth = self.is_depth = -1
        self.row_number = self.column = 0
        self.cell = None  # [type, style, column] of the cell being read
        self.text = None  # pieces of the text being captured (a <v>, or an inline string's <t>)
        self.value = None  # the <v> text of the cell
        self.inline = None  # the inline string's pieces of the cell
        self.columns = {}  # "AB" -> 28

    # ---- expat callbacks
    def _start(self, name, attrs):
        self.elements += 1
        open_elements = self.open
        _check_start(open_elements, self.elements)
        depth = len(open_elements)
        open_elements.append([0, MAX_XML_ELEMENTS if name in _LIST_TAGS else MAX_XML_CHILDREN, 0])
        if self.cell is not None:
            if depth == self.cell_depth + 1:
                if name == _V:
                    self.text = []
                elif name == _IS:
                    self.is_depth, self.inline = depth, []
            elif self.is_depth >= 0 and name == _T and (
                    depth == self.is_depth + 1 or (depth == self.is_depth + 2 and self._in_run)):
                self.text = []
            elif self.is_depth >= 0 and depth == self.is_depth + 1:
                self._in_run = name == _R
        elif self.row is not None and depth == self.row_depth + 1:
            self._start_cell(depth, attrs)
        elif name == _ROW:
            self._start_row(depth, attrs)

    _in_run = False

    def _start_row(self, depth, attrs):
        number = attrs.get("r")
        if number is None:
            self.row_number += 1
        else:
            try:
                self.row_number = int(number)
            except ValueError:
                value = float(number)
                if not value.is_integer():
                    raise ValueError(f"{number} is not a valid row number") from None
                self.row_number = int(value)
        self.row, self.row_depth, self.column = {}, depth, 0

    def _start_cell(self, depth, attrs):
        coordinate = attrs.get("r")
        if coordinate:
            letters = coordinate.rstrip("0123456789").lstrip("$").rstrip("$")
            column = self.columns.get(letters)
            if column is None:
                if not _COORDINATE.match(coordinate):
                    raise ValueError(f"Invalid cell coordinates ({coordinate})")
                from openpyxl.utils import column_index_from_string

                column = self.columns[letters] = column_index_from_string(letters.upper())
            self.column = column
        else:
            self.column += 1
        style = attrs.get("s")
        self.cell = [attrs.get("t", "n"), int(style) if style else 0, self.column]
        self.cell_depth, self.value, self.inline = depth, None, None

    def _end(self, name):
        depth = len(self.open) - 1
        self.open.pop()
        if self.text is not None and name in (_V, _T):
            text = "".join(self.text)
            self.text = None
            if name == _V:
                self.value = text
            else:
                self.inline.append(text)
        elif depth == self.is_depth:
            self.is_depth, self._in_run = -1, False
        elif depth == self.cell_depth and self.cell is not None:
            self._end_cell()
        elif depth == self.row_depth and self.row is not None:
            self.rows.append((self.row_number, self.row))
            self.row, self.row_depth = None, -1

    def _end_cell(self):
        kind, style, column = self.cell
        self.cell, self.cell_depth = None, -1
        if not 1 <= column <= self.max_col:
            return
        if kind == "inlineStr":
            value = "".join(self.inline) if self.inline is not None else None
        else:
            value = self.value or None
            if value is not None:
                if kind == "n":
                    value = float(value) if ("." in value or "E" in value or "e" in value) else int(value)
                    if style in self.date_styles:
                        from openpyxl.utils.datetime import from_excel

                        try:
                            value = from_excel(value, self.epoch, timedelta=style in self.timedelta_styles)
                        except (OverflowError, ValueError):
                            value = "#VALUE!"
                    elif style >= self.style_count:
                        raise IndexError(f"cell style {style}")
                    elif style in self.percent_styles:
                        value = self.percent(value)
                elif kind == "s":
                    value = self.strings[int(value)]
                elif kind == "b":
                    value = bool(int(value))
                elif kind == "d":
                    from openpyxl.utils.datetime import from_ISO8601

                    value = from_ISO8601(value)
        self.row[column] = value

    def _characters(self, data):
        entry = self.open[-1]
        entry[2] += len(data)
        if entry[2] > self.max_text:
            raise UploadTooLarge(_("A cell or field holds more than %(count)s characters.")
                                 % {"count": f"{self.max_text:,}"})
        if self.text is not None:
            self.text.append(data)

    # ---- reading
    def read(self):
        """The rows, each a tuple of ``max_col`` values."""
        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.buffer_size = 1 << 16
        parser.StartElementHandler, parser.EndElementHandler = self._start, self._end
        parser.CharacterDataHandler = self._characters
        # No DTD, hence no entity of any kind (defusedxml's rule for every XML we read).
        parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = _refuse_doctype
        parser.ExternalEntityRefHandler = _refuse_doctype
        empty = (None,) * self.max_col
        out, counter = [], 1
        while True:
            chunk = self.source.read(1 << 16)
            parser.Parse(chunk, not chunk)
            for number, cells in self.rows:
                if number > self.max_row:
                    out.extend(empty for _ in range(counter, self.max_row + 1))
                    return out
                while counter < number:  # rows missing from the file read as empty rows
                    out.append(empty)
                    counter += 1
                if counter == number:
                    row = [None] * self.max_col
                    for column, value in cells.items():
                        row[column - 1] = value
                    out.append(tuple(row))
                    counter += 1
            self.rows.clear()
            if not chunk:
                return out
