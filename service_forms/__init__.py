"""The service forms, described once as data.

``fields.py`` has the field and form description types and derives field lists from the
iCARE templates; ``catalogue.py`` lists every form kind. Models, forms, completeness checks,
grids and (later) reports and iCARE exports are all derived from ``FORMS``.
"""

from service_forms.catalogue import FORMS, SESSION_TYPES, forms_for_session_type
from service_forms.fields import FieldSpec, FormSpec

__all__ = ["FORMS", "SESSION_TYPES", "FieldSpec", "FormSpec", "forms_for_session_type"]
