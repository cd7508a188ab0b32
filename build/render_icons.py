"""Render resources/faceledger.svg to the PNG icons beside it (faceledger-16.png ... faceledger-256.png),
for desktop menus, task bars and the bundle. Run after changing the SVG, and commit the PNGs:

    .venv/bin/python build/render_icons.py

tests/test_desktop_entry.py checks that the committed PNGs match a fresh rendering.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "faceledger.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def png_path(size: int, folder: Path = ROOT / "resources") -> Path:
    return folder / f"faceledger-{size}.png"


def render(size: int, svg: Path = SVG) -> object:
    """The SVG drawn on a transparent size x size QImage (ARGB32, premultiplied)."""
    from PySide6.QtCore import Qt  # noqa: PLC0415
    from PySide6.QtGui import QImage, QPainter  # noqa: PLC0415
    from PySide6.QtSvg import QSvgRenderer  # noqa: PLC0415

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication  # noqa: PLC0415

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (fonts, painting)
    for size in SIZES:
        path = png_path(size)
        if not render(size).save(str(path), "PNG"):  # type: ignore[attr-defined]
            print(f"render_icons: could not write {path}", file=sys.stderr)
            return 1
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
