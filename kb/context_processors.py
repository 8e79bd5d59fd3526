"""What every page's ``<head>`` needs beyond its own content."""

from django.utils.http import urlencode


def canonical(request):
    """``canonical_url``: the page's absolute address without its query
    string (filters, sorts and exports are views of one page), keeping only a
    ``page`` number past the first, so each page of a long list is its own."""
    url = request.build_absolute_uri(request.path)
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        url += "?" + urlencode({"page": int(page)})
    return {"canonical_url": url}
