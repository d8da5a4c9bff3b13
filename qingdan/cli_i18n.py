"""Click's own words in Chinese: usage, help headings, and its error messages.

Click marks its messages with ``gettext``, but a gettext catalogue is chosen by the user's
locale variables (LANGUAGE, LC_ALL, LANG) and by the process-wide text domain, so a server shell
with LANG=C.UTF-8 would still see English. Instead ``install()`` replaces the ``_`` and
``ngettext`` click's modules imported with a lookup in the table below; it must run before the
commands are declared, since some words (a Path's "file", "directory") are read at declaration.
A message missing from the table stays in English; tests/test_cli_chinese.py runs the commands a
person mistypes and fails on English.
"""

from __future__ import annotations

from typing import Any

import click

MESSAGES = {
    "Usage:": "用法：",
    "Options": "选项",
    "Positional arguments": "参数",
    "Commands": "命令",
    "Aborted!": "已取消。",
    "deprecated": "已弃用",
    "Missing command.": "缺少命令。",
    "Got unexpected extra argument ({args})": "多了一个参数（{args}）",
    "Got unexpected extra arguments ({args})": "多了几个参数（{args}）",
    "Value must be an iterable.": "值必须是一组值。",
    "Takes {nargs} values but 1 was given.": "需要 {nargs} 个值，只给了 1 个。",
    "Takes {nargs} values but {len} were given.": "需要 {nargs} 个值，给了 {len} 个。",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "提醒：命令 {name!r} 已弃用。{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "提醒：{name!r} 已弃用。{extra_message}",
    "env var: {var}": "环境变量：{var}",
    "default: {default}": "默认：{default}",
    "(dynamic)": "（动态）",
    "required": "必填",
    "Do you want to continue?": "要继续吗？",
    "Confirm the action without prompting.": "不再询问，直接执行。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "Show the version and exit.": "显示版本号后退出。",
    "Show this message and exit.": "显示本帮助后退出。",
    "Did you mean {possibility}?": "您是不是要用 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（您是不是要用其中之一：{possibilities}？）",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "用「{command} {option}」查看帮助。",
    "Invalid value: {message}": "取值无效：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的取值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "unknown error": "未知错误",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Invalid start character for option ({option})": "选项开头的字符无效（{option}）",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "Option {name!r} does not take a value.": "选项 {name!r} 后面不能带值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面要写一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面要写 {nargs} 个值。",
    "Repeat for confirmation": "再输入一次",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
    "Press any key to continue...": "按任意键继续……",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{value!r} is not one of {choices}.": "{value!r} 不在可选值 {choices} 之中。",
    "{value!r} does not match the format {format}.": "{value!r} 不符合格式 {format}。",
    "{value!r} does not match the formats {formats}.": "{value!r} 不符合格式 {formats} 中的任何一个。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 之内。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是否值，可写：{states}",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "file": "文件",
    "directory": "目录",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件（应为目录）。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录（应为文件）。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 没有读取权限。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 没有写入权限。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 没有执行权限。",
    "{len_type} values are required, but {len_value} was given.": "需要 {len_type} 个值，给了 {len_value} 个。",
    "{len_type} values are required, but {len_value} were given.": "需要 {len_type} 个值，给了 {len_value} 个。",
}

# what the types are called in usage lines (--limit 整数) and in "… is not a valid 整数"
TYPE_NAMES = {
    click.types.StringParamType: "文字",
    click.types.IntParamType: "整数",
    click.types.FloatParamType: "数字",
    click.types.BoolParamType: "是否",
    click.types.IntRange: "整数",
    click.types.FloatRange: "数字",
}

MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "termui",
    "types",
    "utils",
    "_termui_impl",
)


def translate(message: str) -> str:
    return MESSAGES.get(message, message)


def ntranslate(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


def install() -> None:
    """Make click speak Chinese (idempotent)."""
    import importlib

    for name in MODULES:
        module: Any = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = translate
        if hasattr(module, "ngettext"):
            module.ngettext = ntranslate
    for cls, label in TYPE_NAMES.items():
        cls.name = label


def name_parameters(group: click.Group, arguments: dict[str, str]) -> None:
    """Chinese placeholders in every usage line: [选项], 命令 [参数]..., and each argument's name."""
    group.options_metavar = "[选项]"
    group.subcommand_metavar = "命令 [参数]..."
    for command in group.commands.values():
        if isinstance(command, click.Group):
            name_parameters(command, arguments)
            continue
        command.options_metavar = "[选项]"
        for param in command.params:
            if isinstance(param, click.Argument) and param.name in arguments and param.metavar is None:
                label = arguments[param.name] + ("..." if param.nargs != 1 else "")
                param.metavar = label if param.required else f"[{label}]"
