"""How many examples a property test of the unit tier tries.

The unit tier must run in seconds, so each of its property tests names a modest count
(``@settings(max_examples=examples(60))``), tried under the dev and ci profiles; the
``explore`` profile (``HYPOTHESIS_PROFILE=explore``, before each release) keeps its own
wide count for every test. The profiles are registered and loaded in tests/conftest.py,
before any test module is imported.
"""

from __future__ import annotations

import os

from hypothesis import settings

#: Profiles whose count wins over a unit test's own (a search, not a check).
WIDE = ("explore",)


def examples(unit: int) -> int:
    """``unit`` examples, or the loaded profile's count when that profile searches wide."""
    if os.environ.get("HYPOTHESIS_PROFILE") in WIDE:
        return settings().max_examples
    return unit
