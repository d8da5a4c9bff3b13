from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "qingdan.deadlines"
    label = "deadlines"
    verbose_name = "期限与工作日历"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from qingdan.deadlines.shipped import load_rules

        post_migrate.connect(load_rules, sender=self)
