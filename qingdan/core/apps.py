from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qingdan.core"
    label = "core"
    verbose_name = "地区与部门"
