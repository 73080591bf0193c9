"""What an uploaded file really is, and the name it is kept and served under.

The type comes from the first bytes of the content (and, for Office documents, from the parts
listed inside the zip), never from the name or the browser's claim: an .exe renamed .pdf is
refused. Only the types of ACCEPTED are kept; of those, only IMAGES are ever shown in the page.
"""
import os
import re
import unicodedata
import zipfile

from django.utils.translation import gettext_lazy as _

PDF, PNG, JPEG, GIF, WEBP = "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ZIP, TEXT = "application/zip", "text/plain"

# type: (extension it is stored under, label shown in lists)
ACCEPTED = {
    PDF: ("pdf", "PDF"), PNG: ("png", "PNG"), JPEG: ("jpg", "JPEG"), GIF: ("gif", "GIF"), WEBP: ("webp", "WebP"),
    DOCX: ("docx", "Word"), XLSX: ("xlsx", "Excel"), PPTX: ("pptx", "PowerPoint"), ZIP: ("zip", "ZIP"),
    TEXT: ("txt", "TXT"),
}
# Shown inline (a preview) by the file view; everything else is only ever downloaded.
IMAGES = {PNG, JPEG, GIF, WEBP}
ACCEPTED_LABEL = _("PDF, images (PNG, JPEG, GIF, WebP), Word, Excel and PowerPoint documents, ZIP archives "
                   "and plain text")

SAMPLE = 8192
_OFFICE = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX), ("ppt/presentation.xml", PPTX))


def sniff(upload):
    """The accepted type of an uploaded file's content, or None. Leaves the file at its start."""
    upload.seek(0)
    head = upload.read(SAMPLE)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    if _is_text(head):
        return TEXT
    return None


def _zip_kind(upload):
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names:
        for part, kind in _OFFICE:
            if part in names:
                return kind
    return ZIP


def _is_text(head):
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError as error:
            # A sample cut in the middle of a character is still text.
            if len(head) == SAMPLE and error.start >= len(head) - 4:
                text = head[:error.start].decode(encoding, errors="ignore")
            else:
                continue
        # Control characters other than whitespace mean a binary format.
        if not any(unicodedata.category(char) == "Cc" and char not in "\t\n\r\f\x1b" for char in text):
            return True
    return False


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
MAX_NAME = 200


def clean_name(name):
    """A file name people recognise and that is safe in a header and on any disk: the last path
    part, without control or reserved characters, at most MAX_NAME characters with its extension."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(char for char in name if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    if not name:
        return "file"
    stem, ext = os.path.splitext(name)
    if len(name) > MAX_NAME:
        ext = ext[:20]
        name = stem[:MAX_NAME - len(ext)] + ext
    return name
