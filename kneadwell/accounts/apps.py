from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "kneadwell.accounts"
    label = "accounts"
    verbose_name = "Clinics, people and roles"
