"""“Mã truy cập API” on the user's account: create (shown once), list, revoke. Signed-in users only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors, services
from ..forms import TokenForm

SHOWN_ONCE = "api_token_once"


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.api_token_create(user=request.user, name=form.cleaned_data["name"],
                                                   days=form.cleaned_data["days"],
                                                   can_write=form.cleaned_data["can_write"])
        except services.TokenError as error:
            form.add_error(None, str(error))
        else:
            # Shown on the next page once, then gone: only its digest is kept.
            request.session[SHOWN_ONCE] = {"id": token.pk, "raw": raw}
            return redirect("api_tokens:list")
    once = request.session.pop(SHOWN_ONCE, None)
    return render(request, "api/tokens.html", {
        "form": form if request.method == "POST" else TokenForm(),
        "tokens": list(selectors.token_list(user=request.user)),
        "new_token": once,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = selectors.token_get(user=request.user, pk=pk)
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("Đã thu hồi mã truy cập “%(name)s”.") % {"name": token.name})
    return redirect("api_tokens:list")
