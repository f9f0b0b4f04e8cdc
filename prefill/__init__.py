"""Population data for prefill: the Citizen record, the adapter protocol and its adapters.

This package knows nothing about Flask or forms (see ../shared/design.md). It is empty
until the prefill work (issue 3) lands; it exists now because the project's top level is
fixed: formengine/, form_definitions/, prefill/, templates/, tests/.
"""
