"""Build the demo registry in examples/demo/: a FICTIONAL county, 青山县, in the real formats.

    python examples/build_demo.py

Every file is generated from the content below, so edit here and rebuild:

- 青山县科学技术局责任清单.txt: a Word table exported as text, like seed 002 (cells as TAB lines,
  merged cells as a TAB alone or a TAB and U+3000, a phone written once per 主要职责, the header
  repeated after a page break, a cell naming two units on two lines);
- 青山县市场监督管理局责任清单.docx: real Word tables (python-docx) with vertically merged cells
  (w:vMerge) and a header row marked to repeat (w:tblHeader), named by 「部门名称（盖章）：…」;
- 青山县农业农村局责任清单.xlsx: real Excel sheets (openpyxl) with merged ranges, a title row
  above the header and the header repeated on every printed page;
- 青山县行政审批服务局权力清单.json: a 权力清单 as a provincial platform exports it (a
  {"code", "msg", "data": {"total", "list"}} wrapper, the misspelt field 行驶主体, HTML entities
  and tags in the cells).

The binary files are reproducible: fixed timestamps, so a rebuild without edits changes nothing.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

OUT = Path(__file__).resolve().parent / "demo"
FIXED_TIME = (2024, 3, 1, 9, 0, 0)
FIXED_W3CDTF = "2024-03-01T09:00:00Z"

# --- the content model: rows as the documents write them ---------------------------------


@dataclass
class Task:
    text: str
    units: tuple[str, ...]


@dataclass
class Duty:
    text: str
    tasks: list[Task]


@dataclass
class Share:
    """One row of a 职责边界 table; ``departments`` may name several, joined by 、."""

    departments: str
    division: str
    basis: str = ""
    case: str = ""


@dataclass
class Matter:
    name: str
    shares: list[Share]


@dataclass
class Service:
    name: str
    content: str
    units: tuple[str, ...]


@dataclass
class Regime:
    matter: str
    objects: str
    content: str
    methods: str
    measures: str
    procedure: str
    handling: str


@dataclass
class Demo:
    department: str
    phones: dict[str, str]  # unit → phone, in the order the units are introduced
    public: set[str]  # units that are 事业单位: marked 「（事业单位）」 where first named
    duties: list[Duty] = field(default_factory=list)
    matters: list[Matter] = field(default_factory=list)
    services: list[Service] = field(default_factory=list)
    regimes: list[Regime] = field(default_factory=list)

    def task_count(self) -> int:
        return sum(len(d.tasks) for d in self.duties)


def duty(text: str, *tasks: tuple[str, str]) -> Duty:
    """A 主要职责 and its tasks, each as (具体工作事项, units joined by 、)."""
    return Duty(text, [Task(t, tuple(u.split("、"))) for t, u in tasks])


def service(name: str, content: str, units: str) -> Service:
    return Service(name, content, tuple(units.split("、")))


# --- 青山县科学技术局 (text export) ------------------------------------------------------------


def science() -> Demo:
    demo = Demo(
        "青山县科学技术局",
        {
            "办公室": "4821001",
            "计划财务股": "4821002",
            "高新技术股": "4821003",
            "成果转化股": "4821004",
            "农村科技股": "4821005",
            "科技信息中心": "4821006",
            "防震减灾服务中心": "4821007",
        },
        {"科技信息中心", "防震减灾服务中心"},
    )
    demo.duties = [
        duty(
            "贯彻执行国家、省、市有关科技创新的法律法规和方针政策，拟订全县科技创新规划和政策措施并组织实施",
            ("起草全县科技创新中长期规划和年度工作要点", "办公室"),
            ("拟订促进科技创新的政策措施，组织开展政策实施效果评估", "办公室"),
            ("承担局机关规范性文件合法性审核、行政复议和行政应诉工作", "办公室"),
            ("组织开展科技法律法规宣传和普法教育", "办公室"),
        ),
        duty(
            "统筹推进全县科技创新体系建设和科技体制改革，会同有关部门健全技术创新激励机制",
            ("拟订全县科技体制改革方案并推动落实", "计划财务股"),
            ("开展全县科技创新能力监测和科技统计调查", "计划财务股"),
            ("组织开展科技发展战略和软科学研究", "计划财务股"),
        ),
        duty(
            "负责县级科技计划项目和财政科技资金的统筹管理，组织实施项目绩效评价和监督检查",
            ("编制县级科技计划项目申报指南，组织项目评审立项", "计划财务股"),
            ("组织推荐国家、省、市科技计划项目", "计划财务股"),
            ("开展县级科技计划项目中期检查、结题验收和绩效评价", "计划财务股"),
            ("负责本部门预决算和归口管理的科技经费监督管理", "计划财务股"),
        ),
        duty(
            "负责高新技术企业和科技型中小企业培育，推动全县高新技术产业发展",
            ("组织高新技术企业认定申报和后备企业培育入库", "高新技术股"),
            ("组织科技型中小企业评价入库，宣传研发费用加计扣除政策", "高新技术股"),
            ("推进县工业集中区科技创新平台建设", "高新技术股"),
            ("组织实施工业领域关键核心技术攻关项目", "高新技术股"),
        ),
        duty(
            "推动科技成果转移转化，管理全县技术市场和技术合同认定登记工作",
            ("负责全县技术合同认定登记，出具技术合同登记证明", "成果转化股"),
            ("负责科技成果登记和技术交易统计", "成果转化股"),
            ("组织科技成果发布、对接和产学研合作活动", "成果转化股"),
            ("培育技术转移机构和技术经纪人队伍", "成果转化股、高新技术股"),
        ),
        duty(
            "负责农业农村和社会发展领域科技工作，推进科技支撑乡村振兴",
            ("组织实施农业、人口健康、生态环境等领域科技项目", "农村科技股"),
            ("管理科技特派员工作，组织科技特派员服务乡村产业", "农村科技股"),
            ("推进县农业科技园区和星创天地建设", "农村科技股"),
            ("组织开展可持续发展实验区创建工作", "农村科技股"),
        ),
        duty(
            "负责科技创新平台和企业研发机构建设，引导企业加大研发投入",
            ("指导企业技术中心、工程技术研究中心建设和运行评价", "高新技术股"),
            ("指导众创空间、科技企业孵化器建设和绩效评价", "成果转化股"),
            ("组织实施企业研发投入奖补政策", "计划财务股"),
        ),
        duty(
            "负责对外科技合作交流和科技人才队伍建设",
            ("组织企业与高等院校、科研院所开展科技合作", "成果转化股"),
            ("组织申报各级科技创新人才计划", "成果转化股"),
            ("承担边远贫困地区、边疆民族地区和革命老区科技人才支持计划相关工作", "农村科技股"),
        ),
        duty(
            "负责科学技术普及和科技奖励推荐工作，提供科技信息服务",
            ("组织科技活动周、全国科普日等群众性科普活动", "科技信息中心"),
            ("建设和维护科技信息服务平台，提供科技文献查询服务", "科技信息中心"),
            ("组织推荐省、市科学技术奖", "计划财务股"),
        ),
        duty(
            "负责科研诚信建设和科技伦理、科技保密、科技安全监督管理",
            ("受理科研失信行为举报并组织调查核实", "办公室"),
            ("指导和监督全县科学技术保密工作", "办公室"),
            ("负责本部门安全生产和科技领域风险防范工作", "办公室"),
        ),
        duty(
            "负责全县防震减灾工作，组织地震监测、震害防御和地震应急准备",
            ("维护县地震监测台站和宏观观测点，及时报送震情信息", "防震减灾服务中心"),
            ("监督检查建设工程抗震设防要求落实情况", "防震减灾服务中心"),
            ("组织防震减灾科普进学校、进社区、进农村", "防震减灾服务中心"),
            ("拟订县地震应急预案，参与地震灾害损失评估", "防震减灾服务中心"),
        ),
        duty(
            "完成县委、县人民政府交办的其他任务",
            ("完成县委、县人民政府交办的其他事项", "办公室"),
        ),
    ]
    demo.matters = [
        Matter(
            "技术合同认定登记与税收优惠",
            [
                Share(
                    "县科学技术局",
                    "负责技术合同的认定登记，对符合条件的技术合同出具技术合同登记证明，按月汇总登记情况",
                    "《技术合同认定登记管理办法》第三条、第六条",
                    "某企业签订技术开发合同后申请认定登记，县科学技术局审查后予以登记并出具证明，企业持证明向税务部门申请享受技术开发收入免征增值税优惠",
                ),
                Share(
                    "国家税务总局青山县税务局",
                    "依据技术合同登记证明办理技术转让、技术开发收入的税收优惠备案和管理",
                ),
            ],
        ),
        Matter(
            "科技成果转化收益分配",
            [
                Share(
                    "县科学技术局、县财政局、县人力资源和社会保障局",
                    "县科学技术局指导县属研究开发机构建立科技成果转化收益分配制度；县财政局负责转化收入的财务管理监督；县人力资源和社会保障局负责对科技人员奖励和报酬不受绩效工资总量限制的政策落实",
                    "《中华人民共和国促进科技成果转化法》第四十三条、第四十五条",
                    "县农业科学研究所将一项水稻栽培技术成果作价入股，所得收益按单位制度提取百分之五十以上奖励完成人员",
                ),
            ],
        ),
        Matter(
            "建设工程抗震设防要求监管",
            [
                Share(
                    "县科学技术局",
                    "负责确定和监管本行政区域内一般建设工程的抗震设防要求，组织地震安全性评价结果的审定",
                    "《中华人民共和国防震减灾法》第三十五条",
                    "某学校新建教学楼，县科学技术局核定抗震设防要求，县住房和城乡建设局在施工图审查和竣工验收中核查落实",
                ),
                Share(
                    "县住房和城乡建设局",
                    "负责在施工图审查、施工和竣工验收环节监督建设单位按抗震设防要求和工程建设强制性标准进行设计施工",
                ),
            ],
        ),
    ]
    demo.regimes = [
        Regime(
            "县级科技计划项目实施和经费使用监督检查",
            "县级科技计划项目承担单位和项目负责人，必要时延伸至项目合作单位",
            "项目实施进度、任务指标完成情况，专项经费单独核算、支出范围和配套资金到位情况",
            "书面检查与实地抽查相结合，每年随机抽取不少于百分之二十的在研项目，可委托第三方机构检查",
            "查阅账簿和原始凭证、听取汇报、现场核查，对存在问题的项目下达整改通知书",
            "制定年度检查计划，随机抽取检查对象，组织实地检查，形成检查报告，反馈意见并跟踪整改",
            "对未按要求整改的暂停拨付经费；对虚报、冒领、挪用科技经费的追回资金，取消三年内申报资格，涉嫌违法的移送有关部门",
        ),
        Regime(
            "高新技术企业和科技型中小企业日常监管",
            "已认定的高新技术企业和已入库的科技型中小企业",
            "研发投入、科技人员占比、高新技术产品收入等认定条件的持续符合情况，年度发展情况报表填报情况",
            "年度报表审核与“双随机、一公开”抽查相结合",
            "核查研发费用归集资料和知识产权证明，约谈企业负责人",
            "公布抽查事项清单，随机抽取企业和检查人员，实施检查，公示检查结果",
            "发现不符合认定条件的，提请认定机构取消资格或者移出入库名单，并通报税务部门",
        ),
    ]
    demo.services = [
        service(
            "技术合同认定登记",
            "为技术开发、技术转让、技术许可、技术咨询和技术服务合同的当事人办理认定登记，出具技术合同登记证明",
            "成果转化股",
        ),
        service(
            "高新技术企业认定申报辅导",
            "解读高新技术企业认定政策，指导企业整理研发项目和知识产权资料，辅导网上申报",
            "高新技术股",
        ),
        service(
            "科技特派员服务对接",
            "受理乡镇、合作社和农户的技术需求，对接科技特派员开展田间指导和技术培训",
            "农村科技股",
        ),
        service(
            "科技信息查询和科普服务",
            "提供科技文献和科技政策查询，组织科普讲座、科普展览进学校、进社区",
            "科技信息中心、办公室",
        ),
    ]
    return demo


# --- 青山县市场监督管理局 (docx) -----------------------------------------------------------------


def market() -> Demo:
    demo = Demo(
        "青山县市场监督管理局",
        {
            "办公室": "0731-4830001",
            "法规股": "0731-4830002",
            "登记注册股": "0731-4830003",
            "信用监管股": "0731-4830004",
            "食品安全监管股": "0731-4830005",
            "特种设备安全监察股": "0731-4830006",
            "药品医疗器械监管股": "0731-4830007",
            "质量计量标准股": "0731-4830008",
            "知识产权股": "0731-4830009",
            "消费者权益保护股": "0731-4830010",
            "综合行政执法大队": "0731-4830012",
        },
        set(),
    )
    demo.duties = [
        duty(
            "负责全县市场综合监督管理，贯彻执行市场监管法律法规和政策，组织实施质量强县和标准化战略",
            ("拟订全县市场监管年度工作计划并组织实施", "办公室"),
            ("承担规范性文件合法性审核、行政复议和行政应诉工作", "法规股"),
            ("组织开展市场监管领域普法宣传和执法人员培训", "法规股"),
        ),
        duty(
            "负责市场主体统一登记注册，推进企业开办和注销便利化",
            ("办理企业、个体工商户、农民专业合作社设立、变更、注销登记", "登记注册股"),
            ("推进企业开办“一网通办”和简易注销改革", "登记注册股"),
            ("指导乡镇市场监督管理所开展个体工商户登记", "登记注册股"),
        ),
        duty(
            "负责组织和指导市场监管综合执法工作，查处市场主体违法行为",
            ("查处无照经营、虚假宣传、商业贿赂等违法行为", "综合行政执法大队"),
            ("组织“双随机、一公开”抽查和跨部门联合检查", "信用监管股"),
            ("办理上级交办和有关部门移送的案件", "综合行政执法大队"),
        ),
        duty(
            "负责市场主体信用监管，建立信用风险分类管理机制",
            ("组织市场主体年度报告公示和抽查", "信用监管股"),
            ("管理经营异常名录和严重违法失信名单", "信用监管股"),
            ("推进企业信用修复工作", "信用监管股"),
        ),
        duty(
            "负责食品安全监督管理，组织开展食品安全监督抽检和风险防控",
            ("开展食品生产经营日常监督检查", "食品安全监管股"),
            ("组织食品安全监督抽检和不合格食品核查处置", "食品安全监管股"),
            ("监督指导校园食品安全和农村集体聚餐管理", "食品安全监管股"),
            ("承担县食品安全委员会办公室日常工作", "食品安全监管股"),
        ),
        duty(
            "负责特种设备安全监督管理",
            ("办理特种设备使用登记", "特种设备安全监察股"),
            ("开展电梯、锅炉、气瓶等特种设备安全监察", "特种设备安全监察股"),
            ("组织特种设备事故应急演练，配合事故调查处理", "特种设备安全监察股"),
        ),
        duty(
            "负责药品、医疗器械和化妆品零售使用环节的质量安全监督管理",
            ("开展药品零售企业和医疗机构药品使用环节监督检查", "药品医疗器械监管股"),
            ("组织药品不良反应和医疗器械不良事件监测", "药品医疗器械监管股"),
            ("查处药品、医疗器械、化妆品违法案件", "药品医疗器械监管股、综合行政执法大队"),
        ),
        duty(
            "负责产品质量安全监督管理，统一管理计量和标准化工作",
            ("组织产品质量监督抽查和缺陷产品召回配合工作", "质量计量标准股"),
            ("管理强制检定计量器具，组织集贸市场计量监督检查", "质量计量标准股"),
            ("推动企业标准自我声明公开和团体标准应用", "质量计量标准股"),
        ),
        duty(
            "负责知识产权保护和运用，组织实施专利、商标行政执法",
            ("查处假冒专利行为，调解处理专利侵权纠纷", "知识产权股"),
            ("查处商标侵权和假冒注册商标行为", "知识产权股、综合行政执法大队"),
            ("组织地理标志产品保护和商标品牌培育", "知识产权股"),
            ("开展专利转化运用和知识产权质押融资服务", "知识产权股"),
        ),
        duty(
            "负责消费者权益保护和价格监督检查工作",
            ("受理12315投诉举报并组织调解", "消费者权益保护股"),
            ("开展价格监督检查，查处价格违法行为", "消费者权益保护股"),
            ("组织放心消费创建活动", "消费者权益保护股"),
        ),
    ]
    demo.matters = [
        Matter(
            "食盐质量安全监督管理",
            [
                Share(
                    "县市场监督管理局",
                    "负责食盐生产、经营环节的质量安全监督管理和执法",
                    "《食盐专营办法》第四条",
                    "群众举报某超市销售无标签散装盐，县市场监督管理局依法查处，并将货源线索通报县工业和信息化局",
                ),
                Share("县工业和信息化局", "作为县盐业主管部门，负责食盐专营和储备管理，监督食盐定点批发企业"),
            ],
        ),
        Matter(
            "知识产权保护",
            [
                Share(
                    "县市场监督管理局",
                    "负责专利、商标、地理标志的行政保护和执法",
                    "《中华人民共和国专利法》、《中华人民共和国商标法》",
                ),
                Share(
                    "县委宣传部",
                    "负责著作权行政管理和查处著作权侵权案件",
                    "《中华人民共和国著作权法》",
                ),
                Share(
                    "县农业农村局",
                    "负责农业植物新品种权的保护",
                    "《中华人民共和国植物新品种保护条例》",
                ),
                Share(
                    "县公安局",
                    "负责侦办侵犯知识产权犯罪案件，做好行政执法与刑事司法衔接",
                    "《中华人民共和国刑法》",
                ),
            ],
        ),
        Matter(
            "食用农产品质量安全监管",
            [
                Share(
                    "县农业农村局",
                    "负责食用农产品从种植养殖环节到进入批发、零售市场或者生产加工企业前的质量安全监督管理",
                    "《中华人民共和国食品安全法》第二条、《中华人民共和国农产品质量安全法》",
                    "县市场监督管理局在农贸市场抽检发现蔬菜农药残留超标，依法处置并将产地信息通报县农业农村局追溯查处",
                ),
                Share(
                    "县市场监督管理局",
                    "负责食用农产品进入批发、零售市场或者生产加工企业后的质量安全监督管理",
                ),
            ],
        ),
    ]
    demo.services = [
        service(
            "企业开办“一件事”服务",
            "一次提交材料，一日内办结营业执照、公章刻制、发票申领和社保登记",
            "登记注册股",
        ),
        service("12315消费投诉举报受理", "受理消费者投诉举报，组织消费纠纷调解", "消费者权益保护股"),
        service("专利和商标业务咨询", "提供专利申请、商标注册和知识产权质押融资政策咨询", "知识产权股"),
        service("计量器具强制检定预约", "受理集贸市场、医疗机构等计量器具强制检定预约", "质量计量标准股"),
    ]
    return demo


# --- 青山县农业农村局 (xlsx) ---------------------------------------------------------------------


def agriculture() -> Demo:
    demo = Demo(
        "青山县农业农村局",
        {
            "办公室": "0731-4840001",
            "种植业管理股": "0731-4840002",
            "畜牧兽医股": "0731-4840003",
            "农田建设管理股": "0731-4840004",
            "农产品质量安全监管股": "0731-4840005",
            "农村合作经济经营管理股": "0731-4840006",
            "乡村产业发展股": "0731-4840007",
            "农业综合行政执法大队": "0731-4840008",
            "农业技术推广中心": "0731-4840009",
        },
        {"农业技术推广中心"},
    )
    demo.duties = [
        duty(
            "统筹研究和组织实施全县“三农”工作，拟订农业农村发展规划和政策措施",
            ("起草全县乡村振兴年度工作要点", "办公室"),
            ("承担县委农村工作领导小组办公室日常工作", "办公室"),
            ("负责农业农村统计和信息发布", "办公室"),
        ),
        duty(
            "负责种植业管理，指导粮食等主要农作物生产",
            ("组织粮食生产，落实耕地地力保护补贴", "种植业管理股"),
            ("指导农作物病虫害监测预报和统防统治", "农业技术推广中心"),
            ("指导农药、肥料科学使用和减量增效", "种植业管理股"),
        ),
        duty(
            "负责畜牧业、渔业管理和动物防疫工作",
            ("组织重大动物疫病强制免疫和疫情监测", "畜牧兽医股"),
            ("指导畜禽养殖废弃物资源化利用", "畜牧兽医股"),
            ("指导水产健康养殖和渔业安全生产", "畜牧兽医股"),
        ),
        duty(
            "负责高标准农田建设和耕地质量管理",
            ("组织编制高标准农田建设规划并实施项目", "农田建设管理股"),
            ("开展耕地质量等级调查评价", "农田建设管理股"),
            ("监督农田建设项目工程质量和资金使用", "农田建设管理股"),
        ),
        duty(
            "负责农产品质量安全监督管理",
            ("组织农产品质量安全例行监测和风险评估", "农产品质量安全监管股"),
            ("推行食用农产品承诺达标合格证制度", "农产品质量安全监管股"),
            ("指导乡镇农产品质量安全监管站建设", "农产品质量安全监管股"),
        ),
        duty(
            "负责农村集体资产管理和农村经营管理，指导农民合作经济组织发展",
            ("指导农村集体产权制度改革和集体资产监督管理", "农村合作经济经营管理股"),
            ("指导农民合作社和家庭农场发展", "农村合作经济经营管理股"),
            ("承担农村土地承包经营纠纷调解仲裁的日常工作", "农村合作经济经营管理股"),
            ("指导农村宅基地管理和改革", "农村合作经济经营管理股"),
        ),
        duty(
            "负责乡村产业发展，推进农产品加工业和休闲农业发展",
            ("培育农业产业化龙头企业", "乡村产业发展股"),
            ("推动休闲农业和乡村旅游发展", "乡村产业发展股"),
            ("组织农产品品牌建设和产销对接", "乡村产业发展股"),
        ),
        duty(
            "负责农业技术推广和农民教育培训",
            ("组织实施基层农技推广体系改革与建设项目", "农业技术推广中心"),
            ("组织高素质农民培育", "农业技术推广中心"),
            ("推广农业主推技术和农业机械化技术", "农业技术推广中心"),
        ),
        duty(
            "负责农业综合行政执法",
            ("查处种子、农药、肥料、兽药、饲料等农业投入品违法案件", "农业综合行政执法大队"),
            ("开展动物卫生监督和生猪屠宰监管执法", "畜牧兽医股、农业综合行政执法大队"),
            ("开展禁渔期和禁捕水域执法巡查", "农业综合行政执法大队"),
            ("办理农业行政处罚案件法制审核", "办公室"),
        ),
        duty(
            "完成县委、县人民政府交办的其他任务",
            ("完成县委、县人民政府交办的其他事项", "办公室"),
        ),
    ]
    demo.matters = [
        Matter(
            "重大动物疫情防控",
            [
                Share(
                    "县农业农村局",
                    "负责动物疫情监测、诊断和疫点处置，组织强制免疫和无害化处理",
                    "《中华人民共和国动物防疫法》、《重大动物疫情应急条例》",
                    "某乡镇养殖场发生疑似非洲猪瘟疫情，县农业农村局封锁疫点并扑杀处置，县卫生健康局开展人员防护指导",
                ),
                Share("县卫生健康局", "负责人畜共患传染病的人间疫情监测和防治"),
                Share("县林业局", "负责陆生野生动物疫源疫病监测"),
            ],
        ),
        Matter(
            "食用农产品质量安全监管",
            [
                Share(
                    "县农业农村局",
                    "负责食用农产品从种植养殖环节到进入批发、零售市场或者生产加工企业前的质量安全监督管理",
                    "《中华人民共和国食品安全法》第二条、《中华人民共和国农产品质量安全法》",
                ),
                Share(
                    "县市场监督管理局",
                    "负责食用农产品进入批发、零售市场或者生产加工企业后的质量安全监督管理",
                ),
            ],
        ),
        Matter(
            "农村宅基地管理",
            [
                Share(
                    "县农业农村局、县自然资源局",
                    "县农业农村局负责宅基地分配、使用、流转和违法用地查处的指导；县自然资源局负责国土空间规划、用地计划和涉及农用地转用的审批",
                    "《中华人民共和国土地管理法》第六十二条",
                ),
            ],
        ),
    ]
    demo.services = [
        service("农业技术咨询与田间指导", "提供种植养殖技术咨询，组织农技人员田间指导", "农业技术推广中心"),
        service(
            "农村土地承包经营纠纷调解",
            "受理农村土地承包经营纠纷调解申请，组织调解和仲裁",
            "农村合作经济经营管理股",
        ),
        service("动物疫病防控技术服务", "指导养殖场户开展免疫、消毒和疫病诊断", "畜牧兽医股"),
        service("农产品质量安全检测", "为生产主体提供农药残留、兽药残留快速检测", "农产品质量安全监管股"),
    ]
    return demo


# --- 青山县行政审批服务局 (provincial platform JSON) -------------------------------------------

BASIS_OF_PERMITS = "《中华人民共和国行政许可法》&nbsp;第三十四条、第三十八条"

POWERS: list[tuple[str, str, str, str, str | None]] = [
    # (事项类型, 事项名称, 设定依据, 承办机构, 子项 with <br/> or None)
    (
        "行政许可",
        "食品经营许可",
        "《中华人民共和国食品安全法》&nbsp;第三十五条",
        "市场准入审批股",
        "食品经营许可证核发<br/>食品经营许可证变更<br/>食品经营许可证延续<br/>食品经营许可证注销",
    ),
    ("行政许可", "药品零售企业许可", "《中华人民共和国药品管理法》第五十一条", "市场准入审批股", None),
    (
        "行政许可",
        "公共场所卫生许可",
        "《公共场所卫生管理条例》第八条：经营单位应当及时向卫生行政部门申请办理&ldquo;卫生许可证&rdquo;",
        "社会事务审批股",
        None,
    ),
    ("行政许可", "建筑工程施工许可证核发", "《中华人民共和国建筑法》第七条", "投资建设审批股", None),
    ("行政许可", "建设工程消防设计审查", "《中华人民共和国消防法》第十一条", "投资建设审批股", None),
    ("行政许可", "建设工程规划许可证核发", "《中华人民共和国城乡规划法》第四十条", "投资建设审批股", None),
    ("行政许可", "取水许可", "《中华人民共和国水法》第四十八条", "农业林业水利审批股", None),
    ("行政许可", "林木采伐许可证核发", "《中华人民共和国森林法》第五十六条", "农业林业水利审批股", None),
    (
        "行政许可",
        "农作物种子生产经营许可",
        "《中华人民共和国种子法》第三十一条",
        "农业林业水利审批股",
        "种子生产经营许可证核发<br/>种子生产经营许可证变更",
    ),
    ("行政许可", "兽药经营许可证核发", "《兽药管理条例》第二十二条", "农业林业水利审批股", None),
    ("行政许可", "娱乐场所经营活动审批", "《娱乐场所管理条例》第九条", "社会事务审批股", None),
    (
        "行政许可",
        "民办学校设立审批",
        "《中华人民共和国民办教育促进法》第十二条",
        "社会事务审批股",
        "实施学前教育的民办学校设立<br/>实施文化教育类培训的民办学校设立",
    ),
    ("行政许可", "劳务派遣经营许可", "《中华人民共和国劳动合同法》第五十七条", "社会事务审批股", None),
    ("行政许可", "道路货物运输经营许可", "《中华人民共和国道路运输条例》第二十四条", "市场准入审批股", None),
    ("行政许可", "出版物零售单位设立审批", "《出版管理条例》第三十七条", "社会事务审批股", None),
    (
        "行政处罚",
        "对申请人隐瞒有关情况或者提供虚假材料申请行政许可的处罚",
        "《中华人民共和国行政许可法》第七十八条",
        "政策法规股",
        None,
    ),
    (
        "行政处罚",
        "对被许可人以欺骗、贿赂等不正当手段取得行政许可的处罚",
        "《中华人民共和国行政许可法》第七十九条",
        "政策法规股",
        None,
    ),
    (
        "行政处罚",
        "对被许可人涂改、倒卖、出租、出借行政许可证件的处罚",
        "《中华人民共和国行政许可法》第八十条",
        "政策法规股",
        None,
    ),
    (
        "行政检查",
        "对被许可人从事行政许可事项活动情况的监督检查",
        "《中华人民共和国行政许可法》第六十一条",
        "政策法规股",
        None,
    ),
    ("行政检查", "行政许可申请现场核查", BASIS_OF_PERMITS, "勘验核查股", None),
    ("行政检查", "审批中介服务机构执业行为检查", "《优化营商环境条例》", "政策法规股", None),
    ("行政确认", "建设工程竣工验收消防备案", "《中华人民共和国消防法》第十三条", "投资建设审批股", None),
    ("行政确认", "建设工程竣工验收备案", "《建设工程质量管理条例》第四十九条", "投资建设审批股", None),
    ("其他", "企业投资项目备案", "《企业投资项目核准和备案管理条例》第三条", "投资建设审批股", None),
    ("其他", "政府信息依申请公开", "《中华人民共和国政府信息公开条例》第二十七条", "办公室", None),
]

TYPE_CODES = {"行政许可": "XK", "行政处罚": "CF", "行政检查": "JC", "行政确认": "QR", "其他": "QT"}

DUTIES_OF: dict[str, str] = {
    "行政许可": (
        "1.受理阶段责任：公示依法应当提交的材料，一次性告知补正材料，依法受理或者不予受理并说明理由。<br/>"
        "2.审查阶段责任：对申请材料进行审查，需要现场核查的组织核查。<br/>"
        "3.决定阶段责任：在法定期限内作出准予或者不予许可的决定，不予许可的说明理由并告知救济途径。<br/>"
        "4.送达阶段责任：制发许可证件并依法送达，公开许可结果。<br/>"
        "5.事后监管责任：将许可信息推送行业主管部门，实行审管联动。<br/>"
        "6.其他法律法规规章文件规定应履行的责任。"
    ),
    "行政处罚": (
        "1.立案责任：发现涉嫌违法行为，予以审查，决定是否立案。<br/>"
        "2.调查责任：执法人员不少于两人，出示执法证件，收集证据。<br/>"
        "3.审查责任：对案件违法事实、证据、程序、法律适用和处罚种类、幅度进行审查。<br/>"
        "4.告知责任：作出处罚决定前告知当事人拟处罚的事实、理由、依据及其陈述、申辩和要求听证的权利。<br/>"
        "5.决定责任：制作行政处罚决定书，载明违法事实、处罚依据和救济途径。<br/>"
        "6.送达责任：依法送达行政处罚决定书。<br/>"
        "7.执行责任：监督当事人履行处罚决定。"
    ),
    "行政检查": (
        "1.检查责任：制定检查计划，随机抽取检查对象和检查人员，依法实施检查。<br/>"
        "2.处置责任：对检查发现的问题责令改正，依法移送有关部门处理。<br/>"
        "3.公开责任：依法公开检查结果。"
    ),
    "行政确认": (
        "1.受理阶段责任：一次性告知所需材料，依法受理。<br/>"
        "2.审查阶段责任：审查备案材料是否齐全、符合法定形式。<br/>"
        "3.决定阶段责任：依法予以备案或者告知不予备案的理由。<br/>"
        "4.事后监管责任：依法开展抽查。"
    ),
    "其他": (
        "1.受理责任：通过线上线下渠道接收申请，当场或者在规定期限内告知。<br/>"
        "2.办理责任：在规定期限内办结并答复申请人。"
    ),
}

ACCOUNTABILITY = (
    "因不履行或者不正确履行行政职责，有下列情形之一的，行政机关及其相关工作人员应当承担相应责任：<br/>"
    "1.对符合法定条件的申请不予受理、不予办理或者不在法定期限内作出决定的；<br/>"
    "2.对不符合法定条件的申请准予办理或者超越法定职权作出决定的；<br/>"
    "3.未按照&ldquo;一次性告知&rdquo;要求告知申请人补正材料的；<br/>"
    "4.办理中索取或者收受他人财物、谋取其他利益的；<br/>"
    "5.其他违反法律法规规章规定的行为。"
)

SUBJECT = "青山县行政审批服务局"
PHONE = "0731-5201234"
TWO_PHONES = "0731-5201234、0731-5201235"


def power_list() -> dict[str, object]:
    items: list[dict[str, object]] = []
    counters: dict[str, int] = {}
    for kind, name, basis, unit, subitems in POWERS:
        counters[kind] = counters.get(kind, 0) + 1
        items.append(
            {
                "事项编码": f"QS-{TYPE_CODES[kind]}-{counters[kind]:04d}",
                "事项名称": name,
                "事项类型": kind,
                "子项": subitems,
                "设定依据": basis,
                "行驶主体": SUBJECT,
                "承办机构": unit,
                "责任事项": DUTIES_OF[kind],
                "追责情形": ACCOUNTABILITY,
                "监督电话": TWO_PHONES if name == "食品经营许可" else PHONE,
            }
        )
    return {"code": 200, "msg": "success", "data": {"total": len(items), "pageNum": 1, "list": items}}


# --- tables as grids of cells, with vertical merges -----------------------------------------

DUTY_HEADER = ("序号", "主要职责", "具体工作事项", "责任科室", "联系方式")
MATTER_HEADER = ("序号", "管理事项", "相关部门", "职责分工", "相关依据", "案例")
REGIME_HEADER = (
    "序号",
    "事项",
    "监督检查对象",
    "监督检查内容",
    "监督检查方式",
    "监督检查措施",
    "监督检查程序",
    "监督检查处理",
)
SERVICE_HEADER = ("序号", "服务事项", "主要工作内容", "承办机构", "联系电话")


@dataclass
class Grid:
    header: tuple[str, ...]
    rows: list[list[str]]
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # (column, first, last) data rows


def merge_runs(grid: Grid, column: int, keys: list[object]) -> None:
    """Merge runs of equal consecutive keys in ``column``: the cells below the first go blank."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i < len(keys) and keys[i] == keys[start]:
            continue
        if i - start > 1:
            grid.spans.append((column, start, i - 1))
            for row in grid.rows[start + 1 : i]:
                row[column] = ""
        start = i


