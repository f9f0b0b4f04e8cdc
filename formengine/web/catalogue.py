"""The catalogue page (``GET /``, ``GET /?q=...``): procedures by life event, and search.

Without a query the page lists every procedure under its life event; with ``q`` it lists
the matching ones, best first (formengine/catalogue.py). Searching works as an ordinary
GET form; htmx, targeting ``#fe-results`` as the citizen types, gets only the results and
the updated count (an out-of-band swap of the live region that announces it).
"""

from __future__ import annotations

from flask import current_app, g, make_response, render_template, request
from flask.typing import ResponseReturnValue

from formengine.catalogue import LIFE_EVENTS, MAX_QUERY, documents_to_provide, fee_text, index_for
from formengine.definitions import Catalog
from formengine.htmx import vary_on_htmx

#: The id of the element htmx swaps with the results.
RESULTS_ID = "fe-results"


def _results_only() -> bool:
    """An htmx request for the results alone (not a history restore, which wants the page)."""
    headers = request.headers
    return (headers.get("HX-Request") == "true" and headers.get("HX-Target") == RESULTS_ID
            and headers.get("HX-History-Restore-Request") != "true")


def page() -> ResponseReturnValue:
    """The catalogue, or the results of ``q`` (only them for htmx)."""
    catalog: Catalog = current_app.extensions["formengine.catalog"]
    index = index_for(catalog, g.lang)
    query = " ".join(request.args.get("q", "")[:MAX_QUERY].split())
    context = {
        "query": query,
        "results": index.search(query) if query else None,
        "groups": index.groups(),
        "total": len(index),
        "life_events": LIFE_EVENTS,
        "fee_text": fee_text,
        "documents_to_provide": documents_to_provide,
        "results_id": RESULTS_ID,
    }
    if _results_only():
        html = render_template("_catalogue_results.html", oob=True, **context)
    else:
        html = render_template("catalogue.html", **context)
    response = make_response(html)
    response.vary.add("HX-Target")
    return vary_on_htmx(response)
