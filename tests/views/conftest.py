"""Fixtures shared by the widget tests: a task runner and the Chinese translation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from controlroom.views.i18n import Translations
from controlroom.views.tasks import TaskRunner


@pytest.fixture
def tasks(qapp: QApplication) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


@pytest.fixture
def chinese(qapp: QApplication) -> Iterator[Translations]:
    translations = Translations(qapp)
    assert translations.switch("zh_TW"), (
        "resources/i18n/controlroom_zh_TW.qm missing: run packaging/build_assets.py"
    )
    yield translations
    translations.switch("en")