class Namer:
    """Writes 「（事业单位）」 after a public institution's name the first time it is named."""

    def __init__(self, demo: Demo) -> None:
        self.public = set(demo.public)

    def __call__(self, unit: str) -> str:
        if unit in self.public:
            self.public.discard(unit)
            return f"{unit}（事业单位）"
        return unit


def duty_grid(demo: Demo, phone_once_per_duty: bool) -> Grid:
    """序号 and 主要职责 merged over their tasks; 责任科室 merged over runs of the same units.

    The phone is written once per duty (the first task's unit, seed 002) or once per unit run.
    """
    name = Namer(demo)
    grid = Grid(DUTY_HEADER, [])
    duty_keys: list[object] = []
    unit_keys: list[object] = []
    for no, d in enumerate(demo.duties, 1):
        for task in d.tasks:
            phones = [demo.phones[u] for u in (task.units[:1] if phone_once_per_duty else task.units)]
            units = "\n".join(name(u) for u in task.units)
            grid.rows.append([str(no), d.text, task.text, units, "\n".join(phones)])
            duty_keys.append(no)
            unit_keys.append((no, task.units))
    merge_runs(grid, 0, duty_keys)
    merge_runs(grid, 1, duty_keys)
    merge_runs(grid, 3, unit_keys)
    merge_runs(grid, 4, duty_keys if phone_once_per_duty else unit_keys)
    return grid


