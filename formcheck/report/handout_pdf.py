"""The handout as a one-page PDF (fpdf2), A4 or US Letter.

fpdf2 is pure Python (its dependencies, Pillow and fontTools, already come with matplotlib) and embeds a subset
of a TrueType font, so every name prints (DejaVu Sans, shipped inside matplotlib) and the text stays extractable
(pdftotext, screen readers). The page is laid out at a base font size and laid out again smaller until it fits
one page. Sizes in mm and points.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

from formcheck.atomic import write_bytes
from formcheck.report.handout import Fault, Handout

PAPERS = {"a4": "A4", "letter": "Letter"}
MARGIN_MM = 12.0
#: Base body size (pt) and the smallest the page may shrink to before it stops shrinking.
BODY_PT, MIN_SCALE, SCALE_STEP = 10.0, 0.6, 0.05
PICTURE_MM = (40.0, 50.0)  # key frame box: width, height
VERDICT_RGB = {"fail": (198, 40, 40), "warn": (190, 120, 0)}
GREY = (97, 97, 97)
PT_MM = 25.4 / 72.0


def _font_files() -> tuple[Path, Path]:
    import matplotlib

    base = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return base / "DejaVuSans.ttf", base / "DejaVuSans-Bold.ttf"


class _Page:
    """One attempt at laying the handout out at ``scale`` x the base sizes."""

    def __init__(self, paper: str, scale: float) -> None:
        self.pdf = FPDF(orientation="P", unit="mm", format=PAPERS[paper])
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
        regular, bold = _font_files()
        self.pdf.add_font("body", "", str(regular))
        self.pdf.add_font("body", "B", str(bold))
        self.pdf.add_page()
        self.scale = scale

    def font(self, size_pt: float, bold: bool = False, rgb: tuple[int, int, int] = (33, 33, 33)) -> float:
        """Set the font; return its line height (mm)."""
        pt = size_pt * self.scale
        self.pdf.set_font("body", "B" if bold else "", pt)
        self.pdf.set_text_color(*rgb)
        return pt * PT_MM * 1.3

    def text(self, x: float, w: float, text: str, size_pt: float, bold: bool = False, rgb=(33, 33, 33)) -> None:
        """A wrapped paragraph at ``x`` of width ``w`` from the current y; y moves below it."""
        line = self.font(size_pt, bold, rgb)
        self.pdf.set_x(x)
        self.pdf.multi_cell(w, line, text, align="L", new_x="LMARGIN", new_y="NEXT")

    def bullets(self, x: float, w: float, title: str, items: list[str]) -> None:
        self.text(x, w, title, BODY_PT * 1.2, bold=True)
        self.pdf.set_y(self.pdf.get_y() + 0.6 * self.scale)
        for item in items:
            y = self.pdf.get_y()
            line = self.font(BODY_PT)
            self.pdf.set_xy(x, y)
            self.pdf.cell(3.2 * self.scale, line, "\u2022")
            self.pdf.set_xy(x + 3.2 * self.scale, y)
            self.pdf.multi_cell(w - 3.2 * self.scale, line, item, align="L", new_x="LMARGIN", new_y="NEXT")
            self.pdf.set_y(self.pdf.get_y() + 0.8 * self.scale)
        self.pdf.set_y(self.pdf.get_y() + 2.0 * self.scale)

    def fault(self, k: int, f: Fault, width: float) -> None:
        x, y = MARGIN_MM, self.pdf.get_y()
        pw, ph = PICTURE_MM[0] * self.scale, PICTURE_MM[1] * self.scale
        if f.picture:
            self.pdf.image(io.BytesIO(f.picture), x=x, y=y, w=pw, h=ph, keep_aspect_ratio=True)
        tx, tw = x + pw + 4, width - pw - 4
        label = {"fail": "needs work", "warn": "almost there"}.get(f.verdict, f.verdict)
        score = f", score {f.score:.0f}/100" if f.score is not None else ""
        self.pdf.set_y(y)
        self.text(tx, tw, f"{k}. {f.title}", BODY_PT * 1.25, bold=True)
        self.text(tx, tw, f"{label}{score}: {f.message}", BODY_PT, rgb=VERDICT_RGB.get(f.verdict, GREY))
        if f.tip:
            self.pdf.set_y(self.pdf.get_y() + 0.8)
            self.text(tx, tw, f"Tip: {f.tip}", BODY_PT * 1.05)
        if f.frame is not None and f.picture:
            self.text(tx, tw, f"(picture: frame {f.frame} of the video)", BODY_PT * 0.85, rgb=GREY)
        self.pdf.set_y(max(self.pdf.get_y(), y + (ph if f.picture else 0)) + 3 * self.scale)

    def bottom(self) -> float:
        return self.pdf.h - MARGIN_MM


def _notes_lines(page: _Page, width: float) -> None:
    """Ruled lines for the coach's notes in the room left above the footer (none when under 25 mm are left)."""
    pdf = page.pdf
    free = page.bottom() - 8 - pdf.get_y()
    if free < 25:
        return
    page.text(MARGIN_MM, width, "Notes", BODY_PT * 1.2, bold=True)
    pdf.set_draw_color(190, 190, 190)
    y = pdf.get_y() + 8
    while y < page.bottom() - 8:
        pdf.line(MARGIN_MM, y, MARGIN_MM + width, y)
        y += 8
    pdf.set_y(y - 4)


