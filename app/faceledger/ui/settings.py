"""User settings (window layout, column widths and order) in an INI file that survives damage."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

log = logging.getLogger(__name__)

WELCOME_KEY = "welcome/shown"


def user_data_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    path = Path(base or Path.home() / ".faceledger")
    return path


class Settings:
    """A QSettings INI file; a corrupt file is moved aside and replaced, with a notice."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or (user_data_dir() / "settings.ini")
        self.notice = ""
        self.discarded: list[str] = []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("settings folder not writable: %s", exc)
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)
        if self._qs.status() != QSettings.Status.NoError or not self._looks_valid():
            self._reset()

    def _looks_valid(self) -> bool:
        if not self.path.exists():
            return True
        try:
            raw = self.path.read_bytes()
        except OSError:
            return False
        if b"\x00" in raw:
            return False
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True

    def _reset(self) -> None:
        broken = self.path.with_name(self.path.name + ".broken")
        kept = ""
        try:
            if self.path.exists():
                self.path.replace(broken)
                kept = f"the old file was kept as {broken.name}"
        except OSError as exc:
            log.warning("could not move the damaged settings aside: %s", exc)
            kept = f"the old file could not be kept as {broken.name}: {(exc.strerror or str(exc)).lower()}"
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)
        self._qs.clear()
        self.notice = "Your settings file was damaged and has been reset to the defaults" + (
            f" ({kept})." if kept else "."
        )
        log.warning("settings reset: %s", self.path)

    def value(self, key: str, default: Any = None) -> Any:
        try:
            return self._qs.value(key, default)
        except Exception:  # a value of an unexpected type in a damaged file
            log.warning("ignoring unreadable setting %s", key)
            return default

    def byte_array(self, key: str) -> QByteArray | None:
        """A saved layout (geometry, header or splitter state), or None. A value of another type
        (a hand-edited or damaged file) is discarded with a notice."""
        if not self._qs.contains(key):
            return None
        value = self.value(key)
        if isinstance(value, QByteArray) and not value.isEmpty():
            return value
        self.discard(key)
        return None

    def discard(self, key: str) -> None:
        """Forget a saved value that could not be used, and say so (once) in `notice`."""
        self._qs.remove(key)
        self.discarded.append(key)
        log.warning("ignoring unusable setting %s", key)
        if not self.notice:
            self.notice = "Some saved window settings could not be used and were reset to the defaults."

    def welcome_pending(self) -> bool:
        """Whether the first start's welcome (the About the data page) is still to be shown."""
        return str(self.value(WELCOME_KEY, "")).lower() not in ("true", "1")

    def mark_welcome_shown(self) -> None:
        self.set_value(WELCOME_KEY, True)
        self.sync()

    def set_value(self, key: str, value: Any) -> None:
        self._qs.setValue(key, value)

    def sync(self) -> None:
        self._qs.sync()
