"""The audit log's details in words a person reads: the stored entries keep English keys and codes
(they are hashed, and code reads them), and the work desk, the admin and ``qingdan audit list``
show them through ``describe``."""

from __future__ import annotations

import re
from typing import Any

KEY_LABELS = {
    # counts of an imported list
    "source": "来源文件",
    "units": "科室",
    "duties": "主要职责",
    "tasks": "具体工作事项",
    "boundaries": "职责边界",
    "services": "公共服务事项",
    "supervision": "监管制度",
    "powers": "权力事项",
    "stated_department": "文件写明的部门",
    "based_on": "复制自第几版",
    # an imported 行政执法责任制
    "title": "名称",
    "document_number": "文号",
    "bases": "执法依据",
    "responsibility_duties": "职责",
    "liabilities": "法律责任",
    # edits of a draft and the items they touch
    "op": "操作",
    "path": "位置",
    "item": "内容",
    "to": "移到",
    "text": "内容",
    "no": "序号",
    "name": "名称",
    "kind": "类别",
    "phones": "联系电话",
    "note": "备注",
    "matter": "事项",
    "shares": "相关部门分工",
    "department": "部门",
    "division": "职责分工",
    "basis": "依据",
    "case": "案例",
    "code": "事项编码",
    "type": "事项类型",
    "subitems": "子项",
    "subject": "实施主体",
    "accountability": "追责情形",
    "content": "内容",
    "objects": "监督检查对象",
    "methods": "监督检查方式",
    "measures": "监督检查措施",
    "procedure": "监督检查程序",
    "handling": "监督检查处理",
    # review, checks, succession, accounts
    "stage": "审核环节",
    "status": "状态",
    "comment": "意见",
    "reason": "理由",
    "fingerprint": "问题指纹",
    "predecessors": "前身部门",
    "predecessor": "前身部门",
    "successions": "沿革记录",
    "effective_on": "日期",
    "rename": "更名",
    "alias": "别名",
    "role": "角色",
    "token": "令牌",
    "failures": "失败次数",
    "until": "锁定到",
    "fields": "修改的字段",
    "of": "所属",
    "created": "新增",
    "updated": "更新",
    "posts": "新建岗位",
    # an imported 裁量基准 table (#12)
    "standards": "裁量基准",
    "levels": "裁量阶次",
    "removed": "删除",
    "certificate_number": "执法证号",
    "valid_until": "证件有效期至",
    "valid_from": "证件有效期自",
    "legal_qualification": "法律职业资格",
    "public": "公开姓名",
    "items": "承担事项",
    "unit": "科室",
    "post": "岗位",
    "category": "执法类别",
    "area": "执法区域",
    # 工作日历与期限规则
    "date": "日期",
    "year": "年份",
    "holidays": "放假天数",
    "workdays": "调休上班天数",
    "replaced": "替换的通知日",
    "kept": "保留的管理员设定",
    "label": "名称",
    "days": "期限数",
    "period_unit": "期限单位",
    # 执法文书与模板
    "document": "文书编号",
    "sha256": "SHA-256",
    "template_sha256": "模板 SHA-256",
    "template": "模板来源",
    "file_name": "文件名",
}

VALUE_LABELS = {
    "role": {"filler": "部门填报员", "legal": "法制审核员", "approver": "编办审核员", "admin": "系统管理员"},
    "status": {
        "draft": "草稿",
        "legal_review": "待法制审核",
        "approval_review": "待编办审核",
        "published": "已发布",
        "accepted": "确认问题",
        "dismissed": "不是问题",
    },
    "stage": {"department": "部门", "legal": "法制审核", "approval": "编办审核"},
    "fields": {
        "username": "用户名",
        "password": "密码",
        "first_name": "名字",
        "last_name": "姓氏",
        "email": "电子邮件",
        "is_active": "有效",
        "is_staff": "工作人员状态",
        "is_superuser": "超级用户状态",
        "groups": "组",
        "user_permissions": "用户权限",
        "role": "角色",
        "department": "部门",
        "jurisdiction": "地区",
        "name": "名称",
        "user": "用户",
    },
    "kind": {"holiday": "休息日", "workday": "调休上班"},
    "period_unit": {"working": "工作日", "calendar": "自然日", "month": "月", "half_year": "半年报"},
    "op": {"add": "新增", "save": "修改", "remove": "删除", "move": "移动", "move_to": "移到"},
}

OBJECT_LABELS = {
    "listversion": "清单版本",
    "department": "部门",
    "user": "用户",
    "profile": "角色",
    "apitoken": "API 令牌",
    "address": "来源地址",
    "law": "法律法规",
    "lawchangereminder": "依据变更提醒",
    "responsibilitysystem": "行政执法责任制",
    "officer": "执法人员",
    "post": "岗位",
    "leader": "局领导",
    "calendarday": "日历调整",
    "holidaynotice": "节假日安排通知",
    "deadlinerule": "期限规则",
    "penaltycase": "行政处罚案件",
    "caserole": "案件角色",
    "caserules": "案件规则",
    "documenttemplate": "文书模板",
}

_PATH_STEP = re.compile(r"(\w+)\[(\d+)\]")


def describe(value: Any, key: str = "") -> str:
    """A stored before/after value as Chinese text: labelled keys, labelled codes, 是/否."""
    if value is None:
        return ""
    if isinstance(value, dict):
        parts = [
            f"{KEY_LABELS.get(k, k)}：{describe(v, k)}" for k, v in value.items() if v not in (None, "", [])
        ]
        return "；".join(parts)
    if isinstance(value, list):
        return "、".join(describe(v, key) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in ("path", "to") and isinstance(value, str):
        return _path(value)
    if key in VALUE_LABELS and isinstance(value, str):
        return VALUE_LABELS[key].get(value, value)
    return str(value)


def _path(path: str) -> str:
    """``duties[2].tasks[0]`` → 第 3 项主要职责 › 第 1 项具体工作事项."""
    steps = _PATH_STEP.findall(path)
    if not steps:
        return KEY_LABELS.get(path.split(".")[-1], path)
    text = " › ".join(f"第 {int(i) + 1} 项{KEY_LABELS.get(name, name)}" for name, i in steps)
    tail = path.rsplit("]", 1)[-1].lstrip(".")
    return f"{text} › {KEY_LABELS.get(tail, tail)}" if tail else text
