"""Domain errors: each carries a message a person can act on, in Chinese."""

from __future__ import annotations

import errno


class QingdanError(Exception):
    """A refusal the user should see as a message, never as a traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(QingdanError):
    pass


# what an operating-system error means, in words a person reads (its own strerror is English)
OS_ERRORS = {
    errno.ENOENT: "找不到文件或目录",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许这样操作",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.EEXIST: "已经存在",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "文件系统只读，不能写入",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EMFILE: "打开的文件太多",
    errno.ENOTEMPTY: "目录不是空的",
    errno.EIO: "读写出错（磁盘或设备故障）",
    errno.EBUSY: "文件或设备正被占用",
    errno.ELOOP: "符号链接层数太多（可能循环）",
    errno.ETXTBSY: "文件正被执行，不能写入",
    errno.ECONNREFUSED: "连接被拒绝",
    errno.ETIMEDOUT: "连接超时",
    errno.EHOSTUNREACH: "无法到达主机",
}


def os_error_text(exc: OSError, with_file: bool = True) -> str:
    """An OSError in Chinese: what went wrong and, when known (and wanted), on which file."""
    what = OS_ERRORS.get(exc.errno or 0)
    if what is None:
        code = errno.errorcode.get(exc.errno or 0)
        what = f"操作系统错误（{code}）" if code else "操作系统错误"
    return f"{what}：{exc.filename}" if exc.filename and with_file else what
