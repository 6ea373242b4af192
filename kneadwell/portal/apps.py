from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "kneadwell.portal"
    label = "portal"
    verbose_name = "Client portal"

    def ready(self):
        # The portal's access travels with a clinic export (portal/transfer.py).
        from kneadwell.portal import transfer

        transfer.register()
