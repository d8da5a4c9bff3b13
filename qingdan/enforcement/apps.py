from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "qingdan.enforcement"
    label = "enforcement"
    verbose_name = "行政执法责任制"
