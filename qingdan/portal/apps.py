from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "qingdan.portal"
    label = "portal"
    verbose_name = "公开门户"
