from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterfacesConfig(AppConfig):
    name = "interfaces"
    verbose_name = _("Interfaces and joint debugging")

    def ready(self):
        # load_demo (schedule, below this app) loads the demo inventory through this registry.
        from schedule import demo_data

        from . import demo

        demo_data.register_loader(demo.load)
