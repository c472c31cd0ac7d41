"""The office's rules, read from the database and ready to classify (core/classify.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from zhenggai.core.classify import Compiled, Rule, compile_rules, decide, problem_texts
from zhenggai.taxonomy.models import OTHER, ClassificationRule
from zhenggai.taxonomy.seed import ensure_seeded


def usable_rules():
    """The rules that classify: active, of an active category under an active one (if any)."""
    return ClassificationRule.objects.filter(active=True, category__active=True).exclude(
        category__parent__active=False
    )


def stored_rules(rules: Iterable[ClassificationRule] | None = None) -> list[Rule]:
    """The active rules of active categories, in their order, as plain rules (or `rules`' own)."""
    if rules is None:
        rows = usable_rules().order_by("priority", "pk").values_list("pk", "category__code", "kind", "terms")
        return [Rule(code, kind, terms, key=pk) for pk, code, kind, terms in rows]
    return [Rule(r.category.code, r.kind, r.terms, key=r.pk) for r in rules]


@dataclass
class Classifier:
    """The rules compiled once, for a batch of problems (an import, a preview)."""

    rules: Sequence[Compiled]

    @classmethod
    def from_database(cls) -> Classifier:
        ensure_seeded()
        return cls(compile_rules(stored_rules()))

    @classmethod
    def of(cls, rules: Iterable[Rule]) -> Classifier:
        return cls(compile_rules(rules))

    def decide(self, title: str, statement: str, headings: Sequence[str] = ()) -> Compiled | None:
        return decide(problem_texts(title, statement, headings), self.rules)

    def code(self, title: str, statement: str, headings: Sequence[str] = ()) -> str:
        """The category code of a problem: the first rule's that matches, else "other"."""
        found = self.decide(title, statement, headings)
        return found.rule.code if found is not None else OTHER
