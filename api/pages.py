"""The user's "API tokens" settings page: create (the token is shown once), see, revoke."""
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from .forms import ApiTokenForm
from .tokens import token_create, token_revoke

PAGE = "api/tokens.html"


def _context(request, *, form, new_token=None, new_row=None):
    return {"form": form, "tokens": list(request.user.api_tokens.all()), "new_token": new_token,
            "new_row": new_row}


@login_required
def tokens_page(request):
    if request.method != "POST":
        return render(request, PAGE, _context(request, form=ApiTokenForm()))
    form = ApiTokenForm(request.POST)
    template = f"{PAGE}#tokens_panel" if request.htmx else PAGE
    if not form.is_valid():
        return render(request, template, _context(request, form=form), status=422)
    row, token = token_create(user=request.user, **form.cleaned_data)
    response = render(request, template, _context(request, form=ApiTokenForm(), new_token=token, new_row=row))
    response["Cache-Control"] = "no-store"  # the only copy of the token
    return response


@login_required
@require_POST
def token_revoke_view(request, pk):
    row = get_object_or_404(request.user.api_tokens, pk=pk)
    token_revoke(token=row)
    if request.htmx:
        return render(request, f"{PAGE}#token_row", {"token": row})
    return redirect("api_tokens:list")


app_name = "api_tokens"
urlpatterns = [
    path("settings/api-tokens/", tokens_page, name="list"),
    path("settings/api-tokens/<int:pk>/revoke/", token_revoke_view, name="revoke"),
]
