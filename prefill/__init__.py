"""Population data for prefill: the Citizen record, the adapter protocol and its adapters.

``model`` (the Citizen record and its attribute catalogue), ``codes`` (closed code lists),
``adapter`` (the protocol and its failures), ``sqlite`` (the embedded adapter),
``synthetic`` (the synthetic population), ``admin_units`` (provinces and communes). This
package knows nothing about Flask or forms (see docs/prefill.md).
"""
