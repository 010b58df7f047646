"""kg.gcpause: the collector paused, and left as it was found, even when the work fails."""

from __future__ import annotations

import gc

import pytest

from kg.gcpause import paused


@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_paused_and_restored(enabled):
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        with pytest.raises(RuntimeError), paused():
            assert not gc.isenabled()
            raise RuntimeError("the work failed")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
