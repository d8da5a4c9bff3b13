"""双随机、一公开: what a department inspects at random (InspectionItem, in a versioned ItemCatalog
derived from its list's 事中事后监管制度 and 行政检查 powers), whom (Inspectee, its 检查对象名录库),
by whom (certified Officers, minus their declared Conflicts), the InspectionPlan with its frozen
population (PlanMember) and inspector pool (PlanInspector), and the InspectionTasks the draw makes.

Every change goes through the service modules (catalog.py, pool.py, plans.py, tasks.py);
``states.py`` holds the states and moves; ``draw.py`` is the published algorithm.
"""

from __future__ import annotations

from django.db import models

from qingdan.catalog.models import ListVersion, PowerItem, SupervisionRegime
from qingdan.core.models import Department
from qingdan.enforcement.models import Officer
from qingdan.inspection import states

# --- 随机抽查事项清单 ---------------------------------------------------------------------------


class ItemCatalog(models.Model):
    """随机抽查事项清单 of one department at one moment: a draft is edited, then published; a newer
    publication supersedes the older one (which stays readable, as plans refer to its items)."""

    DRAFT = "draft"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"
    STATES = [(DRAFT, "草稿"), (PUBLISHED, "已发布"), (SUPERSEDED, "已被替代")]

    department = models.ForeignKey(Department, models.CASCADE, related_name="inspection_catalogs")
    number = models.PositiveIntegerField("版本号")
    state = models.CharField("状态", max_length=12, choices=STATES, default=DRAFT)
    derived_from = models.ForeignKey(
        ListVersion,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="来源清单版本",
        help_text="事项由该版本的事中事后监管制度和行政检查事项生成",
    )
    note = models.TextField("说明", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by_name = models.CharField("创建人", max_length=150, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by_name = models.CharField("发布人", max_length=150, blank=True)

    class Meta:
        ordering = ["department", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["department", "number"], name="inspection_catalog_number_once"),
            models.UniqueConstraint(
                fields=["department"], condition=models.Q(state="draft"), name="inspection_catalog_one_draft"
            ),
        ]
        verbose_name = "随机抽查事项清单"
        verbose_name_plural = "随机抽查事项清单"

    def __str__(self) -> str:
        return f"{self.department}随机抽查事项清单 第{self.number}版"


class InspectionItem(models.Model):
    """随机抽查事项: 依据, 主体, 对象, 内容, 方式, and the ratio and frequency its source text states
    (read from it, with the sentence kept in ``source_text``), or typed by the department."""

    REGIME = "regime"
    POWER = "power"
    MANUAL = "manual"
    SOURCES = [(REGIME, "事中事后监管制度"), (POWER, "行政检查事项"), (MANUAL, "手工添加")]

    catalog = models.ForeignKey(ItemCatalog, models.CASCADE, related_name="items")
    position = models.PositiveIntegerField("序号")
    code = models.CharField("事项编码", max_length=100, blank=True)
    name = models.CharField("抽查事项", max_length=300)
    basis = models.TextField("抽查依据", blank=True)
    subject = models.CharField("抽查主体", max_length=300, blank=True)
    targets = models.TextField("抽查对象", blank=True)
    content = models.TextField("抽查内容", blank=True)
    methods = models.TextField("抽查方式", blank=True)
    ratio = models.DecimalField(
        "抽查比例", max_digits=7, decimal_places=4, null=True, blank=True, help_text="如 0.2 表示 20%"
    )
    frequency = models.CharField("抽查频次", max_length=100, blank=True, help_text="如 每年一次")
    per_year = models.PositiveSmallIntegerField("每年次数", null=True, blank=True)
    min_inspectors = models.PositiveSmallIntegerField("每组检查人员", default=2)
    source = models.CharField("来源", max_length=10, choices=SOURCES, default=MANUAL)
    source_ref = models.CharField(
        "来源位置", max_length=200, blank=True, help_text="如 事中事后监管制度 第五项"
    )
    source_text = models.TextField("比例和频次原文", blank=True)
    regime = models.ForeignKey(
        SupervisionRegime, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="监管制度"
    )
    power = models.ForeignKey(
        PowerItem, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="行政检查事项"
    )

    class Meta:
        ordering = ["catalog", "position"]
        verbose_name = "随机抽查事项"
        verbose_name_plural = "随机抽查事项"

    def __str__(self) -> str:
        return self.name


# --- 检查对象名录库 and 回避 -------------------------------------------------------------------


class Inspectee(models.Model):
    """检查对象 in a department's 名录库, known by its 统一社会信用代码 (GB 32100, validated)."""

    RISKS = [("A", "A（低风险）"), ("B", "B（一般风险）"), ("C", "C（较高风险）"), ("D", "D（高风险）")]
    GENERAL = "general"
    KEY = "key"
    CATEGORIES = [(GENERAL, "一般"), (KEY, "重点")]

    department = models.ForeignKey(Department, models.CASCADE, related_name="inspectees")
    uscc = models.CharField("统一社会信用代码", max_length=18)
    name = models.CharField("名称", max_length=300)
    address = models.CharField("地址", max_length=500, blank=True)
    industry = models.CharField("行业", max_length=100, blank=True)
    risk = models.CharField("风险等级", max_length=1, choices=RISKS)
    category = models.CharField("监管类别", max_length=10, choices=CATEGORIES, default=GENERAL)
    active = models.BooleanField("在库", default=True, help_text="移出名录库的对象不再参加抽取")
    source_name = models.CharField("来源文件", max_length=255, blank=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    updated_by_name = models.CharField("修改人", max_length=150, blank=True)

    class Meta:
        ordering = ["department", "uscc"]
        constraints = [
            models.UniqueConstraint(fields=["department", "uscc"], name="inspectee_once_per_department")
        ]
        verbose_name = "检查对象"
        verbose_name_plural = "检查对象名录库"

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"


class Conflict(models.Model):
    """回避: an inspector's declared conflict of interest with an inspectee (by its 统一社会信用代码,
    so it holds in every department's 名录库). A declared conflict excludes the pair from draws
    committed while it stands."""

    officer = models.ForeignKey(Officer, models.CASCADE, related_name="conflicts", verbose_name="执法人员")
    uscc = models.CharField("统一社会信用代码", max_length=18)
    reason = models.TextField("回避事由")
    declared_on = models.DateField("申报日期")
    declared_by_name = models.CharField("申报人", max_length=150, blank=True)

    class Meta:
        ordering = ["officer", "uscc"]
        constraints = [models.UniqueConstraint(fields=["officer", "uscc"], name="conflict_once")]
        verbose_name = "回避申报"
        verbose_name_plural = "回避申报"

    def __str__(self) -> str:
        return f"{self.officer} 回避 {self.uscc}"


# --- 抽查计划 and the draw ----------------------------------------------------------------------


class InspectionPlan(models.Model):
    """抽查计划 of a lead department for one item and period: the ratio per stratum (risk class,
    一般/重点, or ``all``), inspectors per task, and — once committed — the frozen population and
    inspector pool with their SHA-256, the named source of the seed; once drawn, the seed."""

    BY_RISK = "risk"
    BY_CATEGORY = "category"
    BY_ALL = "all"
    STRATA_BY = [(BY_RISK, "按风险等级"), (BY_CATEGORY, "按一般/重点"), (BY_ALL, "不分层")]

    department = models.ForeignKey(Department, models.CASCADE, related_name="inspection_plans")
    number = models.CharField("计划编号", max_length=60, blank=True)
    title = models.CharField("计划名称", max_length=300)
    item = models.ForeignKey(InspectionItem, models.PROTECT, related_name="plans", verbose_name="抽查事项")
    period_start = models.DateField("抽查期间自")
    period_end = models.DateField("抽查期间至")
    industry = models.CharField("行业范围", max_length=100, blank=True, help_text="空白为名录库全部对象")
    strata_by = models.CharField("分层", max_length=10, choices=STRATA_BY, default=BY_ALL)
    ratios = models.JSONField(
        "抽查比例", default=dict, help_text='如 {"A": "0.05", "D": "1"}，比例以小数字符串保存'
    )
    inspectors_per_task = models.PositiveSmallIntegerField("每个部门每组检查人员", default=2)
    state = models.CharField("状态", max_length=12, choices=states.PLAN_STATES, default=states.DRAFT)
    draw_on = models.DateField(
        "抽取日期", null=True, blank=True, help_text="公开抽取之日，检查人员须在此日持有效执法证"
    )
    seed_source = models.TextField("随机数来源", blank=True, help_text="提交时预先公布，如 某期彩票开奖号码")
    algorithm = models.CharField("抽取算法", max_length=30, default="qingdan-draw/1")
    population_sha256 = models.CharField("检查对象摘要", max_length=64, blank=True)
    inspectors_sha256 = models.CharField("检查人员摘要", max_length=64, blank=True)
    committed_at = models.DateTimeField("公布时间", null=True, blank=True)
    committed_by_name = models.CharField("公布人", max_length=150, blank=True)
    seed = models.CharField("随机数", max_length=200, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by_name = models.CharField("抽取人", max_length=150, blank=True)
    cancel_reason = models.TextField("撤销理由", blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    created_by_name = models.CharField("创建人", max_length=150, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "number"],
                condition=~models.Q(number=""),
                name="inspection_plan_number_once",
            )
        ]
        verbose_name = "抽查计划"
        verbose_name_plural = "抽查计划"

    def __str__(self) -> str:
        return self.number or self.title

    @property
    def state_label(self) -> str:
        return states.PLAN_LABELS[self.state]


class PlanDepartment(models.Model):
    """A department taking part in a plan with one of its items (the lead at position 0; others
    join a 联合抽查: one visit, several departments' items, each sending its own inspectors)."""

    plan = models.ForeignKey(InspectionPlan, models.CASCADE, related_name="parts")
    department = models.ForeignKey(Department, models.PROTECT, related_name="+")
    item = models.ForeignKey(
        InspectionItem, models.PROTECT, related_name="plan_parts", verbose_name="抽查事项"
    )
    position = models.PositiveSmallIntegerField("顺序", default=0)
    joined_at = models.DateTimeField("加入时间", auto_now_add=True)
    joined_by_name = models.CharField("加入人", max_length=150, blank=True)

    class Meta:
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "department"], name="plan_department_once")]
        verbose_name = "参加部门"
        verbose_name_plural = "参加部门"

    def __str__(self) -> str:
        return f"{self.department}：{self.item}"


