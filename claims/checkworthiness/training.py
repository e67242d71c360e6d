"""Training the check-worthiness model from labelled debates (needs scikit-learn, with numpy and scipy).

A logistic regression over case-kept word 1-2-grams, character 2-5-grams (each block TF-IDF, sublinear,
L2-normalised) and the hand cues of `features.py`. Whole debates are held out and never trained on; the
decision threshold is the one that maximises F1 on out-of-fold scores of the training debates, so the
held-out debates are used only to report figures. Everything here is deterministic: the same CSV and
library versions write the same model file.

`cross_validate` measures that same recipe more widely: every debate held out once, in K folds of whole
debates, each fold's model trained (and its threshold chosen) on the other folds' debates alone. It writes
no model file.
"""

import hashlib
import math
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

from .evaluation import ClassFigures, class_figures, mean_average_precision, read_labelled_csv
from .features import HAND_FEATURES, hand_features
from .model import ANALYZERS, MODEL_PATH, CheckworthinessModel, write_model

# Every seventh debate in date order, from the fourth: one debate from each era of the 33 (1960 to 2016),
# fixed before any model was tried, so the figures cannot come from picking easy debates.
HELD_OUT_DEBATES = ("1960-10-21.txt", "1984-10-21.txt", "1996-10-16.txt", "2008-09-26.txt", "2016-10-09.txt")

# Chosen by F1 on 4-fold cross-validation over the training debates (grouped by debate): C in 1–8, word
# and character ranges, an SVM and a three-class model all came within a point of each other.
REGULARISATION_C = 2.0
MIN_DF = {"word": 2, "char": 3}
# The hand cues are 17 columns beside ~77,000 n-grams: scaling them up lets the L2 penalty
# leave them room.
HAND_SCALE = 3.0
CV_FOLDS = 4


@dataclass(frozen=True)
class TrainingReport:
    training_sentences: int
    training_debates: int
    cross_validated: ClassFigures
    threshold: float
    held_out: ClassFigures
    held_out_average_precision: dict[str, float]
    seconds: float

    @property
    def held_out_map(self) -> float:
        return sum(self.held_out_average_precision.values()) / len(self.held_out_average_precision)


def train(data_path: Path, output: Path = MODEL_PATH, held_out: tuple[str, ...] = HELD_OUT_DEBATES) -> TrainingReport:
    """Train on every debate of `data_path` but the held-out ones, write the model to `output`, report."""
    import numpy as np
    import sklearn

    started = time.monotonic()
    data = read_labelled_csv(data_path, required=("Text", "Verdict", "File_id"))
    debates = [row["File_id"] for row in data.rows]
    absent = sorted(set(held_out) - set(debates))
    if absent:
        raise ValueError(f"{data_path} lacks the held-out debates {', '.join(absent)}.")
    train_index = [i for i, debate in enumerate(debates) if debate not in held_out]
    test_index = [i for i, debate in enumerate(debates) if debate in held_out]
    texts = np.array(data.texts, dtype=object)
    labels = np.array(data.labels, dtype=int)
    groups = np.array(debates)

    train_labels = labels[train_index]
    fitted, threshold, out_of_fold = _fit_with_threshold(texts[train_index], train_labels, groups[train_index])
    model_scores = fitted.predict(list(texts[test_index]))
    training_metadata = {
        "data": data_path.name,
        "data_sha256": hashlib.sha256(data_path.read_bytes()).hexdigest(),
        "held_out_debates": list(held_out),
        "training_sentences": len(train_index),
        "scikit_learn": sklearn.__version__,
        "regularisation_c": REGULARISATION_C,
        "min_df": MIN_DF,
        "hand_scale": HAND_SCALE,
    }
    fitted.write(output, threshold=threshold, training=training_metadata)

    # Report what the written file scores, not the in-memory model: the file is what ships.
    stored = CheckworthinessModel.load(output)
    held_texts = list(texts[test_index])
    scores = [stored.score(text) for text in held_texts]
    drift = max(abs(a - b) for a, b in zip(scores, model_scores, strict=True))
    if drift > 1e-3:
        raise AssertionError(f"The stored model scores differ from scikit-learn's by {drift:.2g}.")
    held_labels = [bool(label) for label in labels[test_index]]
    report = TrainingReport(
        training_sentences=len(train_index),
        training_debates=len(set(groups[train_index])),
        cross_validated=class_figures([bool(v) for v in train_labels], [bool(s >= threshold) for s in out_of_fold]),
        threshold=threshold,
        held_out=class_figures(held_labels, [score >= threshold for score in scores]),
        held_out_average_precision=mean_average_precision(held_labels, scores, [debates[i] for i in test_index]),
        seconds=time.monotonic() - started,
    )
    training_metadata["figures"] = {
        "cross_validated_f1": round(report.cross_validated.f1, 4),
        "held_out_precision": round(report.held_out.precision, 4),
        "held_out_recall": round(report.held_out.recall, 4),
        "held_out_f1": round(report.held_out.f1, 4),
        "held_out_map": round(report.held_out_map, 4),
    }
    # Written again with the figures: the scores cannot change, only the metadata beside them.
    fitted.write(output, threshold=threshold, training=training_metadata)
    return report