def matter_grid(demo: Demo) -> Grid:
    """序号 and 管理事项 merged over their rows; a blank 相关依据 or 案例 merged with the one above."""
    grid = Grid(MATTER_HEADER, [])
    matter_keys: list[object] = []
    basis_keys: list[object] = []
    case_keys: list[object] = []
    for no, matter in enumerate(demo.matters, 1):
        for share in matter.shares:
            grid.rows.append(
                [str(no), matter.name, share.departments, share.division, share.basis, share.case]
            )
            matter_keys.append(no)
            basis_keys.append(_run_key(basis_keys, no, share.basis))
            case_keys.append(_run_key(case_keys, no, share.case))
    for column, keys in ((0, matter_keys), (1, matter_keys), (4, basis_keys), (5, case_keys)):
        merge_runs(grid, column, keys)
    return grid


def _run_key(keys: list[object], matter: int, text: str) -> object:
    """A new run where the text is written; a blank cell continues the run above in its matter."""
    if not text and keys and isinstance(keys[-1], tuple) and keys[-1][0] == matter:
        return keys[-1]
    return (matter, len(keys))


def regime_grid(demo: Demo) -> Grid:
    rows = [
        [str(no), r.matter, r.objects, r.content, r.methods, r.measures, r.procedure, r.handling]
        for no, r in enumerate(demo.regimes, 1)
    ]
    return Grid(REGIME_HEADER, rows)


