"""Cache-Control for pages of a logged-in user."""


class PrivatePagesMiddleware:
    """``Cache-Control: private, no-store`` on every response to a logged-in user that sets none.

    Without it a shared proxy could keep one user's page, and a browser shows a plan again from its
    cache after logout (back button). A response that chose its own policy keeps it (downloads,
    /healthz); static files never get here: WhiteNoise answers them further up the stack.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response and request.user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response
