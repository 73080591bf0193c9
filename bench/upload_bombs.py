"""Hostile upload files, each within the 5 MB upload limit: used by bench/upload_bench.py and by
tests/sharing/test_upload_bounds.py. ``scale`` shrinks them for tests (1.0 = the bench's size).

Excel: one huge inline string, many rows, many shared strings, deeply nested XML in a sheet, a
zip whose central directory lies about a member's uncompressed size, a part that is not in the
central directory at all. MS Project XML: deep nesting, many elements, a huge text node. JSON:
deep nesting, a huge number, many tiny objects, a long string.
"""
import io
import struct
import zipfile
import zlib

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 b'<Default Extension="xml" ContentType="application/xml"/>'
                 b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument'
                 b'.spreadsheetml.sheet.main+xml"/>'
                 b'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                 b'officedocument.spreadsheetml.worksheet+xml"/>'
                 b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                 b'officedocument.spreadsheetml.sharedStrings+xml"/>'
                 b'</Types>')
ROOT_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
             b'officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            b'<sheets><sheet name="Checklist" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                 b'worksheet" Target="worksheets/sheet1.xml"/>'
                 b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                 b'sharedStrings" Target="sharedStrings.xml"/></Relationships>')
SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              b'<row r="1"><c r="A1" t="inlineStr"><is><t>Title</t></is></c>'
              b'<c r="B1" t="inlineStr"><is><t>Phase</t></is></c></row>')
SHEET_TAIL = b'</sheetData></worksheet>'
EMPTY_STRINGS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"/>')


def _chunks(pieces, size=1 << 20):
    """Bytes from an iterable of small pieces, joined into ~1 MB chunks."""
    buffer, length = [], 0
    for piece in pieces:
        buffer.append(piece)
        length += len(piece)
        if length >= size:
            yield b"".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield b"".join(buffer)


