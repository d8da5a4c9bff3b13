from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "qingdan.catalog"
    label = "catalog"
    verbose_name = "清单"
