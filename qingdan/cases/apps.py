from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "qingdan.cases"
    label = "cases"
    verbose_name = "行政处罚案件"

    def ready(self) -> None:
        # the audit log names each step of a case in Chinese, from the one table of moves
        from qingdan.cases import deadlines  # noqa: F401  (registers the recompute after a calendar edit)
        from qingdan.cases.states import MOVE_LABELS
        from qingdan.core.models import ACTION_LABELS

        ACTION_LABELS.update({f"case_{move}": f"案件：{label}" for move, label in MOVE_LABELS.items()})
        ACTION_LABELS.update(
            {
                "case_open": "案件：登记案件线索",
                "case_role_assign": "设定案件角色",
                "case_role_remove": "取消案件角色",
                "case_rules": "修改案件规则",
                "case_major_report": "登记重大行政处罚决定备案报告的报送",
            }
        )
