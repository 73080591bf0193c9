from importlib import import_module

app_name = "sharing"

# Each area module lists its own urlpatterns; an area not written yet is simply absent.
urlpatterns = []
for area in ("links", "exports", "exchange"):
    try:
        module = import_module(f"sharing.views.{area}")
    except ModuleNotFoundError as error:
        if error.name != f"sharing.views.{area}":
            raise
        continue
    urlpatterns += module.urlpatterns
