"""PDF of a written .docx through LibreOffice (``soffice --headless --convert-to pdf``).

Each conversion runs in a temporary folder with a LibreOffice profile of its own, so that two
conversions at once never share (and lock) one profile, and with a time limit. LibreOffice asks
fontconfig for the fonts a document names; the official 公文 fonts (仿宋_GB2312, 楷体_GB2312,
黑体, 方正小标宋简体, 宋体) are rarely installed on a server, so the conversion is given a fontconfig
file that maps them to free stand-ins (FandolFang, FandolKai or AR PL UKai, Noto Sans/Serif CJK).
Where the official fonts are installed, fontconfig finds them first and the mapping does nothing.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from zhenggai.core.errors import DocumentError

DEFAULT_TIMEOUT = 120.0
INSTALL_HINT = "可运行 make pdf-deps 安装"

# Official name (and its usual aliases) → free stand-ins, best first. FandolFang/FandolKai/FandolSong
# come from texlive-lang-chinese; AR PL UKai from fonts-arphic-ukai; Noto from fonts-noto-cjk.
FONT_MAP: dict[tuple[str, ...], tuple[str, ...]] = {
    ("仿宋_GB2312", "仿宋", "FangSong", "FangSong_GB2312", "华文仿宋", "STFangsong"): (
        "FandolFang",
        "Noto Serif CJK SC",
    ),
    ("楷体_GB2312", "楷体", "KaiTi", "KaiTi_GB2312", "华文楷体", "STKaiti"): (
        "FandolKai",
        "AR PL UKai CN",
        "Noto Serif CJK SC",
    ),
    ("黑体", "SimHei", "方正黑体简体", "华文黑体", "STHeiti", "微软雅黑", "Microsoft YaHei"): (
        "Noto Sans CJK SC",
        "FandolHei",
    ),
    ("方正小标宋简体", "方正小标宋_GBK", "小标宋", "华文中宋", "STZhongsong"): ("Noto Serif CJK SC",),
    ("宋体", "SimSun", "新宋体", "NSimSun", "华文宋体", "STSong"): ("FandolSong", "Noto Serif CJK SC"),
    ("Times New Roman",): ("Liberation Serif",),
    # The free names of Fonts.free(), should the Fandol fonts be missing.
    ("FandolFang", "FandolSong"): ("Noto Serif CJK SC",),
    ("FandolKai",): ("AR PL UKai CN", "Noto Serif CJK SC"),
}
# 小标宋 is a heavy face: its stand-in, a regular serif, is asked for in bold.
_BOLD_STAND_IN = ("方正小标宋简体", "方正小标宋_GBK", "小标宋", "华文中宋", "STZhongsong")


class PdfUnavailable(DocumentError):
    """LibreOffice is not installed: no PDF can be made on this machine."""

    default_message = f"未安装 LibreOffice，无法生成 PDF（{INSTALL_HINT}）"


class PdfConversionError(DocumentError):
    default_message = "PDF 生成失败：LibreOffice 未能转换该文档"


def find_soffice() -> str | None:
    """The LibreOffice program: ``$ZHENGGAI_SOFFICE``, else ``soffice`` or ``libreoffice`` on PATH."""
    configured = os.environ.get("ZHENGGAI_SOFFICE")
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    return find_soffice() is not None


def fontconfig_xml() -> str:
    """A fontconfig file: the system's configuration plus the official-name → stand-in aliases."""
    entries = []
    for names, stand_ins in FONT_MAP.items():
        # <accept>: the stand-ins come right after the named family, so an installed official font
        # still wins; <prefer> would put them before it.
        accept = "".join(f"<family>{escape(s)}</family>" for s in stand_ins)
        for name in names:
            entries.append(
                f'<alias binding="same"><family>{escape(name)}</family><accept>{accept}</accept></alias>'
            )
    for name in _BOLD_STAND_IN:
        entries.append(
            f'<match target="pattern"><test name="family"><string>{escape(name)}</string></test>'
            '<edit name="weight" mode="assign"><const>bold</const></edit></match>'
        )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        "<dir>/usr/local/share/fonts</dir>\n" + "\n".join(entries) + "\n</fontconfig>\n"
    )


def docx_to_pdf(data: bytes, *, timeout: float = DEFAULT_TIMEOUT, map_fonts: bool = True) -> bytes:
    """Convert a .docx to PDF. Raises :class:`PdfUnavailable` when LibreOffice is not installed and
    :class:`PdfConversionError` when it fails or takes longer than ``timeout`` seconds."""
    soffice = find_soffice()
    if soffice is None:
        raise PdfUnavailable()
    with tempfile.TemporaryDirectory(prefix="zhenggai-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "document.docx"
        source.write_bytes(data)
        env = dict(os.environ, HOME=str(folder), SAL_USE_VCLPLUGIN="svp")
        if map_fonts:
            config = folder / "fonts.conf"
            config.write_text(fontconfig_xml(), encoding="utf-8")
            env["FONTCONFIG_FILE"] = str(config)
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        try:
            # The command is fixed above; the only variable part is a path inside our own temp folder.
            # A session of its own, so that a timeout ends soffice.bin too, not only its launcher.
            process = subprocess.Popen(  # noqa: S603
                command,
                cwd=folder,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            raise PdfUnavailable(detail=repr(exc)) from exc
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill_group(process)
            raise PdfConversionError(
                f"PDF 生成超时（超过 {timeout:g} 秒），请稍后重试", detail=repr(exc)
            ) from exc
        target = folder / "out" / "document.pdf"
        if process.returncode != 0 or not target.is_file():
            detail = (stderr or stdout or b"").decode("utf-8", "replace")[-2000:]
            raise PdfConversionError(detail=f"soffice exit {process.returncode}: {detail}")
        return target.read_bytes()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """End the conversion's process group (the launcher and soffice.bin), then reap the launcher."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        process.kill()
    process.communicate()
