"""Load stage: read the YAML files of ``facts/`` and report where they are malformed."""

from .positions import Locator
from .yaml_files import RawFile, load_file

__all__ = ["Locator", "RawFile", "load_file"]
