from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils.cache import patch_vary_headers


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Django's LocaleMiddleware (language from the switcher's cookie, else
    the browser's Accept-Language, else LANGUAGE_CODE), plus ``Vary: Cookie``.

    Django varies on Accept-Language only; but the language cookie chooses
    the language too, so without ``Vary: Cookie`` a shared cache could serve
    a page in one language to a reader who chose the other."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        patch_vary_headers(response, ("Cookie",))
        return response