def _layout(h: Handout, paper: str, scale: float) -> tuple[FPDF, float]:
    """Lay ``h`` out at ``scale``; return the document and the lowest y used (mm)."""
    page = _Page(paper, scale)
    pdf = page.pdf
    width = pdf.w - 2 * MARGIN_MM
    page.text(MARGIN_MM, width, h.heading, 17, bold=True)
    who = " \u00b7 ".join(x for x in (h.who, h.date) if x)
    if who:
        page.text(MARGIN_MM, width, who, 11, rgb=GREY)
    y = pdf.get_y() + 1.5
    pdf.set_draw_color(200, 200, 200)
    pdf.line(MARGIN_MM, y, pdf.w - MARGIN_MM, y)
    pdf.set_y(y + 3 * scale)
    if h.judged:
        page.text(MARGIN_MM, width, "Work on these first" if h.faults else "Your video", BODY_PT * 1.35, bold=True)
        pdf.set_y(pdf.get_y() + 1.5 * scale)
        for k, f in enumerate(h.faults, 1):
            page.fault(k, f, width)
        if not h.faults:
            page.text(MARGIN_MM, width, "No faults were found in this video: keep practising the cues below.", BODY_PT)
            pdf.set_y(pdf.get_y() + 3 * scale)
    col_w = (width - 6) / 2
    top = pdf.get_y()
    half = (len(h.sections) + 1) // 2
    lowest = top
    for col, sections in enumerate((h.sections[:half], h.sections[half:])):
        pdf.set_y(top)
        for s in sections:
            page.bullets(MARGIN_MM + col * (col_w + 6), col_w, s.title, list(s.items))
        lowest = max(lowest, pdf.get_y())
    pdf.set_y(lowest)
    _notes_lines(page, width)
    page.text(
        MARGIN_MM,
        width,
        "Made by formcheck from 2D video: angles and lengths carry a few degrees of error. Not medical advice.",
        BODY_PT * 0.8,
        rgb=GREY,
    )
    return pdf, pdf.get_y()


def handout_pdf(h: Handout, paper: str = "a4") -> bytes:
    """The handout as PDF bytes, on one page of ``paper`` (``a4`` or ``letter``), shrunk as needed to fit."""
    scale = 1.0
    while True:
        pdf, used = _layout(h, paper, scale)
        if used <= pdf.h - MARGIN_MM or scale - SCALE_STEP < MIN_SCALE:
            break
        scale -= SCALE_STEP
    pdf.set_title(h.heading)
    pdf.set_author("formcheck")
    pdf.set_creation_date(datetime(2000, 1, 1, tzinfo=UTC))  # the same handout gives the same bytes
    return bytes(pdf.output())


def write_handout_pdf(h: Handout, path: str | os.PathLike[str], paper: str = "a4") -> Path:
    """Write the handout to ``path`` atomically and return the path."""
    return write_bytes(path, handout_pdf(h, paper))
