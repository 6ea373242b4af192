from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kneadwell.accounts"
    label = "accounts"
    verbose_name = "Clinics, people and roles"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from kneadwell.accounts.middleware import stamp_at_sign_in

        user_logged_in.connect(stamp_at_sign_in, dispatch_uid="kneadwell_idle_stamp")