class PlanMember(models.Model):
    """One inspectee of a committed plan's frozen population, in its stratum."""

    plan = models.ForeignKey(InspectionPlan, models.CASCADE, related_name="members")
    stratum = models.CharField("层", max_length=10)
    uscc = models.CharField("统一社会信用代码", max_length=18)
    name = models.CharField("名称", max_length=300)
    inspectee = models.ForeignKey(Inspectee, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["plan", "stratum", "uscc"]
        constraints = [models.UniqueConstraint(fields=["plan", "uscc"], name="plan_member_once")]
        verbose_name = "抽取范围对象"
        verbose_name_plural = "抽取范围对象"

    def __str__(self) -> str:
        return f"{self.name}（{self.uscc}）"


class PlanInspector(models.Model):
    """One inspector of a committed plan's frozen pool for one participating department, with the
    inspectees (by 统一社会信用代码) they declared a conflict with at the commit."""

    part = models.ForeignKey(PlanDepartment, models.CASCADE, related_name="inspectors")
    officer = models.ForeignKey(Officer, models.PROTECT, related_name="+")
    certificate_number = models.CharField("执法证号", max_length=50)
    conflicts = models.JSONField("回避对象", default=list)

    class Meta:
        ordering = ["part", "certificate_number"]
        constraints = [models.UniqueConstraint(fields=["part", "officer"], name="plan_inspector_once")]
        verbose_name = "执法检查人员"
        verbose_name_plural = "执法检查人员"


# --- 检查任务 ----------------------------------------------------------------------------------


class InspectionTask(models.Model):
    """检查任务: a drawn inspectee with its inspectors, then its result — 未发现问题, 责令整改 (a
    deadline, then confirmed or referred) or 移交立案 (opens a PenaltyCase with the task as its
    source) — and when the result was made public."""

    NONE_FOUND = "none_found"
    RECTIFY = "rectify"
    REFER = "refer"
    RESULTS = [(NONE_FOUND, "未发现问题"), (RECTIFY, "责令整改"), (REFER, "移交立案")]

    plan = models.ForeignKey(InspectionPlan, models.CASCADE, related_name="tasks")
    member = models.OneToOneField(PlanMember, models.PROTECT, related_name="task")
    order = models.PositiveIntegerField("抽取顺序")
    ticket = models.CharField("抽取值", max_length=64)
    state = models.CharField("状态", max_length=12, choices=states.TASK_STATES, default=states.ASSIGNED)
    result = models.CharField("检查结果", max_length=12, choices=RESULTS, blank=True)
    findings = models.TextField("检查情况", blank=True)
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    recorded_by_name = models.CharField("登记人", max_length=150, blank=True)
    rectify_due = models.DateField("整改期限", null=True, blank=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    case = models.ForeignKey(
        "cases.PenaltyCase", models.SET_NULL, null=True, blank=True, related_name="inspection_tasks"
    )
    published_on = models.DateField("公示日期", null=True, blank=True)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = "检查任务"
        verbose_name_plural = "检查任务"

    def __str__(self) -> str:
        return f"{self.plan} #{self.order} {self.member.name}"

    @property
    def state_label(self) -> str:
        return states.TASK_LABELS[self.state]


class TaskInspector(models.Model):
    """An inspector drawn for a task, for one participating department."""

    task = models.ForeignKey(InspectionTask, models.CASCADE, related_name="inspectors")
    part = models.ForeignKey(PlanDepartment, models.PROTECT, related_name="+")
    officer = models.ForeignKey(Officer, models.PROTECT, related_name="inspection_tasks")
    position = models.PositiveSmallIntegerField("顺序")

    class Meta:
        ordering = ["task", "part", "position"]
        constraints = [models.UniqueConstraint(fields=["task", "officer"], name="task_inspector_once")]
        verbose_name = "任务检查人员"
        verbose_name_plural = "任务检查人员"
