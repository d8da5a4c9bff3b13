from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "qingdan.checks"
    label = "checks"
    verbose_name = "清单体检"
