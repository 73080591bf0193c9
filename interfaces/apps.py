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
        from stakeholders.signals import plan_moved

        from . import demo
        from .rollup import partner_interfaces
        from .services import interfaces_follow_plan

        demo_data.register_loader(demo.load)
        extras.register_partner_interfaces(partner_interfaces)
        # A plan moved to another workspace (stakeholders, below this app) takes its product's inventory.
        plan_moved.connect(interfaces_follow_plan, dispatch_uid="interfaces_follow_plan")
