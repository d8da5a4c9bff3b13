"""Build the demo registry in examples/demo/: a FICTIONAL county, 青山县, in the real formats.

Run `python examples/build_demo.py` after editing the content below. The text export follows the
seeds' format (cells as TAB lines, merged cells as TAB alone); the .docx and .xlsx are the
official 登记表 layouts with merged cells; the power list is shaped like a provincial platform's
JSON export (wrapper object, the misspelled field 行驶主体, HTML entities).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qingdan.ingest.records import (
    BoundaryRecord,
    DutyRecord,
    ListRecord,
    RegimeRecord,
    ServiceRecord,
    ShareRecord,
    TaskRecord,
    UnitRecord,
)

OUT = Path(__file__).resolve().parent / "demo"


def duty(no: int, text: str, *tasks: tuple[str, str]) -> DutyRecord:
    return DutyRecord(str(no), text, [TaskRecord(t, u.split("、")) for t, u in tasks])


def science() -> ListRecord:
    rec = ListRecord("青山县科学技术局", "青山县")
    rec.units = [
        UnitRecord("办公室", phones=["0736-4821001"]),
        UnitRecord("科技计划股", phones=["0736-4821002"]),
        UnitRecord("成果转化股", phones=["0736-4821003"]),
        UnitRecord("知识产权股", phones=["0736-4821004"]),
        UnitRecord("防震减灾服务中心", "事业单位", ["0736-4821005"]),
    ]
    rec.duties = [
        duty(
            1,
            "贯彻执行科技工作的法律法规和方针政策，拟订全县科技发展规划和年度计划并组织实施。",
            ("起草全县科技发展中长期规划和年度工作要点", "办公室"),
            ("组织开展科技政策宣传和科技法规培训", "办公室"),
            ("承担局机关规范性文件合法性审核和行政应诉工作", "办公室"),
        ),
        duty(
            2,
            "负责县级科技计划项目的申报、立项、实施管理和绩效评价。",
            ("编制县级科技计划项目申报指南，组织项目评审立项", "科技计划股"),
            ("组织推荐国家、省、市科技计划项目", "科技计划股"),
            ("开展县级科技计划项目中期检查、结题验收和绩效评价", "科技计划股"),
        ),
        duty(
            3,
            "负责高新技术企业和科技型中小企业培育，推进科技创新平台建设。",
            ("组织高新技术企业认定申报和培育入库工作", "科技计划股"),
            ("组织科技型中小企业评价入库", "科技计划股"),
            ("指导众创空间、科技企业孵化器建设和运营", "成果转化股"),
        ),
        duty(
            4,
            "推动科技成果转移转化，管理技术市场和技术合同认定登记工作。",
            ("负责全县技术合同认定登记和技术交易统计", "成果转化股"),
            ("组织科技成果对接和产学研合作活动", "成果转化股"),
            ("培育技术转移机构和技术经纪人队伍", "成果转化股、科技计划股"),
        ),
        duty(
            5,
            "负责专利管理和知识产权保护工作。",
            ("受理专利侵权纠纷调解和假冒专利举报投诉", "知识产权股"),
            ("组织专利资助和知识产权优势企业培育", "知识产权股"),
            ("开展知识产权宣传周活动", "知识产权股"),
        ),
        duty(
            6,
            "负责全县防震减灾工作，组织地震监测和应急准备。",
            ("维护县地震监测台站和宏观观测点", "防震减灾服务中心"),
            ("审核建设工程抗震设防要求", "防震减灾服务中心"),
            ("组织防震减灾科普进学校、进社区", "防震减灾服务中心"),
        ),
        duty(7, "完成县委、县政府交办的其他任务。", ("完成县委、县政府交办的其他科技工作", "办公室")),
    ]
    rec.boundaries = [
        BoundaryRecord(
            "技术合同认定登记与税收优惠",
            [
                ShareRecord(
                    "县科学技术局",
                    "负责技术合同的认定登记，出具技术合同登记证明",
                    "《中华人民共和国促进科技成果转化法》第四十三条",
                    "某企业持技术开发合同申请认定登记，县科学技术局审查后登记并出具证明，企业据此向税务部门申请减免增值税。",
                ),
                ShareRecord("国家税务总局青山县税务局", "负责审核技术合同相关税收优惠申请"),
            ],
        ),
        BoundaryRecord(
            "知识产权保护",
            [
                ShareRecord(
                    d,
                    "在各自职责范围内负责知识产权保护和执法",
                    "《中华人民共和国专利法》、《中华人民共和国商标法》",
                )
                for d in ("县科学技术局", "县市场监督管理局", "县文化旅游广电体育局")
            ],
        ),
    ]
    rec.services = [
        ServiceRecord(
            "技术合同认定登记",
            "为技术合同当事人办理技术合同认定登记，出具登记证明",
            ["成果转化股"],
            ["0736-4821003"],
        ),
        ServiceRecord(
            "高新技术企业申报辅导",
            "为企业提供高新技术企业认定政策解读和申报辅导",
            ["科技计划股"],
            ["0736-4821002"],
        ),
        ServiceRecord(
            "专利信息查询咨询",
            "提供专利检索、专利申请流程咨询服务",
            ["知识产权股", "办公室"],
            ["0736-4821004", "0736-4821001"],
        ),
    ]
    rec.supervision = [
        RegimeRecord(
            "县级科技计划项目监管",
            "县级科技计划项目承担单位和项目负责人",
            "项目实施进度、经费使用和绩效目标完成情况",
            "书面检查与实地抽查相结合，每年抽查比例不低于20%",
            "下达整改通知书，限期整改",
            "制定抽查计划、实地检查、形成检查报告、反馈整改意见",
            "对违规使用经费的，追回资金并取消申报资格",
        ),
    ]
    return rec


def market() -> ListRecord:
    rec = ListRecord("青山县市场监督管理局", "青山县")
    rec.units = [
        UnitRecord("办公室", phones=["0736-4830001"]),
        UnitRecord("登记注册股", phones=["0736-4830002"]),
        UnitRecord("食品安全监管股", phones=["0736-4830003"]),
        UnitRecord("知识产权股", phones=["0736-4830004"]),
        UnitRecord("综合行政执法大队", "事业单位", ["0736-4830005"]),
    ]
    rec.duties = [
        duty(
            1,
            "负责市场主体统一登记注册，建立市场主体信息公示和共享机制。",
            ("办理企业、个体工商户设立、变更、注销登记", "登记注册股"),
            ("组织市场主体年度报告公示", "登记注册股"),
        ),
        duty(
            2,
            "负责食品安全监督管理，组织开展食品安全监督抽检。",
            ("开展食品生产经营许可和日常监督检查", "食品安全监管股"),
            ("组织食品安全监督抽检和风险监测", "食品安全监管股"),
            ("查处食品安全违法案件", "综合行政执法大队"),
        ),
        duty(
            3,
            "负责商标、地理标志的管理和保护。",
            ("查处商标侵权和假冒注册商标行为", "知识产权股、综合行政执法大队"),
            ("指导地理标志产品保护", "知识产权股"),
        ),
        duty(
            4,
            "负责市场监管综合执法和投诉举报处理。",
            ("受理12315投诉举报并组织调解", "办公室"),
            ("组织双随机抽查和联合检查", "综合行政执法大队"),
        ),
    ]
    rec.boundaries = [
        BoundaryRecord(
            "食盐质量安全监管",
            [
                ShareRecord("县市场监督管理局", "负责食盐质量安全监督管理和执法", "《食盐专营办法》"),
                ShareRecord("县工业和信息化局", "负责食盐专营行业管理"),
            ],
        )
    ]
    rec.services = [
        ServiceRecord(
            "企业开办一站式服务",
            "一次提交材料，一日办结营业执照、公章刻制和发票申领",
            ["登记注册股"],
            ["0736-4830002"],
        )
    ]
    return rec


def agriculture() -> ListRecord:
    rec = ListRecord("青山县农业农村局", "青山县")
    rec.units = [
        UnitRecord("办公室", phones=["0736-4840001"]),
        UnitRecord("种植业股", phones=["0736-4840002"]),
        UnitRecord("畜牧水产股", phones=["0736-4840003"]),
        UnitRecord("农业综合行政执法大队", "事业单位", ["0736-4840004"]),
    ]
    rec.duties = [
        duty(
            1,
            "负责种植业发展，指导粮食和经济作物生产。",
            ("组织粮食生产和耕地地力保护补贴发放", "种植业股"),
            ("指导农作物病虫害监测与防治", "种植业股"),
        ),
        duty(
            2,
            "负责畜牧水产业发展和动物防疫监督管理。",
            ("组织重大动物疫病强制免疫", "畜牧水产股"),
            ("指导畜禽养殖废弃物资源化利用", "畜牧水产股"),
        ),
        duty(
            3,
            "负责农业综合行政执法。",
            ("查处农药、种子、肥料违法案件", "农业综合行政执法大队"),
            ("开展农产品质量安全执法检查", "农业综合行政执法大队"),
        ),
    ]
    rec.boundaries = [
        BoundaryRecord(
            "重大动物疫情处置",
            [
                ShareRecord("县农业农村局", "负责疫情监测、诊断和扑灭技术方案", "《重大动物疫情应急条例》"),
                ShareRecord("县卫生健康局", "负责人间疫情监测和人员防护"),
            ],
        )
    ]
    rec.services = [
        ServiceRecord(
            "农业技术咨询",
            "提供种植养殖技术咨询和田间指导",
            ["种植业股", "畜牧水产股"],
            ["0736-4840002", "0736-4840003"],
        )
    ]
    return rec


def text_export(rec: ListRecord) -> str:
    """The seeds' text export: cells as TAB lines, merged cells as a TAB and U+3000."""
    phones = {u.name: u.phones for u in rec.units}
    lines = [f"{rec.department}责任清单", " 一、部门职责", ""]
    lines += ["\t序号", "\t主要职责", "\t具体工作事项", "\t责任科室", "\t联系方式", ""]
    for d in rec.duties:
        for i, t in enumerate(d.tasks):
            first = i == 0
            phone = "\n".join(p for u in t.units for p in phones[u]) if first else ""
            lines += [
                f"\t{d.no if first else ''}",
                f"\t{d.text if first else ''}",
                f"\t{t.text}",
                "\t" + "\n".join(t.units),
                f"\t{phone or chr(0x3000)}",
                "",
            ]
    lines += [
        "",
        "二、与相关部门的职责边界",
        "",
        "\t序号",
        "\t管理事项",
        "\t相关部门",
        "\t职责分工",
        "\t相关依据",
        "\t案例",
        "",
    ]
    for n, b in enumerate(rec.boundaries, 1):
        for i, s in enumerate(b.shares):
            lines += [
                f"\t{n if i == 0 else ''}",
                f"\t{b.matter if i == 0 else ''}",
                f"\t{s.department}",
                f"\t{s.division}",
                f"\t{s.basis}",
                f"\t{s.case}",
                "",
            ]
    lines += ["", "三、事中事后监管制度", ""]
    lines += [
        "\t序号",
        "\t事项",
        "\t监督检查对象",
        "\t监督检查内容",
        "\t监督检查方式",
        "\t监督检查措施",
        "\t监督检查程序",
        "\t监督检查处理",
        "",
    ]
    for n, r in enumerate(rec.supervision, 1):
        lines += [
            f"\t{n}",
            f"\t{r.matter}",
            f"\t{r.objects}",
            f"\t{r.content}",
            f"\t{r.methods}",
            f"\t{r.measures}",
            f"\t{r.procedure}",
            f"\t{r.handling}",
            "",
        ]
    lines += [
        "",
        "四、公共服务事项",
        "",
        "\t序号",
        "\t服务事项",
        "\t主要工作内容",
        "\t承办机构",
        "\t联系电话",
        "",
    ]
    for n, s in enumerate(rec.services, 1):
        lines += [
            f"\t{n}",
            f"\t{s.name}",
            f"\t{s.content}",
            "\t" + "\n".join(s.units),
            "\t" + "\n".join(s.phones),
            "",
        ]
    return "\n".join(lines) + "\n"


