from .views import exchange, exports, links

app_name = "sharing"

urlpatterns = links.urlpatterns + exports.urlpatterns + exchange.urlpatterns
