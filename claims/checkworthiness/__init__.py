"""Check-worthiness: how much a sentence is a factual claim worth checking, from 0 to 1.

`score_sentences(texts)` scores sentences, `is_checkworthy(score)` applies the model's decision threshold
(`THRESHOLD`). The model is loaded from `model.json.gz` beside this file, once per process, on first use:
importing this package costs nothing. See README.md here for how it was trained and how well it does.
"""

from functools import cache

from .model import CheckworthinessModel

__all__ = ["THRESHOLD", "is_checkworthy", "load_model", "score_sentences"]


@cache
def load_model() -> CheckworthinessModel:
    return CheckworthinessModel.load()


def score_sentences(texts: list[str]) -> list[float]:
    """Scores in [0, 1], one per sentence; higher means more likely a check-worthy factual claim."""
    model = load_model()
    return [model.score(text) for text in texts]


def is_checkworthy(score: float) -> bool:
    return score >= load_model().threshold


def __getattr__(name: str) -> float:
    # THRESHOLD lives in the model file (retraining moves it); reading it loads the model, lazily.
    if name == "THRESHOLD":
        return load_model().threshold
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
