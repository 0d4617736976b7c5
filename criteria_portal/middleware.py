from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.deprecation import MiddlewareMixin


class PortalLocaleMiddleware(MiddlewareMixin):
    """Vietnamese unless the user chose another language with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language header, so an official on
    a laptop with an English browser would get English pages; the portal is Vietnamese by default.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