@dataclass(frozen=True)
class CrossValidationFold:
    debates: tuple[str, ...]
    threshold: float
    figures: ClassFigures


@dataclass(frozen=True)
class CrossValidationReport:
    """Pooled out-of-fold figures of a debate-wise cross-validation: every debate scored by a model that never
    saw it, decided at the threshold its fold chose on its own training debates."""

    folds: tuple[CrossValidationFold, ...]
    pooled: ClassFigures
    average_precision: dict[str, float]
    # Share of check-worthy sentences in each debate: what a random ranking's average precision comes to.
    prevalence: dict[str, float]
    seconds: float

    @property
    def map(self) -> float:
        return sum(self.average_precision.values()) / len(self.average_precision)

    @property
    def random_map(self) -> float:
        return sum(self.prevalence[debate] for debate in self.average_precision) / len(self.average_precision)


def debate_folds(debates: Iterable[str], folds: int) -> tuple[tuple[str, ...], ...]:
    """Split the distinct debates into `folds` groups: in sorted order (File_id is the debate's date), the
    first debate to the first fold, the second to the second, and so on round. Every debate lands in exactly
    one fold, each fold spans the years, and the assignment depends on the set of debates alone."""
    ordered = sorted(set(debates))
    if not 2 <= folds <= len(ordered):
        raise ValueError(f"Cross-validation needs 2 to {len(ordered)} folds (one per debate at most), not {folds}.")
    return tuple(tuple(ordered[start::folds]) for start in range(folds))


def cross_validate(
    data_path: Path,
    folds: int = 5,
    *,
    jobs: int = 1,
    on_fold: Callable[[int, CrossValidationFold], None] | None = None,
) -> CrossValidationReport:
    """Train the shipped recipe `folds` times, each time holding out one fold of whole debates, and report the
    figures of the pooled out-of-fold decisions and the average precision of every debate. Writes nothing.

    `jobs` folds are trained at once, each in its own process (the figures do not depend on it);
    `on_fold(number, fold)` is called as each fold is done, in fold order, numbered from 1."""
    import numpy as np

    started = time.monotonic()
    data = read_labelled_csv(data_path, required=("Text", "Verdict", "File_id"))
    debates = [row["File_id"] for row in data.rows]
    assignment = debate_folds(debates, folds)
    # Each fold's threshold comes from a CV_FOLDS-fold cross-validation over its training debates.
    fewest_training = len(set(debates)) - math.ceil(len(set(debates)) / folds)
    if fewest_training < CV_FOLDS:
        raise ValueError(
            f"With {folds} folds a fold trains on {fewest_training} debates; choosing its threshold needs "
            f"at least {CV_FOLDS}."
        )
    texts = np.array(data.texts, dtype=object)
    labels = np.array(data.labels, dtype=int)
    groups = np.array(debates)
    scores = np.zeros(len(debates))
    decisions = np.zeros(len(debates), dtype=bool)
    fold_reports = []
    with ExitStack() as stack:
        if jobs > 1:
            pool = stack.enter_context(ProcessPoolExecutor(max_workers=min(jobs, folds)))
            results = pool.map(_score_fold, repeat(texts), repeat(labels), repeat(groups), assignment)
        else:
            results = map(_score_fold, repeat(texts), repeat(labels), repeat(groups), assignment)
        for held_out, (fold_scores, threshold) in zip(assignment, results, strict=True):
            held = np.isin(groups, held_out)
            scores[held] = fold_scores
            decisions[held] = fold_scores >= threshold
            figures = class_figures([bool(v) for v in labels[held]], [bool(v) for v in decisions[held]])
            fold_reports.append(CrossValidationFold(held_out, threshold, figures))
            if on_fold is not None:
                on_fold(len(fold_reports), fold_reports[-1])
    label_list = [bool(v) for v in labels]
    score_list = [float(v) for v in scores]
    return CrossValidationReport(
        folds=tuple(fold_reports),
        pooled=class_figures(label_list, [bool(v) for v in decisions]),
        average_precision=mean_average_precision(label_list, score_list, debates),
        prevalence={debate: float(labels[groups == debate].mean()) for debate in sorted(set(debates))},
        seconds=time.monotonic() - started,
    )


