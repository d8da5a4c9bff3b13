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
    "QINGDAN_LOGIN_FAILURES": "同一账号登录失败多少次后锁定（默认 5）。",
    "QINGDAN_LOGIN_ADDRESS_FAILURES": "同一来源地址登录失败多少次后锁定该地址（默认 20，不论用哪个账号）。",
    "QINGDAN_LOGIN_WINDOW_MINUTES": "计算失败次数的时间窗（分钟，默认 15）：最近一次失败之前这么长时间内的失败才计入。",
    "QINGDAN_LOGIN_LOCK_MINUTES": "锁定多久（分钟，默认 15，从最近一次失败算起）；锁定期间密码正确也不能登录，系统管理员可用 qingdan unlock 提前解除。",
    "QINGDAN_PASSWORD_MIN_LENGTH": "工作人员密码的最短长度（默认 10）。密码还不能与用户名、姓名相近，不能是常见密码，不能全是数字。",
    "QINGDAN_CASE_FILING_RULE": "行政处罚案件立案期限所用的期限规则代码（默认 case-filing：案发之日起七日，见鹿泉区工信局案件查处流程）；部门可在案件规则中另设，如 amr-filing（市场监管 15 个工作日）。",
    "QINGDAN_HEARING_AMOUNT_PERSON": "听证的“较大数额罚款”：对公民（默认 10000 元，参照《市场监督管理行政处罚听证办法》第五条）；部门可在案件规则中另设。",
    "QINGDAN_HEARING_AMOUNT_ORGANISATION": "听证的“较大数额罚款”：对法人或其他组织（默认 100000 元，参照《市场监督管理行政处罚听证办法》第五条）；部门可在案件规则中另设。",
    "QINGDAN_EVIDENCE_MAX_MB": "单个证据文件的大小上限（MB，默认 200）。证据按 SHA-256 保存在数据目录的 evidence/ 下。",
    "QINGDAN_CERTIFICATE_WARNING_DAYS": "执法证到期前多少天开始提示（默认 30）：人员名册、责任矩阵和工作台标出这些人员；过期的执法证不能办案。",
    # 执法文书模板 (qingdan/cases/documents.py)
    "QINGDAN_TEMPLATE_MAX_BYTES": "上传的文书模板（.docx）的大小上限（字节），默认 5 MB；解压后不得超过此数的 20 倍，防止压缩炸弹。",
    "QINGDAN_SOFFICE": "LibreOffice 可执行文件路径，用于转换 .doc/.wps/.xls/.et；默认在 PATH 中查找 soffice/libreoffice。",
    # 裁量基准 (#12, qingdan/cases/discretion.py)
    "QINGDAN_DISCRETION_POINTS": "裁量基准建议罚款取本阶次幅度的哪一点（0 为下限，1 为上限），如 从轻=0,一般=0.5,从重=1（默认；减轻同从轻）。",
    "QINGDAN_DISCRETION_STEP": "建议罚款数额按多少元取整（默认 100）。",
}


def default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else Path.home() / ".local" / "share") / "qingdan"


DATA_DIR = Path(os.environ.get("QINGDAN_DATA") or default_data_dir()).expanduser()


def private_dir(path: Path) -> None:
    """Create ``path`` readable by its owner only (0700); an existing directory is left as it is."""
    if not path.exists():
        path.mkdir(mode=0o700, parents=True)