def service_grid(demo: Demo) -> Grid:
    rows = [
        [
            str(no),
            s.name,
            s.content,
            "\n".join(s.units),
            "\n".join(demo.phones[u] for u in s.units),
        ]
        for no, s in enumerate(demo.services, 1)
    ]
    return Grid(SERVICE_HEADER, rows)


# --- the text export (seed 002's shape) ------------------------------------------------------

PAGE_BREAK_BEFORE_DUTY = 7  # the Word table ran onto a new page here and repeated its header
FILL = "\u3000"  # Word's export writes some empty cells as a full-width space


def text_rows(grid: Grid, blank_as: dict[int, str] | None = None, header_before: int = -1) -> list[str]:
    lines = _text_row(list(grid.header))
    for index, row in enumerate(grid.rows):
        if index == header_before:
            lines += ["", *_text_row(list(grid.header))]  # two blank lines, then the header again
        cells = [text or (blank_as or {}).get(col, "") for col, text in enumerate(row)]
        lines += _text_row(cells)
    return lines


def _text_row(cells: list[str]) -> list[str]:
    """Each cell a line starting with a TAB (a cell's further lines have none), then a blank line."""
    return [f"\t{cell}" for cell in cells] + [""]


def text_export(demo: Demo) -> str:
    duties = duty_grid(demo, phone_once_per_duty=True)
    page_break = sum(len(d.tasks) for d in demo.duties[: PAGE_BREAK_BEFORE_DUTY - 1])
    lines = [f"{demo.department}责任清单", " 一、部门职责", ""]
    lines += text_rows(duties, {4: FILL}, header_before=page_break)
    lines += ["", "二、与相关部门的职责边界", ""]
    lines += text_rows(matter_grid(demo))
    lines += ["", "三、事中事后监管制度", ""]
    lines += text_rows(regime_grid(demo))
    lines += ["", "四、公共服务事项", ""]
    lines += text_rows(service_grid(demo))
    return "\n".join(lines) + "\n"


