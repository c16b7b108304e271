"""Measuring the product, apart from it: evaluation, metrics, the labelled-corpus format,
the real corpus's labels, rule examples and training. Scoring imports nothing from here
(tests/test_architecture.py); what scoring loads at run time (confidence.py, the models'
run-time readers in language/) stays outside."""