def private_file(path: Path, text: str = "") -> None:
    """Create ``path`` readable and writable by its owner only (0600), unless it exists."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)


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
            private_dir(DATA_DIR)
            private_file(path, key)
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

# Sign-in throttling (qingdan/core/signin.py) and the password policy
QINGDAN_LOGIN_FAILURES = int(os.environ.get("QINGDAN_LOGIN_FAILURES") or 5)
QINGDAN_LOGIN_ADDRESS_FAILURES = int(os.environ.get("QINGDAN_LOGIN_ADDRESS_FAILURES") or 20)
QINGDAN_LOGIN_WINDOW_MINUTES = int(os.environ.get("QINGDAN_LOGIN_WINDOW_MINUTES") or 15)
QINGDAN_LOGIN_LOCK_MINUTES = int(os.environ.get("QINGDAN_LOGIN_LOCK_MINUTES") or 15)
QINGDAN_CASE_FILING_RULE = os.environ.get("QINGDAN_CASE_FILING_RULE") or "case-filing"
QINGDAN_HEARING_AMOUNT_PERSON = os.environ.get("QINGDAN_HEARING_AMOUNT_PERSON") or "10000"
QINGDAN_HEARING_AMOUNT_ORGANISATION = os.environ.get("QINGDAN_HEARING_AMOUNT_ORGANISATION") or "100000"
QINGDAN_EVIDENCE_MAX_MB = int(os.environ.get("QINGDAN_EVIDENCE_MAX_MB") or 200)
QINGDAN_CERTIFICATE_WARNING_DAYS = int(os.environ.get("QINGDAN_CERTIFICATE_WARNING_DAYS") or 30)
# 执法文书模板
QINGDAN_TEMPLATE_MAX_BYTES = int(os.environ.get("QINGDAN_TEMPLATE_MAX_BYTES") or 5 * 1024 * 1024)
# 裁量基准 (#12): parsed and checked where they are used, qingdan.cases.discretion
QINGDAN_DISCRETION_POINTS = os.environ.get("QINGDAN_DISCRETION_POINTS", "")
QINGDAN_DISCRETION_STEP = os.environ.get("QINGDAN_DISCRETION_STEP", "") or "100"
AUTHENTICATION_BACKENDS = ["qingdan.core.signin.ThrottledBackend"]
_validators = "django.contrib.auth.password_validation."
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _validators + "UserAttributeSimilarityValidator"},
    {
        "NAME": "qingdan.core.accounts.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("QINGDAN_PASSWORD_MIN_LENGTH") or 10)},
    },
    {"NAME": _validators + "CommonPasswordValidator"},
    {"NAME": _validators + "NumericPasswordValidator"},
]

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
    "qingdan.laws",
    "qingdan.deadlines",
    "qingdan.enforcement",
    "qingdan.cases",
    "qingdan.inspection",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE: list[str] = [
    "qingdan.api.errors.ApiErrorMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "qingdan.core.headers.SecurityHeadersMiddleware",
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

# Security headers: X-Content-Type-Options, Referrer-Policy, Cross-Origin-Opener-Policy (Django's
# defaults) and X-Frame-Options come from Django's middleware; the CSP from qingdan.core.headers.
# Scripts and styles come from our own static files only: no inline <script>, no onclick=.
QINGDAN_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if os.environ.get("QINGDAN_HTTPS_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    # browsers remember for a year to come back over HTTPS only (sent on HTTPS responses only)
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
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


def _sqlite_file(path: Path) -> str:
    """The embedded registry's file, created empty and private (0600) when it does not exist yet:
    SQLite gives its -wal and -shm files the database file's permissions."""
    try:
        private_dir(path.parent)
        if not path.exists():
            private_file(path)
    except OSError:
        pass  # a read-only or missing location: opening the database will say so
    return str(path)


_database_url = os.environ.get("QINGDAN_DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _sqlite_file(DATA_DIR / "qingdan.sqlite3"),
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

# Errors, with their tracebacks, go to stderr and to a rotating file in the data directory
# (logs/qingdan.log, 5 × 10 MB); an API client or a visitor only ever sees a message.
LOG_FILE = DATA_DIR / "logs" / "qingdan.log"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "console": {
            "()": "qingdan.core.logfile.ConsoleFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s",
        },
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "console"},
        "file": {
            "class": "qingdan.core.logfile.DataDirFileHandler",
            "filename": str(LOG_FILE),
            "maxBytes": 10 * 1024 * 1024,
            "backupCount": 5,
            "encoding": "utf-8",
            "delay": True,
            "formatter": "plain",
        },
    },
    "loggers": {
        "django.request": {"handlers": ["stderr", "file"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["stderr", "file"], "level": "WARNING", "propagate": False},
        "qingdan": {"handlers": ["stderr", "file"], "level": "WARNING"},
    },
}
