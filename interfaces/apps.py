from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterfacesConfig(AppConfig):
    name = "interfaces"
    verbose_name = _("Interfaces and joint debugging")

    def ready(self):
        # Apps below this one reach it through registries: load_demo loads the demo inventory, the
        # share page lists the partner-provided interfaces.
        from schedule import demo_data
        from sharing import extras

        from . import demo
        from .rollup import partner_interfaces

        demo_data.register_loader(demo.load)
        extras.register_partner_interfaces(partner_interfaces)
