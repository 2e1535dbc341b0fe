"""A resume or cover letter as a PDF (fpdf2, the profile PDF's ``Document``), laid out from
the section descriptions (``career_documents/layout.py``, as the page): the contact block is
the letterhead, then each section with content. Labels come from the message catalogue in the
current locale (the viewer's language)."""

from career_documents.layout import lines_of
from exports.pdf import Document


def paragraph(pdf, text, bold=False):
    pdf.set_font(pdf.family, "B" if bold else "", 10)
    pdf.multi_cell(0, pdf.LINE, pdf.clean(text), new_x="LMARGIN", new_y="NEXT")


def write_section(pdf, section, rows):
    if section.heading:
        pdf.heading(str(section.title))
    for row in rows:
        for style, text in lines_of(section, row):
            paragraph(pdf, text, bold=style == "strong")
        pdf.ln(2 if section.repeats else 3)


def document_pdf(document):
    """The document's PDF bytes; the first section (the contact block) heads the page."""
    kind, content = document.description, document.sections
    contact_section = kind.sections[0]
    contact = content[contact_section.key]
    pdf = Document(document.title, contact["name"] or document.title)
    pdf.set_title(pdf.clean(f"{kind.label}: {document.title}"))
    details = " · ".join(contact[f.name] for f in contact_section.fields[1:] if contact[f.name])
    if details:
        paragraph(pdf, details)
        pdf.ln(3)
    for section, rows in document.filled_sections:
        if section is not contact_section:
            write_section(pdf, section, rows)
    return bytes(pdf.output())
