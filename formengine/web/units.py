"""Administrative units for the commune list of an address (public data, no personal data).

``GET /units/communes?province=01&q=ba%20dinh&selected=00004&lang=vi`` answers the
``<option>``s of the commune select for what was typed (htmx swaps them in as the citizen
types). It never fails on odd input: an unknown province gives only the placeholder, the
query is cut to :data:`MAX_QUERY` characters. The answer depends only on the URL, so it is
cacheable.
"""

from __future__ import annotations

from flask import Blueprint, g, make_response, request
from flask.typing import ResponseReturnValue

from formengine.rendering.communes import province_code, search_options_html

bp = Blueprint("units", __name__)

#: Characters of ``q`` that are read (the longest commune name is far shorter).
MAX_QUERY = 60
#: How long browsers and proxies may keep an answer (the data changes with a release).
MAX_AGE = 86_400


@bp.get("/units/communes")
def communes() -> ResponseReturnValue:
    """The options of a province's commune select matching ``q`` (case and diacritics
    ignored), the current choice ``selected`` kept first."""
    args = request.args
    province = province_code(args.get("province", ""))  # exactly a code in force, or None
    query = args.get("q", "")[:MAX_QUERY]
    selected = args.get("selected", "")
    g.lang_chosen = False  # ?lang= picks the placeholder's language; the cookie stays as is
    html = search_options_html(province, query, selected, g.lang)
    response = make_response(str(html))
    response.headers["Content-Type"] = "text/html; charset=utf-8"
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    if "lang" not in request.args:  # the language came from the cookie or the browser
        response.vary.update(("Cookie", "Accept-Language"))
    return response
