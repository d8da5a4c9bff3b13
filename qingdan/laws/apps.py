from django.apps import AppConfig


class LawsConfig(AppConfig):
    name = "qingdan.laws"
    label = "laws"
    verbose_name = "法律法规"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from qingdan.laws.shipped import load_shipped

        post_migrate.connect(load_shipped, sender=self)
