"""The one settings module. Every qingdan setting is read once, here, from the environment.

QINGDAN_SETTINGS below lists each with its help text; ``docs/settings.md`` documents them and a
test fails when one is missing there.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent

QINGDAN_SETTINGS: dict[str, str] = {
    "QINGDAN_DATA": "数据目录：保存内置 SQLite 登记库等文件。默认 ~/.local/share/qingdan（或 $XDG_DATA_HOME/qingdan）。",
    "QINGDAN_DATABASE_URL": "数据库地址，例如 postgresql://user@host:5432/qingdan；不设置时使用数据目录中的 SQLite。",
    "QINGDAN_SECRET_KEY": "Django 密钥；生产部署必须设置。不设置时在数据目录中生成并保存一个。",
    "QINGDAN_DEBUG": "设为 1 打开调试模式（只用于开发）。",
    "QINGDAN_MAX_FILE_BYTES": "可导入文件的大小上限（字节），默认 50 MB。",
    "QINGDAN_PARSE_SECONDS": "读取（解析、识别、校验）一个导入文件的时间上限（秒），默认 60；超过即拒绝导入，防止异常文件长时间占用服务进程。0 表示不限。",
    "QINGDAN_MAX_LIST_ITEMS": "一份清单（一个部门的一个版本）最多多少项（职责、事项、边界、服务、监管制度、权力事项、科室合计），默认 100000；超过即在写入前拒绝导入。",
    "QINGDAN_MAX_UNZIPPED_BYTES": "docx/xlsx 解压后的大小上限（字节），默认 200 MB，防止压缩炸弹。",
    "QINGDAN_SEARCH_BACKEND": "检索后端：tantivy（默认，索引在数据目录中）或 postgres（索引在 PostgreSQL 数据库中，多台服务器共用）。",
    "QINGDAN_HTTPS_PROXY": "设为 1 表示门户在终止 HTTPS 的反向代理之后（代理须传 X-Forwarded-Proto）：登录 Cookie 只走 HTTPS，CSRF 校验按 HTTPS 来源进行。",
    "QINGDAN_TRUSTED_ORIGINS": "工作人员表单可信的来源，逗号分隔，如 https://qingdan.example.gov.cn（经代理或换了域名访问时需要）。",
    "QINGDAN_TASKS": "后台工作（检索索引更新、清单体检等）怎样运行：database（默认，记入登记库，由 qingdan worker 或 qingdan serve 启动的后台进程执行）或 immediate（在发起的进程中立即执行，命令行默认如此）。",
    "QINGDAN_SOFFICE": "LibreOffice 可执行文件路径，用于转换 .doc/.wps/.xls/.et；默认在 PATH 中查找 soffice/libreoffice。",
}


def default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "qingdan"


DATA_DIR = Path(os.environ.get("QINGDAN_DATA") or default_data_dir()).expanduser()


def _secret_key() -> str:
    key = os.environ.get("QINGDAN_SECRET_KEY")
    if key:
        return key
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except OSError:
        import secrets

        key = secrets.token_urlsafe(50)
        try:
            DATA_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(key)
        except OSError:
            pass
        return key


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("QINGDAN_DEBUG") == "1"
ALLOWED_HOSTS = ["*"]

QINGDAN_MAX_FILE_BYTES = int(os.environ.get("QINGDAN_MAX_FILE_BYTES") or 50 * 1024 * 1024)
QINGDAN_PARSE_SECONDS = float(os.environ.get("QINGDAN_PARSE_SECONDS") or 60)
QINGDAN_MAX_LIST_ITEMS = int(os.environ.get("QINGDAN_MAX_LIST_ITEMS") or 100_000)
QINGDAN_MAX_UNZIPPED_BYTES = int(os.environ.get("QINGDAN_MAX_UNZIPPED_BYTES") or 200 * 1024 * 1024)
QINGDAN_SOFFICE = os.environ.get("QINGDAN_SOFFICE", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "qingdan.core",
    "qingdan.catalog",
    "qingdan.portal",
    "qingdan.checks",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE: list[str] = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

if os.environ.get("QINGDAN_HTTPS_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("QINGDAN_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "work-desk"
LOGOUT_REDIRECT_URL = "home"

STATIC_URL = "/static/"
# whitenoise serves the apps' static files straight from the package: no collectstatic step
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
QINGDAN_SEARCH_BACKEND = os.environ.get("QINGDAN_SEARCH_BACKEND", "tantivy")
ROOT_URLCONF = "qingdan.urls"

# Background work (django-tasks): tasks are rows in the registry's own database, run by
# `qingdan worker` (which `qingdan serve` starts); "immediate" runs them in the calling process.
QINGDAN_TASKS = os.environ.get("QINGDAN_TASKS") or "database"
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if QINGDAN_TASKS == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}

_database_url = os.environ.get("QINGDAN_DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "qingdan.sqlite3"),
            "OPTIONS": {
                # WAL lets readers (the portal) run while an import writes.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
