"""The type of an upload comes from its content; names are made safe."""
import io
import zipfile

import pytest

from collab import files
from tests.collab.conftest import EXE, PDF, PNG


def _zip(*names):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return out.getvalue()


@pytest.mark.parametrize("content, expected", [
    (PDF, files.PDF), (PNG, files.PNG), (b"\xff\xd8\xff\xe0\x00\x10JFIF", files.JPEG), (b"GIF89a\x01\x00", files.GIF),
    (b"RIFF\x10\x00\x00\x00WEBPVP8 ", files.WEBP),
    (_zip("[Content_Types].xml", "word/document.xml"), files.DOCX),
    (_zip("[Content_Types].xml", "xl/workbook.xml"), files.XLSX),
    (_zip("[Content_Types].xml", "ppt/presentation.xml"), files.PPTX),
    (_zip("sdk/readme.md"), files.ZIP),
    ("接口说明\nGET /v1/scan\n".encode(), files.TEXT), ("接口说明".encode("gb18030"), files.TEXT),
    (b"<svg onload=alert(1)></svg>", files.TEXT),
    (EXE, None), (b"\x7fELF\x02\x01\x01", None), (b"PK\x03\x04broken zip", None), (b"\x00\x01\x02\x03", None),
    (b"", None), (b"\xca\xfe\xba\xbe\x00\x00", None),
])
def test_the_content_decides_the_type(content, expected):
    upload = io.BytesIO(content)
    assert files.sniff(upload) == expected
    assert upload.tell() == 0


def test_a_long_text_cut_inside_a_character_is_still_text():
    content = ("中" * (files.SAMPLE // 3 + 5)).encode()
    assert files.sniff(io.BytesIO(content)) == files.TEXT


@pytest.mark.parametrize("name, expected", [
    ("report.pdf", "report.pdf"), ("../../etc/passwd", "passwd"), ("C:\\Users\\x\\合同.docx", "合同.docx"),
    (".htaccess", "htaccess"), ("", "file"), ("...", "file"), ("a\u202egpj.exe", "agpj.exe"),
    ('x<script>"y".pdf', "x_script__y_.pdf"), ("长" * 300 + ".pdf", "长" * 196 + ".pdf"),
])
def test_names_are_made_safe(name, expected):
    assert files.clean_name(name) == expected
