"""The stored check-worthiness model: reading and writing its file, and scoring sentences with it.

The file is gzipped JSON (vocabularies, idf and weights of a linear model), so loading it runs no code,
and scoring needs nothing beyond the standard library: no numpy or scikit-learn in the web process.
"""

import gzip
import json
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .features import HAND_FEATURES, char_ngrams, hand_features, word_ngrams

MODEL_PATH = Path(__file__).with_name("model.json.gz")
FORMAT = "claimdesk-checkworthiness/1"

# The n-gram blocks by name, in the order the model stores them; training uses the same table.
ANALYZERS: dict[str, Callable[[str], list[str]]] = {"word": word_ngrams, "char": char_ngrams}


@dataclass(frozen=True)
class NgramBlock:
    """One TF-IDF block: term -> (idf, weight), scored as scikit-learn's sublinear, L2-normalised TF-IDF."""

    analyzer: Callable[[str], list[str]]
    terms: dict[str, tuple[float, float]]

    def score(self, text: str) -> float:
        dot = 0.0
        squares = 0.0
        for term, count in Counter(self.analyzer(text)).items():
            entry = self.terms.get(term)
            if entry is None:
                continue
            idf, weight = entry
            value = (1.0 + math.log(count)) * idf
            dot += value * weight
            squares += value * value
        return dot / math.sqrt(squares) if squares else 0.0


@dataclass(frozen=True)
class CheckworthinessModel:
    """A logistic regression over n-gram blocks and hand features; `threshold` is its decision point."""

    blocks: tuple[NgramBlock, ...]
    hand_weights: tuple[float, ...]
    intercept: float
    threshold: float
    training: dict

    def score(self, text: str) -> float:
        logit = self.intercept + sum(block.score(text) for block in self.blocks)
        logit += sum(w * x for w, x in zip(self.hand_weights, hand_features(text), strict=True))
        # Clamped so an extreme sentence cannot overflow exp().
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, logit))))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> "CheckworthinessModel":
        with gzip.open(path, "rt", encoding="utf-8") as stream:
            data = json.load(stream)
        if data.get("format") != FORMAT:
            raise ValueError(f"{path} is not a {FORMAT} model file.")
        if tuple(data["hand"]["names"]) != HAND_FEATURES:
            raise ValueError(
                f"{path} was trained on other hand features: retrain it (manage.py train_checkworthiness)."
            )
        blocks = tuple(
            NgramBlock(
                analyzer=ANALYZERS[block["name"]],
                terms=dict(zip(block["terms"], zip(block["idf"], block["weights"], strict=True), strict=True)),
            )
            for block in data["blocks"]
        )
        return cls(
            blocks=blocks,
            hand_weights=tuple(data["hand"]["weights"]),
            intercept=data["intercept"],
            threshold=data["threshold"],
            training=data["training"],
        )


def write_model(
    path: Path, *, blocks: list[dict], hand_weights: list[float], intercept: float, threshold: float, training: dict
) -> None:
    """Write a model file; `blocks` are dicts of name, terms, idf and weights, in ANALYZERS' order."""
    data = {
        "format": FORMAT,
        "intercept": _round(intercept),
        "threshold": _round(threshold),
        "hand": {"names": list(HAND_FEATURES), "weights": [_round(w) for w in hand_weights]},
        "blocks": [
            {
                "name": block["name"],
                "terms": list(block["terms"]),
                "idf": [_round(v) for v in block["idf"]],
                "weights": [_round(v) for v in block["weights"]],
            }
            for block in blocks
        ],
        "training": training,
    }
    # mtime=0 and sorted keys: retraining on the same data writes the same bytes.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as stream:
        stream.write(json.dumps(data, sort_keys=True, separators=(",", ":")).encode())


def _round(value: float) -> float:
    # Six significant digits keep the file small and change no score by more than about 1e-5.
    return float(f"{value:.6g}")
