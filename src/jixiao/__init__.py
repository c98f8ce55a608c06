"""jixiao (绩效): budget performance management for Chinese government departments."""

from jixiao.core import units as _units

__version__ = "0.1.0"


def _packaged_units() -> _units.UnitRegistry:
    # The core looks units up but reads no file: the registry comes from the packaged
    # data file through the interchange layer, on first use.
    from jixiao.interchange.unit_files import packaged_units

    return packaged_units()


_units.provide_units(_packaged_units)