def _score_fold(texts, labels, groups, held_out: tuple[str, ...]):
    """One fold of `cross_validate`: the recipe trained on every debate but `held_out`, and the scores it gives
    the held-out debates' sentences (in row order), with the threshold it chose."""
    import numpy as np

    held = np.isin(groups, held_out)
    fitted, threshold, _ = _fit_with_threshold(texts[~held], labels[~held], groups[~held])
    return fitted.predict(list(texts[held])), threshold


def _fit_with_threshold(texts, labels, groups) -> tuple["_Fitted", float, object]:
    """The recipe on one set of training debates: the model fitted on all of them, and the threshold that
    maximises F1 on out-of-fold scores of a CV_FOLDS-fold cross-validation over them, grouped by debate, with
    the vectorizers refitted per fold. Returns the model, the threshold and those out-of-fold scores."""
    import numpy as np
    from sklearn.model_selection import GroupKFold

    out_of_fold = np.zeros(len(texts))
    for fit_rows, score_rows in GroupKFold(n_splits=CV_FOLDS).split(texts, labels, groups):
        fitted = _fit(list(texts[fit_rows]), labels[fit_rows])
        out_of_fold[score_rows] = fitted.predict(list(texts[score_rows]))
    threshold = _best_f1_threshold(labels, out_of_fold)
    return _fit(list(texts), labels), threshold, out_of_fold


@dataclass
class _Fitted:
    vectorizers: dict
    classifier: object

    def matrix(self, texts: list[str]):
        import numpy as np
        from scipy.sparse import csr_matrix, hstack

        blocks = [vectorizer.transform(texts) for vectorizer in self.vectorizers.values()]
        hand = np.array([hand_features(text) for text in texts]).reshape(len(texts), len(HAND_FEATURES))
        return hstack([*blocks, csr_matrix(hand * HAND_SCALE)]).tocsr()

    def predict(self, texts: list[str]):
        return self.classifier.predict_proba(self.matrix(texts))[:, 1]

    def write(self, output: Path, *, threshold: float, training: dict) -> None:
        weights = self.classifier.coef_[0]
        blocks = []
        start = 0
        for name, vectorizer in self.vectorizers.items():
            terms = vectorizer.get_feature_names_out()
            block_weights = weights[start : start + len(terms)]
            blocks.append({"name": name, "terms": terms, "idf": vectorizer.idf_, "weights": block_weights})
            start += len(terms)
        write_model(
            output,
            blocks=blocks,
            # The scale is folded into the stored weights, so the scorer uses the raw cues.
            hand_weights=list(weights[start:] * HAND_SCALE),
            intercept=float(self.classifier.intercept_[0]),
            threshold=threshold,
            training=training,
        )


def _fit(texts: list[str], labels) -> _Fitted:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizers = {
        name: TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=MIN_DF[name]).fit(texts)
        for name, analyzer in ANALYZERS.items()
    }
    fitted = _Fitted(vectorizers, LogisticRegression(C=REGULARISATION_C, solver="liblinear", random_state=0))
    fitted.classifier.fit(fitted.matrix(texts), labels)
    return fitted


def _best_f1_threshold(labels, scores) -> float:
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(labels, scores)
    f1 = 2 * precision * recall / (precision + recall + 1e-12)
    return float(thresholds[int(f1[:-1].argmax())])
