"""Records stage: read the YAML files of ``facts/`` (load) and turn them into validated record models (validate),
reporting where they are malformed."""

from .positions import Locator
from .yaml_files import RawFile, load_file

__all__ = ["Locator", "RawFile", "load_file"]
