"""Qt translations: English source strings, Traditional Chinese by default, built .qm files from resources."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from controlroom.resources import resource_dir

logger = logging.getLogger(__name__)

LANGUAGES = {"zh_TW": "繁體中文", "en": "English"}


class Translations:
    """Installs and swaps the application translator; English needs none (it is the source language)."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._translator: QTranslator | None = None
        self.language = "en"

    def switch(self, language: str) -> bool:
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        self.language = "en"
        if language == "en":
            QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.Taiwan))
            return True
        translator = QTranslator(self._app)
        path = resource_dir() / "i18n" / f"controlroom_{language}.qm"
        if not translator.load(str(path)):
            logger.warning("translation %s not found at %s; showing English", language, path)
            return False
        self._app.installTranslator(translator)
        self._translator = translator
        self.language = language
        QLocale.setDefault(
            QLocale(QLocale.Language.Chinese, QLocale.Script.TraditionalChineseScript, QLocale.Country.Taiwan)
        )
        return True
