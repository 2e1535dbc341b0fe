"""A resume or cover letter as a PDF (fpdf2, the profile PDF's ``Document``), laid out from
the section descriptions: the contact block is the letterhead, then each section in order.
Labels come from the message catalogue in the current locale (the viewer's language)."""

from datetime import date

from flask_babel import format_date, gettext

from exports.pdf import LINE, Document

TEXT_KINDS = ("text", "email", "phone", "year", "url")


def month_text(value):
    """``2021-09`` as "Sep 2021" in the current language (an unexpected value as typed)."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return format_date(date(year, month, 1), "MMM yyyy")
    except ValueError:
        return value


def shown_value(field, value):
    if field.kind == "month":
        return month_text(value)
    if field.kind == "date":
        try:
            return format_date(date.fromisoformat(value), "long")
        except ValueError:
            return value
    return value


def paragraph(pdf, text, bold=False, gap=1):
    pdf.set_font(pdf.family, "B" if bold else "", 10)
    pdf.multi_cell(0, LINE, pdf.clean(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def span_line(section, entry):
    start, end = section.span
    if not entry[start] and not entry[end]:
        return ""
    until = month_text(entry[end]) if entry[end] else gettext("Present")
    return f"{month_text(entry[start])} – {until}" if entry[start] else until


def write_entry(pdf, section, entry):
    """An entry: its short fields on one bold line, its dates, then its longer texts."""
    spanned = set(section.span or ())
    short = [entry[f.name] for f in section.fields if f.kind in TEXT_KINDS and entry[f.name] and f.name not in spanned]
    if short:
        paragraph(pdf, " · ".join(short), bold=True, gap=0)
    if section.span and span_line(section, entry):
        paragraph(pdf, span_line(section, entry), gap=0)
    for field in section.fields:
        if field.kind not in TEXT_KINDS and field.name not in spanned and entry[field.name]:
            paragraph(pdf, shown_value(field, entry[field.name]), gap=0)
    pdf.ln(2)


def write_section(pdf, section, rows):
    if section.heading:
        pdf.heading(str(section.title))
    for row in rows:
        if section.repeats:
            write_entry(pdf, section, row)
        else:
            for field in section.fields:
                if row[field.name]:
                    paragraph(pdf, shown_value(field, row[field.name]), gap=0)
            pdf.ln(3)


def document_pdf(document):
    """The document's PDF bytes; the first section (the contact block) heads the page."""
    kind, content = document.description, document.sections
    contact_section = kind.sections[0]
    contact = content[contact_section.key]
    pdf = Document(document.title, contact["name"] or document.title)
    pdf.set_title(pdf.clean(f"{kind.label}: {document.title}"))
    details = " · ".join(contact[f.name] for f in contact_section.fields[1:] if contact[f.name])
    if details:
        paragraph(pdf, details, gap=3)
    for section, rows in document.filled_sections:
        if section is not contact_section:
            write_section(pdf, section, rows)
    return bytes(pdf.output())