POWERS = [
    ("行政许可", "建设工程消防设计审查", "《中华人民共和国消防法》第十一条"),
    ("行政许可", "食品经营许可", "《中华人民共和国食品安全法》第三十五条"),
    ("行政许可", "药品零售企业许可", "《中华人民共和国药品管理法》第五十二条"),
    ("行政许可", "公共场所卫生许可", "《公共场所卫生管理条例》第八条"),
    ("行政许可", "建筑工程施工许可", "《中华人民共和国建筑法》第七条"),
    ("行政许可", "人力资源服务许可", "《人力资源市场暂行条例》第十八条"),
    ("行政确认", "企业投资项目备案", "《企业投资项目核准和备案管理条例》第三条"),
    ("行政确认", "技术合同认定登记", "《技术合同认定登记管理办法》第三条"),
    ("行政检查", "许可事项事中事后监督检查", "《中华人民共和国行政许可法》第六十一条"),
    ("其他", "政府信息依申请公开", "《中华人民共和国政府信息公开条例》第二十七条"),
]


def power_list() -> dict[str, object]:
    items = []
    for i, (kind, name, basis) in enumerate(POWERS, 1):
        items.append(
            {
                "事项编码": f"4306240{i:05d}",
                "事项名称": name,
                "事项类型": kind,
                "子项": "",
                "设定依据": basis.replace("》", "》&nbsp;", 1),
                "行驶主体": "青山县行政审批服务局",
                "承办机构": "审批一股" if i % 2 else "审批二股",
                "责任事项": "1.受理阶段责任：公示依法应当提交的材料&lt;br/&gt;2.审查阶段责任：对申请材料进行审查",
                "追责情形": "&ldquo;对符合法定条件的申请不予受理&rdquo;的",
                "监督电话": "0736-5201234、0736-5201235" if i == 1 else "0736-5201234",
            }
        )
    return {"code": 200, "msg": "success", "data": {"total": len(items), "list": items}}


def main() -> None:
    from qingdan.catalog.exports.docx import write_docx
    from qingdan.catalog.exports.xlsx import write_xlsx

    OUT.mkdir(exist_ok=True)
    (OUT / "青山县科学技术局责任清单.txt").write_text(text_export(science()), encoding="utf-8")
    (OUT / "青山县市场监督管理局责任清单.docx").write_bytes(write_docx(market()))
    (OUT / "青山县农业农村局责任清单.xlsx").write_bytes(write_xlsx(agriculture()))
    power = json.dumps(power_list(), ensure_ascii=False, indent=1)
    (OUT / "青山县行政审批服务局权力清单.json").write_text(power, encoding="utf-8")


if __name__ == "__main__":
    main()
