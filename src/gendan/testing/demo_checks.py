"""Where the demo factory's checks are: `gendan/<app>/tests/checks_*.py`. They are not test modules
(pytest does not collect them); `tests/demo/test_demo.py` runs them all on one build of the demo, and
the root conftest has pytest rewrite their asserts so a failure shows its values."""

from pathlib import Path

import gendan


def check_modules() -> list[str]:
    root = Path(gendan.__file__).parent
    return sorted(
        ".".join(("gendan", *path.relative_to(root).with_suffix("").parts))
        for path in root.glob("*/tests/checks_*.py")
    )
