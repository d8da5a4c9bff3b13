from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "qingdan.inspection"
    label = "inspection"
    verbose_name = "双随机抽查"

    def ready(self) -> None:
        # the audit log names each step in Chinese, from the one table of moves
        from qingdan.core.models import ACTION_LABELS
        from qingdan.inspection.states import ACTION_LABELS as OWN

        ACTION_LABELS.update(OWN)
