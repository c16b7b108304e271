"""Specs declared once, as pydantic models: what a settings file may hold (settings.py),
what each detector's parameters may be (params.py, used by every detector's PARAMS) and
how a rule file is laid out (rule_file.py). explain.py words pydantic's errors the
product's way: the key, what it must be (type, range or choices), what was written, and
a "did you mean" for a key that is not known. The web API's bodies are models in
web/api.py."""
