"""Where rules/ is, and how its YAML is read: shared by the catalogue and the lexicon."""

from __future__ import annotations

import yaml

from narrative_qa.resources import rules_dir as rules_dir  # where rules/ is found

# libyaml's safe loader when present: ten times faster than the pure-Python one.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