# --- Word ------------------------------------------------------------------------------------


def write_docx(demo: Demo) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    _docx_fonts(doc)
    tables = (
        ("部门职责登记表", duty_grid(demo, phone_once_per_duty=False), (1.2, 6.5, 7.5, 3.6, 3.2)),
        ("与相关部门的职责边界登记表", matter_grid(demo), (1.2, 3.5, 3.5, 6.5, 4.5, 5.0)),
        ("公共服务事项登记表", service_grid(demo), (1.2, 4.5, 9.0, 4.0, 3.5)),
    )
    for title, grid, widths in tables:
        _docx_heading(doc, title)
        doc.add_paragraph(f"部门名称（盖章）：{demo.department}")
        _docx_table(doc, grid, widths)
    doc.add_paragraph("注：联系电话区号为0731。")
    doc.core_properties.title = f"{demo.department}责任清单"
    doc.core_properties.author = demo.department
    buffer = io.BytesIO()
    doc.save(buffer)
    return reproducible(buffer.getvalue())


def _docx_fonts(doc: object) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = doc.styles["Normal"]  # type: ignore[attr-defined]
    normal.font.name = "宋体"
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")


def _docx_heading(doc: object, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(16)


def _docx_table(doc: object, grid: Grid, widths: tuple[float, ...]) -> None:
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = doc.add_table(rows=len(grid.rows) + 1, cols=len(grid.header))  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.autofit = False
    for r, texts in enumerate([list(grid.header), *grid.rows]):
        for c, text in enumerate(texts):
            cell = table.cell(r, c)
            cell.width = Cm(widths[c])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            lines = text.split("\n") if text else []
            if lines:
                cell.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)  # one paragraph per unit, as people type them
            if r == 0:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header row at the top of every page
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for column, first, last in grid.spans:
        table.cell(first + 1, column).merge(table.cell(last + 1, column))  # w:vMerge restart/continue


