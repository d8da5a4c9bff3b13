"""行政处罚案件: a PenaltyCase from 发现 to 结案 (seed 001 三、查处流程; 行政处罚法 2021), the people
on it, its evidence, approvals, hearing, decision, service, payments and running deadlines; the
裁量基准 that propose an amount; the Word templates its documents are made from.

Every change goes through ``qingdan.cases.services``; ``states.py`` holds the stages and moves.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from qingdan.cases import states
from qingdan.core.models import Department
from qingdan.enforcement.models import Officer
from qingdan.laws.models import Law


class CaseRules(models.Model):
    """A department's own case rules: its 案号 format, its 立案 time limit, what 较大数额 means
    for a hearing (行政处罚法 第63条) and what makes a case 重大 (集体讨论, 备案). Missing values
    fall back to the settings named in docs/cases.md."""

    department = models.OneToOneField(Department, models.CASCADE, related_name="case_rules")
    number_prefix = models.CharField("案号字头", max_length=30, help_text="如 鹿工信罚")
    number_format = models.CharField(
        "案号格式", max_length=60, default="{prefix}〔{year}〕{seq}号", help_text="可用 {prefix} {year} {seq}"
    )
    filing_rule = models.CharField(
        "立案期限规则",
        max_length=40,
        blank=True,
        help_text="期限规则代码，空白则按设置 QINGDAN_CASE_FILING_RULE",
    )
    hearing_amount_person = models.DecimalField(
        "较大数额（个人）",
        null=True,
        blank=True,
        help_text="罚款达到此数额可申请听证",
        max_digits=14,
        decimal_places=2,
    )
    hearing_amount_organisation = models.DecimalField(
        "较大数额（单位）",
        null=True,
        blank=True,
        help_text="罚款达到此数额可申请听证",
        max_digits=14,
        decimal_places=2,
    )
    major_amount_person = models.DecimalField(
        "重大案件数额（个人）",
        null=True,
        blank=True,
        help_text="达到此数额须集体讨论并备案",
        max_digits=14,
        decimal_places=2,
    )
    major_amount_organisation = models.DecimalField(
        "重大案件数额（单位）",
        null=True,
        blank=True,
        help_text="达到此数额须集体讨论并备案",
        max_digits=14,
        decimal_places=2,
    )
    legal_review_all = models.BooleanField("全部案件法制审核", default=False)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by_name = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        verbose_name = "案件规则"
        verbose_name_plural = "案件规则"

    def __str__(self) -> str:
        return f"{self.department} 案件规则"


class CaseRole(models.Model):
    """Who acts in a department's cases: an account bound to a role there. Officers act through
    their 执法证 (``officer``); the legal reviewer must hold 法律职业资格."""

    OFFICER = "officer"
    UNIT_HEAD = "unit_head"
    DEPUTY = "deputy"
    HEAD = "head"
    LEGAL = "legal"
    ROLES = [
        (OFFICER, "执法人员"),
        (UNIT_HEAD, "执法科室负责人"),
        (DEPUTY, "主管局长"),
        (HEAD, "主要负责人"),
        (LEGAL, "法制审核人员"),
    ]

    department = models.ForeignKey(Department, models.CASCADE, related_name="case_roles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="case_roles")
    role = models.CharField("案件角色", max_length=12, choices=ROLES)
    unit = models.CharField("科室", max_length=200, blank=True, help_text="执法科室负责人所负责的科室")
    officer = models.ForeignKey(
        Officer, models.CASCADE, null=True, blank=True, related_name="case_roles", verbose_name="执法人员"
    )
    created_at = models.DateTimeField("设定时间", auto_now_add=True)
    created_by_name = models.CharField("设定人", max_length=150, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["department", "user", "role"], name="caserole_once")]
        verbose_name = "案件角色"
        verbose_name_plural = "案件角色"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}（{self.department}）"


class PenaltyCase(models.Model):
    """One 行政处罚案件. The 案号 is given when the case is filed (立案); until then the case is a
    lead (线索) known by its id."""

    GENERAL = "general"
    SIMPLE = "simple"
    PROCEDURES = [(GENERAL, "普通程序"), (SIMPLE, "简易程序")]

    SOURCES = [
        ("inspection", "检查发现"),
        ("complaint", "投诉举报"),
        ("assigned", "上级交办"),
        ("transfer", "移送"),
        ("random", "双随机抽查"),
        ("other", "其他"),
    ]
    PERSON = "person"
    ORGANISATION = "organisation"
    PARTY_KINDS = [(PERSON, "公民"), (ORGANISATION, "法人或其他组织")]

    PENALTY = "penalty"
    NO_PENALTY = "no_penalty"
    TRANSFER = "transfer"
    DECISIONS = [(PENALTY, "给予行政处罚"), (NO_PENALTY, "不予行政处罚"), (TRANSFER, "移送司法机关")]

    SERVICE_METHODS = [
        ("direct", "直接送达"),
        ("left", "留置送达"),
        ("post", "邮寄送达"),
        ("electronic", "电子送达"),
        ("public", "公告送达"),
        ("on_the_spot", "当场交付"),
    ]

    department = models.ForeignKey(Department, models.PROTECT, related_name="penalty_cases")
    procedure = models.CharField("程序", max_length=10, choices=PROCEDURES, default=GENERAL)
    stage = models.CharField("阶段", max_length=16, choices=states.STAGES, default=states.DISCOVERED)
    number = models.CharField("案号", max_length=60, blank=True, db_index=True)
    number_year = models.PositiveIntegerField("案号年度", null=True, blank=True)
    number_seq = models.PositiveIntegerField("案号序号", null=True, blank=True)
    title = models.CharField("案由", max_length=300)
    source = models.CharField("案件来源", max_length=12, choices=SOURCES)
    source_detail = models.TextField("来源说明", blank=True)
    source_ref = models.CharField("来源编号", max_length=100, blank=True, help_text="如抽查任务编号")
    occurred_on = models.DateField("案发日期", help_text="立案期限自此日起算")
    unit = models.CharField("承办科室", max_length=200, blank=True)

    party_kind = models.CharField("当事人类型", max_length=12, choices=PARTY_KINDS)
    party_name = models.CharField("当事人", max_length=200)
    party_id_number = models.CharField(
        "证件号码", max_length=30, blank=True, help_text="身份证号或统一社会信用代码"
    )
    party_representative = models.CharField("法定代表人", max_length=50, blank=True)
    party_address = models.CharField("地址", max_length=300, blank=True)
    party_phone = models.CharField("联系电话", max_length=50, blank=True)
    electronic_consent = models.BooleanField("同意电子送达", default=False)
    electronic_address = models.CharField("电子送达地址", max_length=200, blank=True)

    facts = models.TextField("违法事实", blank=True)
    power_code = models.CharField("处罚事项编码", max_length=100, blank=True)
    power_name = models.CharField("处罚事项", max_length=500, blank=True)
    basis = models.TextField("处罚依据", blank=True)
    law = models.ForeignKey(
        Law, models.SET_NULL, null=True, blank=True, related_name="penalty_cases", verbose_name="法律"
    )
    article = models.CharField("条款", max_length=100, blank=True)

    standard = models.ForeignKey(
        "DiscretionStandard",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name="裁量基准",
    )
    circumstance = models.CharField("裁量情节", max_length=12, blank=True)
    proposed_min = models.DecimalField("建议罚款下限", null=True, blank=True, max_digits=14, decimal_places=2)
    proposed_max = models.DecimalField("建议罚款上限", null=True, blank=True, max_digits=14, decimal_places=2)
    proposed_amount = models.DecimalField(
        "拟罚款数额", null=True, blank=True, max_digits=14, decimal_places=2
    )
    proposed_kinds = models.JSONField("拟处罚种类", default=list)
    outside_range_reason = models.TextField("超出裁量幅度的理由", blank=True)
    notified_amount = models.DecimalField(
        "告知时罚款数额",
        null=True,
        blank=True,
        help_text="决定不得因申辩而加重",
        max_digits=14,
        decimal_places=2,
    )

    is_major = models.BooleanField("重大案件", default=False)
    legal_review_reasons = models.JSONField("法制审核情形", default=list)
    hearing_triggers = models.JSONField("听证情形", default=list)

    decision = models.CharField("决定", max_length=12, choices=DECISIONS, blank=True)
    penalty_kinds = models.JSONField("处罚种类", default=list)
    fine_amount = models.DecimalField("罚款", null=True, blank=True, max_digits=14, decimal_places=2)
    confiscation_amount = models.DecimalField(
        "没收违法所得", null=True, blank=True, max_digits=14, decimal_places=2
    )
    decision_text = models.TextField("决定内容", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)

    served_on = models.DateField("送达日期", null=True, blank=True)
    service_method = models.CharField("送达方式", max_length=12, choices=SERVICE_METHODS, blank=True)
    service_note = models.TextField("送达情况", blank=True, help_text="留置送达时注明拒收情况和见证人")

    closed_on = models.DateField("结案日期", null=True, blank=True)
    closure_report = models.TextField("结案报告", blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)

    published_on = models.DateField("公示日期", null=True, blank=True)
    published_text = models.TextField("公示内容", blank=True, help_text="已按规定隐去个人信息")
    withdrawn_on = models.DateField("撤回公示日期", null=True, blank=True)
    withdraw_reason = models.TextField("撤回理由", blank=True)

    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    created_by_name = models.CharField("登记人", max_length=150, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "number_year", "number_seq"],
                condition=models.Q(number_seq__isnull=False),
                name="case_number_once",
            )
        ]
        indexes = [models.Index(fields=["department", "stage"], name="case_dept_stage")]
        verbose_name = "行政处罚案件"
        verbose_name_plural = "行政处罚案件"

    def __str__(self) -> str:
        return f"{self.number or f'线索{self.pk}'} {self.title}"

    @property
    def stage_label(self) -> str:
        return states.LABELS.get(self.stage, self.stage)

    @property
    def is_open(self) -> bool:
        return self.stage in states.OPEN_STAGES


class CaseOfficer(models.Model):
    """An officer on a case: one of the ≥ 2 who inspected (检查) or who handle it (承办)."""

    INSPECTOR = "inspector"
    HANDLER = "handler"
    ROLES = [(INSPECTOR, "检查人员"), (HANDLER, "承办人员")]

    case = models.ForeignKey(PenaltyCase, models.CASCADE, related_name="officers")
    officer = models.ForeignKey(Officer, models.PROTECT, related_name="cases")
    role = models.CharField("分工", max_length=10, choices=ROLES)
    added_at = models.DateTimeField("指派时间", auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "officer", "role"], name="caseofficer_once")]
        verbose_name = "案件执法人员"
        verbose_name_plural = "案件执法人员"


class CaseAction(models.Model):
    """One step taken on a case, by whom, in which role, with what opinion: the case's own
    record (the approvals of the 立案审批表 and 处罚决定审批表 are read from here)."""

    AGREE = "agree"
    DISAGREE = "disagree"
    OUTCOMES = [(AGREE, "同意"), (DISAGREE, "不同意"), ("", "")]

    case = models.ForeignKey(PenaltyCase, models.CASCADE, related_name="actions")
    move = models.CharField("步骤", max_length=30)
    stage_before = models.CharField("原阶段", max_length=16)
    stage_after = models.CharField("新阶段", max_length=16)
    role = models.CharField("身份", max_length=12, blank=True)
    actor_name = models.CharField("办理人", max_length=150)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opinion = models.TextField("意见", blank=True)
    outcome = models.CharField("结论", max_length=10, choices=OUTCOMES, blank=True)
    on = models.DateField("日期")
    data = models.JSONField("内容", default=dict)
    acted_at = models.DateTimeField("办理时间", auto_now_add=True)

    class Meta:
        ordering = ["acted_at", "id"]
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"

    @property
    def label(self) -> str:
        return states.MOVE_LABELS.get(self.move, self.move)


class Recusal(models.Model):
    """回避 (行政处罚法 第43条): declared by an officer or asked by the party, decided by the head."""

    PENDING = ""
    GRANTED = "granted"
    REFUSED = "refused"
    DECISIONS = [(PENDING, "待决定"), (GRANTED, "回避"), (REFUSED, "不予回避")]

    case = models.ForeignKey(PenaltyCase, models.CASCADE, related_name="recusals")
    officer = models.ForeignKey(Officer, models.PROTECT, related_name="recusals")
    requested_by = models.CharField("提出人", max_length=150)
    reason = models.TextField("理由")
    decision = models.CharField("决定", max_length=10, choices=DECISIONS, blank=True)
    decided_by_name = models.CharField("决定人", max_length=150, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)

    class Meta:
        verbose_name = "回避"
        verbose_name_plural = "回避"


class Evidence(models.Model):
    """A piece of evidence (行政处罚法 第46条), kept as the file it came in with its SHA-256."""

    KINDS = [
        ("documentary", "书证"),
        ("physical", "物证"),
        ("audiovisual", "视听资料"),
        ("electronic", "电子数据"),
        ("witness", "证人证言"),
        ("party", "当事人的陈述"),
        ("expert", "鉴定意见"),
        ("record", "勘验笔录、现场笔录"),
    ]

    case = models.ForeignKey(PenaltyCase, models.CASCADE, related_name="evidence")
    position = models.PositiveIntegerField("序号")
    kind = models.CharField("证据种类", max_length=12, choices=KINDS)
    title = models.CharField("名称", max_length=300)
    description = models.TextField("证明对象", blank=True)
    collected_on = models.DateField("取证日期")
    collected_by = models.CharField("取证人", max_length=200, blank=True)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    size = models.PositiveBigIntegerField("大小", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    added_by_name = models.CharField("登记人", max_length=150)
    added_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="evidence_position_once")]
        verbose_name = "证据"
        verbose_name_plural = "证据"


class Preservation(models.Model):
    """先行登记保存 (第56条): registered, then decided within seven working days."""

    case = models.ForeignKey(PenaltyCase, models.CASCADE, related_name="preservations")
    items = models.TextField("物品清单")
    registered_on = models.DateField("登记保存日期")
    decision = models.TextField("处理决定", blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)

    class Meta:
        verbose_name = "先行登记保存"
        verbose_name_plural = "先行登记保存"


class Hearing(models.Model):
    """听证 (第63–65条): requested, notified seven days ahead, presided over by someone who did not
    investigate, recorded (听证笔录)."""

    case = models.OneToOneField(PenaltyCase, models.CASCADE, related_name="hearing")
    requested_on = models.DateField("申请日期")
    notified_on = models.DateField("通知日期", null=True, blank=True)
    held_on = models.DateField("举行日期", null=True, blank=True)
    place = models.CharField("地点", max_length=200, blank=True)
    public = models.BooleanField("公开举行", default=True)
    presider = models.CharField("主持人", max_length=50, blank=True)
    presider_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    record = models.TextField("听证笔录", blank=True)
    attendees = models.JSONField("参加人", default=list)
    recorded_on = models.DateField("笔录日期", null=True, blank=True)

    class Meta:
        verbose_name = "听证"
        verbose_name_plural = "听证"


class Discussion(models.Model):
    """案件集体讨论 (第57条): attendees and their views, the conclusion."""

    case = models.ForeignKey(PenaltyCase, models.CASCADE, related_name="discussions")
    held_on = models.DateField("讨论日期")
    presider = models.CharField("主持人", max_length=50)
    attendees = models.JSONField("参加人员及意见", default=list, help_text="[{name, title, view}]")
    conclusion = models.TextField("结论意见")
    recorded_by_name = models.CharField("记录人", max_length=150)

    class Meta:
        verbose_name = "集体讨论"
        verbose_name_plural = "集体讨论"


class Suspension(models.Model):
    """A time a case's deadlines stand still: 听证, 鉴定, 公告 (计算期限时扣除), or a 复议/诉讼 during
    which 加处罚款 does not run (第73条)."""

    KINDS = [
        ("hearing", "听证"),
        ("expert", "检测、检验、鉴定"),
        ("public", "公告"),
        ("review", "行政复议"),
        ("lawsuit", "行政诉讼"),
        ("other", "其他"),
    ]

    case = models.ForeignKey(PenaltyCase, models.CASCADE, related_name="suspensions")
    kind = models.CharField("事由", max_length=10, choices=KINDS)
    started_on = models.DateField("开始日期")
    ended_on = models.DateField("结束日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["started_on", "id"]
        verbose_name = "期限中止"
        verbose_name_plural = "期限中止"


class Payment(models.Model):
    """A sum paid towards the fine (or the 加处罚款)."""

    case = models.ForeignKey(PenaltyCase, models.CASCADE, related_name="payments")
    paid_on = models.DateField("缴纳日期")
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2)
    surcharge = models.BooleanField("加处罚款", default=False)
    receipt = models.CharField("票据号", max_length=100, blank=True)
    recorded_by_name = models.CharField("登记人", max_length=150)

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = "缴款"
        verbose_name_plural = "缴款"


class Installment(models.Model):
    """An approved 分期 or 延期 (第66条): each due date and sum."""

    case = models.ForeignKey(PenaltyCase, models.CASCADE, related_name="installments")
    due_on = models.DateField("应缴日期")
    amount = models.DecimalField("金额", max_digits=14, decimal_places=2)
    approved_by_name = models.CharField("批准人", max_length=150)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "分期缴纳"
        verbose_name_plural = "分期缴纳"


class CaseDeadline(models.Model):
    """A running deadline of a case (or, with no case, of a department: the half-year 备案 report),
    computed by the deadline engine from its rule and start day, recomputed when the calendar,
    a pause (the case's ``Suspension`` rows the rule stops for) or an approved extension changes
    it. ``days``/``unit``/``basis`` are copied from the rule when the deadline starts, so a later
    edit of the rule does not move a running deadline silently."""

    OPEN = "open"
    MET = "met"
    MISSED = "missed"
    CANCELLED = "cancelled"
    STATES = [(OPEN, "进行中"), (MET, "已按期完成"), (MISSED, "逾期完成"), (CANCELLED, "已取消")]
    # the deadline engine's units (qingdan.deadlines.engine)
    UNITS = [("working", "工作日"), ("calendar", "自然日"), ("month", "个月"), ("half_year", "半年报")]

    department = models.ForeignKey(Department, models.CASCADE, related_name="case_deadlines")
    case = models.ForeignKey(PenaltyCase, models.CASCADE, null=True, blank=True, related_name="deadlines")
    rule = models.CharField("期限规则", max_length=40)
    label = models.CharField("事项", max_length=100)
    basis = models.CharField("依据", max_length=300)
    start = models.DateField("起算日")
    days = models.PositiveIntegerField("期限")
    unit = models.CharField("计算方式", max_length=10, choices=UNITS)
    extra_days = models.PositiveIntegerField("延长天数", default=0)
    due = models.DateField("到期日", db_index=True)
    uncertain = models.BooleanField("不确定", default=False)
    warnings = models.JSONField("提示", default=list)
    status = models.CharField("状态", max_length=10, choices=STATES, default=OPEN)
    done_on = models.DateField("完成日期", null=True, blank=True)
    unit_name = models.CharField("承办科室", max_length=200, blank=True)
    subject = models.CharField(
        "对象",
        max_length=60,
        blank=True,
        help_text="没有案件的期限所属的对象，如 inspection-task:12（双随机检查结果公示）",
    )

    class Meta:
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["status", "due"], name="deadline_status_due"),
            models.Index(fields=["department", "status", "due"], name="deadline_dept_status_due"),
        ]
        verbose_name = "期限"
        verbose_name_plural = "期限"

    def __str__(self) -> str:
        return f"{self.label} {self.due:%Y-%m-%d}"


class DiscretionStandard(models.Model):
    """裁量基准 for one violation (违法行为) of one 行政处罚 power: its article, and the ranges for
    each circumstance (不予 / 减轻 / 从轻 / 一般 / 从重) in ``levels``."""

    department = models.ForeignKey(Department, models.CASCADE, related_name="discretion_standards")
    code = models.CharField("编号", max_length=50)
    violation = models.CharField("违法行为", max_length=500)
    power_code = models.CharField("处罚事项编码", max_length=100, blank=True)
    power_name = models.CharField("处罚事项", max_length=500, blank=True)
    violated_basis = models.TextField("违法依据", blank=True)
    penalty_basis = models.TextField("处罚依据", blank=True)
    law = models.ForeignKey(
        Law,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="discretion_standards",
        verbose_name="法律",
    )
    article = models.CharField("条款", max_length=100, blank=True)
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by_name = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        ordering = ["department", "code"]
        constraints = [models.UniqueConstraint(fields=["department", "code"], name="discretion_code_once")]
        verbose_name = "裁量基准"
        verbose_name_plural = "裁量基准"

    def __str__(self) -> str:
        return f"{self.code} {self.violation}"


class DiscretionLevel(models.Model):
    NONE = "none"
    MITIGATED = "mitigated"
    LIGHTER = "lighter"
    ORDINARY = "ordinary"
    HEAVIER = "heavier"
    CIRCUMSTANCES = [
        (NONE, "不予处罚"),
        (MITIGATED, "减轻处罚"),
        (LIGHTER, "从轻处罚"),
        (ORDINARY, "一般处罚"),
        (HEAVIER, "从重处罚"),
    ]

    standard = models.ForeignKey(DiscretionStandard, models.CASCADE, related_name="levels")
    circumstance = models.CharField("裁量情节", max_length=10, choices=CIRCUMSTANCES)
    condition = models.TextField("适用情形", blank=True)
    min_amount = models.DecimalField("罚款下限", null=True, blank=True, max_digits=14, decimal_places=2)
    max_amount = models.DecimalField("罚款上限", null=True, blank=True, max_digits=14, decimal_places=2)
    other = models.CharField("其他处罚", max_length=300, blank=True, help_text="如 警告、没收违法所得")

    class Meta:
        ordering = ["standard", "id"]
        constraints = [
            models.UniqueConstraint(fields=["standard", "circumstance"], name="discretion_level_once")
        ]
        verbose_name = "裁量阶次"
        verbose_name_plural = "裁量阶次"


class DocumentTemplate(models.Model):
    """A Word template (.docx, docxtpl syntax) for one kind of 执法文书. A department's own
    template wins over the shared one (``department`` empty); the shipped default is used when
    neither exists. Stored in the database so a backup holds it."""

    KINDS = [
        ("inspection_record", "现场检查笔录"),
        ("correction_order", "责令改正违法行为通知书"),
        ("filing_form", "立案审批表"),
        ("penalty_notice", "行政处罚事先告知书"),
        ("hearing_notice", "听证告知书"),
        ("hearing_record", "听证笔录"),
        ("investigation_report", "案件调查终结报告"),
        ("decision_form", "行政处罚决定审批表"),
        ("discussion_record", "案件集体讨论笔录"),
        ("decision", "行政处罚决定书"),
        ("service_receipt", "送达回证"),
        ("closure_report", "结案报告"),
        ("on_the_spot_decision", "当场行政处罚决定书"),
        ("major_filing_report", "重大行政处罚决定备案报告"),
    ]

    department = models.ForeignKey(
        Department, models.CASCADE, null=True, blank=True, related_name="document_templates"
    )
    kind = models.CharField("文书", max_length=24, choices=KINDS)
    content = models.BinaryField("模板文件")
    sha256 = models.CharField("SHA-256", max_length=64)
    file_name = models.CharField("文件名", max_length=255)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    uploaded_by_name = models.CharField("上传人", max_length=150)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["department", "kind"], name="template_once")]
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"


class CaseDocument(models.Model):
    """A document made for a case from a template, kept as made (its SHA-256 and the template's)."""

    case = models.ForeignKey(PenaltyCase, models.CASCADE, related_name="documents")
    kind = models.CharField("文书", max_length=24, choices=DocumentTemplate.KINDS)
    content = models.BinaryField("文件")
    sha256 = models.CharField("SHA-256", max_length=64)
    template_sha256 = models.CharField("模板 SHA-256", max_length=64)
    made_at = models.DateTimeField("生成时间", auto_now_add=True)
    made_by_name = models.CharField("生成人", max_length=150)

    class Meta:
        ordering = ["made_at", "id"]
        verbose_name = "执法文书"
        verbose_name_plural = "执法文书"
