"""One typed settings object: defaults, overridden by CONTROLROOM_* environment variables and the CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SCHEMA_VERSION = 1
APP_NAME = "controlroom"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_url() -> str:
    return f"sqlite:///{user_data_dir() / 'controlroom.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CONTROLROOM_", extra="ignore")

    schema_version: int = SCHEMA_VERSION
    db_url: str = Field(default_factory=default_db_url)
    broker_url: str | None = None  # None: the demo starts a local broker
    topic_root: str = "iot/v1"
    language: Literal["zh_TW", "en"] = "zh_TW"
    timezone: str = "Asia/Taipei"
    tile_url: str | None = None  # optional XYZ tile server run by the site