# --- Excel -----------------------------------------------------------------------------------


def write_xlsx(demo: Demo) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheets = (
        ("部门职责登记表", f"{demo.department}责任清单", duty_grid(demo, False), (6, 40, 46, 22, 16)),
        ("职责边界登记表", "与相关部门的职责边界登记表", matter_grid(demo), (6, 20, 24, 44, 30, 36)),
        ("公共服务事项登记表", "公共服务事项登记表", service_grid(demo), (6, 26, 50, 24, 16)),
    )
    for index, (name, title, grid, widths) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = name
        _xlsx_sheet(sheet, title, grid, widths)
    book.properties.creator = demo.department
    buffer = io.BytesIO()
    book.save(buffer)
    return reproducible(buffer.getvalue())


def _xlsx_sheet(sheet: object, title: str, grid: Grid, widths: tuple[int, ...]) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    ws = sheet  # an openpyxl Worksheet
    last = get_column_letter(len(grid.header))
    ws.append([title])  # type: ignore[attr-defined]
    ws.merge_cells(f"A1:{last}1")  # type: ignore[attr-defined]
    ws["A1"].font = Font(bold=True, size=16)  # type: ignore[index]
    ws["A1"].alignment = Alignment(horizontal="center")  # type: ignore[index]
    ws.append(list(grid.header))  # type: ignore[attr-defined]
    for row in grid.rows:
        ws.append(row)  # type: ignore[attr-defined]
    thin = Side(style="thin")
    for row in ws.iter_rows(min_row=2, max_row=len(grid.rows) + 2):  # type: ignore[attr-defined]
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if cell.row == 2:
                cell.font = Font(bold=True)
    for column, first, final in grid.spans:
        letter = get_column_letter(column + 1)
        ws.merge_cells(f"{letter}{first + 3}:{letter}{final + 3}")  # type: ignore[attr-defined]
    for index, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(index)].width = width  # type: ignore[attr-defined]
    ws.print_title_rows = "2:2"  # type: ignore[attr-defined]  # the header repeats on every printed page
    ws.freeze_panes = "A3"  # type: ignore[attr-defined]


