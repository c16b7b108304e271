"""Reference RAG computation (FINDINGS.md §2) for people writing sample and corpus data.

The product's own implementation lives in narrative_qa/data_checks.py; this copy lets
authors of labelled data compute NQ09 labels without installing the package.
"""
from decimal import ROUND_HALF_UP, Decimal


def variance_pct(target: float, actual: float, polarity: str) -> float:
    """How far actual is on the wrong side of target, as % of target (0 if met)."""
    shortfall = (target - actual) if polarity == "up" else (actual - target)
    if shortfall <= 0:
        return 0.0
    v = Decimal(str(shortfall)) / Decimal(str(abs(target))) * 100
    return float(v.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def rag(target: float, actual: float, polarity: str) -> str:
    v = variance_pct(target, actual, polarity)
    if v < 2.5:
        return "green"
    if v < 5.0:
        return "amber"
    return "red"


if __name__ == "__main__":
    assert rag(60, 51, "up") == "red"
    assert rag(100, 97.5, "up") == "amber"      # exactly 2.5% -> amber
    assert rag(100, 97.51, "up") == "green"     # 2.49% -> green
    assert rag(100, 95, "up") == "red"          # exactly 5% -> red
    assert rag(100, 95.01, "up") == "amber"     # 4.99% -> amber
    assert rag(25, 29, "down") == "red"
    print("ok")
