from django.apps import AppConfig


class KairoConfig(AppConfig):
    name = "kairo"

    def ready(self) -> None:
        from kairo.logging import install_record_factory, remember_server_secrets

        install_record_factory()
        remember_server_secrets()