# --- writing ---------------------------------------------------------------------------------

_W3CDTF = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def reproducible(data: bytes) -> bytes:
    """The same Office file with fixed zip timestamps and document dates."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _W3CDTF.sub(rb"\g<1>" + FIXED_W3CDTF.encode() + rb"\g<2>", body)
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), body, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def summary(demo: Demo) -> str:
    return (
        f"{demo.department}: {len(demo.duties)} duties, {demo.task_count()} tasks, "
        f"{len(demo.matters)} boundary matters, {len(demo.services)} services, "
        f"{len(demo.regimes)} regimes"
    )


def main() -> None:
    OUT.mkdir(exist_ok=True)
    written = {
        "青山县科学技术局责任清单.txt": text_export(science()).encode("utf-8"),
        "青山县市场监督管理局责任清单.docx": write_docx(market()),
        "青山县农业农村局责任清单.xlsx": write_xlsx(agriculture()),
        "青山县行政审批服务局权力清单.json": (
            json.dumps(power_list(), ensure_ascii=False, indent=2) + "\n"
        ).encode("utf-8"),
    }
    for name, data in written.items():
        (OUT / name).write_bytes(data)
        print(f"wrote examples/demo/{name} ({len(data):,} bytes)")
    for demo in (science(), market(), agriculture()):
        print(summary(demo))
    print(f"{SUBJECT}: {len(POWERS)} powers")


if __name__ == "__main__":
    main()
