"""The service forms and session types, described once as data.

``fields.py`` has the field and form description types and derives field lists from the
iCARE templates (``icare.py``); ``catalogue.py`` lists every form kind (``FORMS``) and
``session_types.py`` every session type (``SESSION_TYPES``): what it offers and how it
behaves. Models, forms, completeness checks, grids and (later) reports and iCARE exports are
all derived from these.
"""

from service_forms.catalogue import FORMS, form_kind
from service_forms.fields import FieldSpec, FormSpec
from service_forms.session_types import SESSION_TYPES, SessionType, forms_for_session_type, session_type

__all__ = [
    "FORMS",
    "SESSION_TYPES",
    "FieldSpec",
    "FormSpec",
    "SessionType",
    "form_kind",
    "forms_for_session_type",
    "session_type",
]
