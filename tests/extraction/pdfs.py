"""PDFs written in the tests as publishers print instruments, and the bad ones a curator
meets: encrypted, scanned (images only), broken.

`printed` sets a layout text (each line where it stands on the page, columns apart) in a
proportional font (Helvetica 10 unless told: any of the PDF core fonts, at any size): each
run of words at the place its first character has in the text, so two columns of
signature blocks are printed side by side. A page ends at a form feed or after its "Page
N of M" footer.
"""

import io
import re

from fpdf import FPDF
from fpdf.enums import EncryptionMethod
from PIL import Image, ImageDraw

MARGIN_MM = 15
SIZE_PT = 10
COLUMN_MM = 2.0  # one character of the layout text, at SIZE_PT
LINE_MM = 5
PAGE_FOOTER = re.compile(r"\s*Page \d+ of \d+\s*")
WORDS = re.compile(r"\S+(?: {1,2}\S+)*")  # three spaces or more part columns


def printed(
    layout: str, scanned_pages: int = 0, font: str = "Helvetica", size: float = SIZE_PT
) -> bytes:
    """`layout` printed, and then as many pages of a scan (without a text layer)."""
    pdf = _pdf()
    pdf.set_font(font, size=size)
    column, line_height = COLUMN_MM * size / SIZE_PT, LINE_MM * size / SIZE_PT
    for page in _pages(layout):
        pdf.add_page()
        for row, line in enumerate(page):
            for run in WORDS.finditer(line):
                pdf.set_xy(MARGIN_MM + run.start() * column, MARGIN_MM + row * line_height)
                pdf.cell(text=run.group())
    _scan(pdf, scanned_pages)
    return bytes(pdf.output())


def encrypted(layout: str, user_password: str) -> bytes:
    """`layout` printed and encrypted (RC4, as older publishing tools do): with a user
    password it cannot be opened without one; with an empty one it opens, restricted."""
    pdf = _pdf()
    pdf.set_encryption(
        owner_password="publisher",
        user_password=user_password,
        encryption_method=EncryptionMethod.RC4,
    )
    pdf.add_page()
    for row, line in enumerate(layout.splitlines()):
        if line:
            pdf.set_xy(MARGIN_MM, MARGIN_MM + row * LINE_MM)
            pdf.cell(text=line)
    return bytes(pdf.output())


def scanned(pages: int) -> bytes:
    """A scan: each page one image of lines of 'text', and no text layer."""
    pdf = _pdf()
    _scan(pdf, pages)
    return bytes(pdf.output())


def _scan(pdf: FPDF, pages: int) -> None:
    for _ in range(pages):
        image = Image.new("L", (420, 594), 255)
        draw = ImageDraw.Draw(image)
        for row in range(40, 560, 18):
            draw.rectangle((40, row, 380, row + 8), fill=30)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        pdf.add_page()
        pdf.image(buffer, x=0, y=0, w=210)


def _pdf() -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.core_fonts_encoding = "windows-1252"  # dashes and quotes, as publishers set them
    pdf.set_font("Helvetica", size=SIZE_PT)
    return pdf


def _pages(layout: str) -> list[list[str]]:
    pages: list[list[str]] = [[]]
    for page_text in layout.split("\f"):
        for line in page_text.split("\n"):
            pages[-1].append(line)
            if PAGE_FOOTER.fullmatch(line):
                pages.append([])
        pages.append([])
    return [_trimmed(page) for page in pages if any(line.strip() for line in page)]


def _trimmed(page: list[str]) -> list[str]:
    while not page[0].strip():
        page = page[1:]
    return page
