"""Resumes and cover letters described once as data (``sections.py``): the builder form, the
page that shows a document and its PDF are all derived from the description (``builder.py``,
``templates/career_documents/``, ``exports/career_documents.py``)."""

from career_documents.sections import KINDS, DocumentKind, Field, Section

__all__ = ["KINDS", "DocumentKind", "Field", "Section"]