def _repeat(piece, count):
    per_chunk = max(1, (1 << 20) // len(piece))
    block = piece * per_chunk
    while count >= per_chunk:
        yield block
        count -= per_chunk
    if count:
        yield piece * count


def _workbook(sheet_chunks, strings_chunks=(EMPTY_STRINGS,)):
    """An xlsx (zip) whose sheet and shared strings parts are written from chunks, never held whole."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, chunks in (("xl/worksheets/sheet1.xml", sheet_chunks), ("xl/sharedStrings.xml", strings_chunks)):
            with archive.open(name, "w", force_zip64=True) as part:
                for chunk in chunks:
                    part.write(chunk)
    return out.getvalue()


def xlsx_long_string(scale=1.0):
    """One cell holding one inline string of 1 GB (scale 1): ~1 MB on disk."""
    size = int(1_000_000_000 * scale)
    body = [SHEET_HEAD, b'<row r="2"><c r="A2" t="inlineStr"><is><t>'] + list(_repeat(b"a" * 1024, size // 1024)) + \
        [b'</t></is></c></row>', SHEET_TAIL]
    return _workbook(body)


def xlsx_many_rows(scale=1.0):
    """Millions of identical short rows (15 M, 1.3 GB at scale 1)."""
    rows = int(15_000_000 * scale)
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c><c t="inlineStr"><is><t>p</t></is></c></row>'
    return _workbook([SHEET_HEAD, *_repeat(row, rows), SHEET_TAIL])


def xlsx_many_shared_strings(scale=1.0):
    """A shared strings table of 40 M (scale 1) entries, the sheet using the first one."""
    count = int(40_000_000 * scale)
    strings = [b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
               *_repeat(b"<si><t>s</t></si>", count), b"</sst>"]
    sheet = [SHEET_HEAD, b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>', SHEET_TAIL]
    return _workbook(sheet, strings)


def xlsx_deep_xml(scale=1.0):
    """A cell whose inline string nests 20 M (scale 1) elements."""
    depth = int(20_000_000 * scale)
    body = [SHEET_HEAD, b'<row r="2"><c r="A2" t="inlineStr"><is>', *_repeat(b"<r>", depth),
            *_repeat(b"</r>", depth), b'</is></c></row>', SHEET_TAIL]
    return _workbook(body)


def xlsx_wide_rows(scale=1.0):
    """Rows of 100,000 empty cells each (4 M cells at scale 1)."""
    rows = max(1, int(40 * scale))
    row = b"<row>" + b"<c/>" * 100_000 + b"</row>"
    return _workbook([SHEET_HEAD, *_repeat(row, rows), SHEET_TAIL])


def xlsx_many_elements(scale=1.0):
    """Millions of unknown empty elements beside the rows (10 M at scale 1): never cleared by
    openpyxl, they would all stay in memory."""
    return _workbook([SHEET_HEAD, *_repeat(b"<x/>", int(10_000_000 * scale)), SHEET_TAIL])


def xlsx_lying_sizes(scale=1.0):
    """A workbook whose central directory says the sheet unpacks to 2 KB, with the CRC of those
    2 KB: it holds a 1 GB (scale 1) string. Readers that trust the header stop at 2 KB."""
    data = bytearray(xlsx_long_string(scale))
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("xl/worksheets/sheet1.xml")
    with archive.open(info) as part:
        head = part.read(2048)
    offset = data.find(b"PK\x01\x02", archive.start_dir)
    while offset != -1:
        name_length, extra_length = struct.unpack_from("<HH", data, offset + 28)
        if bytes(data[offset + 46:offset + 46 + name_length]) == info.filename.encode():
            struct.pack_into("<I", data, offset + 16, zlib.crc32(head))
            if struct.unpack_from("<I", data, offset + 24)[0] == 0xFFFFFFFF:  # the size is in the zip64 field
                extra, end = offset + 46 + name_length, offset + 46 + name_length + extra_length
                while extra < end:
                    tag, length = struct.unpack_from("<HH", data, extra)
                    if tag == 1:
                        struct.pack_into("<Q", data, extra + 4, 2048)
                    extra += 4 + length
            else:
                struct.pack_into("<I", data, offset + 24, 2048)
        offset = data.find(b"PK\x01\x02", offset + 4)
    return bytes(data)


def mspdi_deep(scale=1.0):
    depth = int(700_000 * scale)
    return (b'<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><Tasks><Task>' +
            b"<a>" * depth + b"</a>" * depth + b"</Task></Tasks></Project>")


def mspdi_many_elements(scale=1.0):
    count = int(600_000 * scale)
    return (b'<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><Tasks>' +
            b"<b/><c/>" * count + b"</Tasks></Project>")


def mspdi_long_text(scale=1.0):
    size = int(5_000_000 * scale) - 200
    return (b'<?xml version="1.0"?><Project xmlns="http://schemas.microsoft.com/project"><Tasks><Task><UID>1</UID>'
            b'<Name>' + "长".encode() * (size // 3) + b'</Name></Task></Tasks></Project>')


HEAD = b'{"format": "paasport-plan", "version": 1, '


def json_deep(scale=1.0):
    depth = int(2_500_000 * scale)
    return b"[" * depth + b"]" * depth


def json_huge_number(scale=1.0):
    return HEAD + b' "plan": {"name": "' + b"1" * 10 + b'"}, "tasks": [' + b"9" * int(5_000_000 * scale - 100) \
        + b"]}"


def json_many_objects(scale=1.0):
    count = int(1_300_000 * scale)
    return HEAD + b' "tasks": [' + b"{}," * count + b"{}]}"


def json_long_string(scale=1.0):
    return HEAD + b' "plan": {"name": "' + "长".encode() * int(1_600_000 * scale) + b'"}}'


XLSX = {"long string (1 GB inline)": xlsx_long_string,
        "long string (49 MB, under the unzip limit)": lambda scale=1.0: xlsx_long_string(0.049 * scale),
        "many rows (15 M)": xlsx_many_rows,
        "many rows (500,000, under the unzip limit)": lambda scale=1.0: xlsx_many_rows(0.033 * scale),
        "many shared strings (40 M)": xlsx_many_shared_strings,
        "many shared strings (2.8 M, under the limit)": lambda scale=1.0: xlsx_many_shared_strings(0.07 * scale),
        "deep XML (20 M levels)": xlsx_deep_xml,
        "deep XML (7 M levels, under the limit)": lambda scale=1.0: xlsx_deep_xml(0.35 * scale),
        "wide rows (40 x 100,000 cells)": xlsx_wide_rows, "many unknown elements (10 M)": xlsx_many_elements,
        "lying zip sizes (2 KB said, 1 GB held)": xlsx_lying_sizes}
MSPDI = {"deep XML (700,000 levels)": mspdi_deep, "many elements (1.2 M)": mspdi_many_elements,
         "long text (5 MB)": mspdi_long_text}
JSON = {"deep nesting (2.5 M)": json_deep, "huge number (5 M digits)": json_huge_number,
        "many objects (1.3 M)": json_many_objects, "long string (4.8 MB)": json_long_string}
