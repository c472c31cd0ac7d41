"""Every write to the taxonomy, its rules and a problem's category: one transaction each, recorded.

A rule's effect (`rule_effect`) is what saving it would change: the problems the user may see whose
outcome under the rules differs once the rule is saved (a new rule, a changed one, one moved up or
down, one switched off). The rule page shows it before saving; saving with "apply" recomputes it in
its transaction and moves exactly those problems, each move recorded. Problems whose category was
set by hand are left alone by the rules.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from zhenggai.core.classify import Compiled, Rule, compile_rules, decide, problem_texts
from zhenggai.history import services as history
from zhenggai.history.changes import field_changes, snapshot
from zhenggai.ledger.access import round_scope
from zhenggai.ledger.errors import LedgerError, StaleEdit
from zhenggai.ledger.models import InspectionRound, Problem
from zhenggai.ledger.tally import tally_refresh
from zhenggai.taxonomy.models import OTHER, Category, ClassificationRule
from zhenggai.taxonomy.rules import stored_rules, usable_rules

CATEGORY_FIELDS = ["code", "name", "parent", "position", "active"]
RULE_FIELDS = ["category", "kind", "terms", "priority", "active", "note"]
EXAMPLES = 5  # problems shown for each move


# --- Categories -----------------------------------------------------------------------------------


@transaction.atomic
def category_create(*, actor, code: str, name: str, parent: Category | None, position: int = 0) -> Category:
    if parent is not None and not code.startswith(f"{parent.code}."):
        code = f"{parent.code}.{code}"
    if parent is not None and parent.parent_id is not None:
        raise LedgerError(_("A sub-category cannot have sub-categories."))
    if Category.objects.filter(code=code).exists():
        raise LedgerError(_("A category with this code exists already."))
    category = Category(code=code, name=name, parent=parent, position=position)
    category.full_clean()
    category.save()
    history.record(
        actor=actor,
        action="taxonomy.category.create",
        obj=category,
        payload={"values": snapshot(category, CATEGORY_FIELDS)},
    )
    return category


@transaction.atomic
def category_update(*, actor, category: Category, **fields: Any) -> Category:
    """Rename, move in the order, switch on or off. The code stays: problems and links keep it.
    A category switched off is no longer offered and its rules no longer apply; the problems that
    hold it keep it until moved."""
    unknown = set(fields) - {"name", "position", "active"}
    if unknown:
        raise TypeError(f"unknown category fields: {sorted(unknown)}")
    if fields.get("active") is False and category.code == OTHER:
        raise LedgerError(_("The category “other” is where unclassified problems go: it stays active."))
    return history.update_recorded(
        Category,
        category.pk,
        actor=actor,
        action="taxonomy.category.update",
        tracked=["name", "position", "active"],
        fields=fields,
    )


# --- What a rule would change ---------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    problem_id: int
    round_id: int
    title: str
    old: str
    new: str


@dataclass
class Effect:
    """The problems a rule change moves, and how many from which category to which."""

    moves: list[Move] = field(default_factory=list)
    checked: int = 0  # problems looked at (those the user may see, not set by hand)
    units: dict[int, str] = field(default_factory=dict)  # round id → its unit's name, for the examples

    def pairs(self) -> list[tuple[str, str, int, list[Move]]]:
        """(from, to, how many, the first examples), most moves first."""
        counts = Counter((m.old, m.new) for m in self.moves)
        examples: dict[tuple[str, str], list[Move]] = defaultdict(list)
        for move in self.moves:
            if len(examples[(move.old, move.new)]) < EXAMPLES:
                examples[(move.old, move.new)].append(move)
        return [(old, new, n, examples[(old, new)]) for (old, new), n in counts.most_common()]

    def __len__(self) -> int:
        return len(self.moves)


def _ordered(rules: list[tuple[tuple[int, float], Rule]]) -> list[Rule]:
    return [rule for _key, rule in sorted(rules, key=lambda item: item[0])]


def rules_with(
    rule: ClassificationRule | None, proposed: Rule | None, priority: int, active: bool
) -> tuple[list[Rule], list[Rule]]:
    """The active rules before and after `rule` (None: a new one) becomes `proposed` at `priority`
    (switched off when not `active`), in their order."""
    current = list(usable_rules().select_related("category"))
    keyed = [((r.priority, float(r.pk)), stored_rules([r])[0]) for r in current]
    before = _ordered(keyed)
    others = [item for item in keyed if rule is None or item[1].key != rule.pk]
    if proposed is not None and active:
        others.append(((priority, float(rule.pk) if rule is not None else math.inf), proposed))
    return before, _ordered(others)


def _visible_problems(user):
    """(id, round id, parent id, title, statement, category, by hand) of the problems the user may
    see: the rounds' whole trees (a problem's headings are its ancestors)."""
    return (
        Problem.objects.filter(round_scope(user, "round__"))
        .order_by("round_id", "position")
        .values_list("pk", "round_id", "parent_id", "title", "statement", "category", "category_by_hand")
    )


def rule_effect(user, before: Sequence[Rule], after: Sequence[Rule], changed: Sequence[Rule]) -> Effect:
    """What replacing the rules `before` by `after` changes among the problems the user may see:
    each problem (not set by hand) whose outcome differs, from its stored category to the new
    outcome ("other" when no rule matches). Only problems some rule of `changed` (the rule's old
    and new versions) matches can change outcome: the others are decided by the same rule."""
    old_rules, new_rules = compile_rules(before), compile_rules(after)
    touched = compile_rules(changed)
    rows = list(_visible_problems(user))
    titles = {pk: title for pk, _r, _p, title, _s, _c, _h in rows}
    parents = {pk: parent for pk, _r, parent, _t, _s, _c, _h in rows}
    effect = Effect()
    for pk, round_id, parent, title, statement, category, by_hand in rows:
        if by_hand:
            continue
        effect.checked += 1
        texts = problem_texts(title, statement, _headings(parent, parents, titles))
        if decide(texts, touched) is None:
            continue
        was, now = _code(decide(texts, old_rules)), _code(decide(texts, new_rules))
        if was != now and now != category:
            effect.moves.append(Move(pk, round_id, (title or statement)[:80], category, now))
    shown = {move.round_id for _old, _new, _n, examples in effect.pairs() for move in examples}
    effect.units = dict(
        InspectionRound.objects.filter(pk__in=shown).values_list("pk", "inspected_unit__name")
    )
    return effect


def _headings(parent: int | None, parents: dict[int, int | None], titles: dict[int, str]) -> list[str]:
    headings: list[str] = []
    while parent is not None and len(headings) < 20:
        headings.append(titles.get(parent, ""))
        parent = parents.get(parent)
    return headings


def _code(found: Compiled | None) -> str:
    return found.rule.code if found is not None else OTHER


# --- Rules ----------------------------------------------------------------------------------------


@dataclass
class RuleDraft:
    """A rule as a form gives it, before it is saved."""

    category: Category
    kind: str
    terms: str
    priority: int
    active: bool = True
    note: str = ""

    def as_rule(self, key: int | None = None) -> Rule:
        return Rule(self.category.code, self.kind, self.terms, key=key)


def draft_effect(user, draft: RuleDraft, rule: ClassificationRule | None = None) -> Effect:
    """What saving `draft` (as a new rule, or as `rule` changed) would change for `user`."""
    proposed = draft.as_rule(rule.pk if rule is not None else None)
    category = draft.category
    usable = draft.active and category.active and (category.parent is None or category.parent.active)
    before, after = rules_with(rule, proposed, draft.priority, usable)
    changed = [proposed]
    if rule is not None:
        changed.append(stored_rules([rule])[0])
    return rule_effect(user, before, after, changed)


@transaction.atomic
def rule_save(
    *,
    actor,
    draft: RuleDraft,
    rule: ClassificationRule | None = None,
    version: int | None = None,
    apply: bool,
) -> tuple[ClassificationRule, Effect]:
    """Create a rule (`rule` None) or change it; with `apply`, move the problems its effect names
    (the problems `actor` may see), each move recorded. Refuses a stale edit (`version`)."""
    if rule is not None:
        current = ClassificationRule.objects.select_for_update().get(pk=rule.pk)
        if version is not None and current.version != version:
            raise StaleEdit(_("This rule was changed by someone else meanwhile: look at it again."), [])
        rule = current
    effect = draft_effect(actor, draft, rule) if apply else Effect()
    values = {
        "category": draft.category,
        "kind": draft.kind,
        "terms": draft.terms,
        "priority": draft.priority,
        "active": draft.active,
        "note": draft.note,
    }
    if rule is None:
        rule = ClassificationRule(created_by=actor, updated_by=actor, **values)
        rule.save()
        history.record(
            actor=actor,
            action="taxonomy.rule.create",
            obj=rule,
            payload={"values": snapshot(rule, RULE_FIELDS), "applied": len(effect) if apply else None},
        )
    else:
        before = snapshot(rule, RULE_FIELDS)
        for name, value in values.items():
            setattr(rule, name, value)
        rule.updated_by = actor
        rule.version += 1
        rule.save()
        history.record(
            actor=actor,
            action="taxonomy.rule.update",
            obj=rule,
            payload={
                "fields": field_changes(before, snapshot(rule, RULE_FIELDS)),
                "applied": len(effect) if apply else None,
            },
        )
    _apply(actor, effect, rule)
    return rule, effect


def _apply(actor, effect: Effect, rule: ClassificationRule) -> None:
    """Move the problems of `effect`, each recorded as the rule's doing, then recount the tally."""
    rounds: set[int] = set()
    for move in effect.moves:
        problem = Problem.objects.select_for_update().get(pk=move.problem_id)
        if problem.category_by_hand or problem.category != move.old:
            continue  # changed since it was computed: left as it is now
        problem.category = move.new
        problem.save(update_fields=["category"])
        history.record(
            actor=actor,
            action="problem.category",
            obj=problem,
            payload={"fields": {"category": [move.old, move.new]}, "by": "rule", "rule": rule.pk},
        )
        rounds.add(problem.round_id)
    tally_refresh(rounds)


# --- A problem by hand ----------------------------------------------------------------------------


@transaction.atomic
def problem_category_set(*, actor, problem: Problem, code: str, expected: str | None = None) -> Problem:
    """Set a problem's category by hand (the rules leave it alone afterwards), recorded; refused
    when its category is no longer `expected` (someone changed it since the form was shown)."""
    category = Category.objects.filter(code=code, active=True).exclude(parent__active=False).first()
    if category is None:
        raise LedgerError(_("Choose one of the categories offered."))
    current = Problem.objects.select_for_update().get(pk=problem.pk)
    if expected is not None and current.category != expected:
        raise StaleEdit(_("This problem's category was changed meanwhile: look at it again."), [])
    old = current.category
    current.category = code
    current.category_by_hand = True
    current.save(update_fields=["category", "category_by_hand"])
    history.record(
        actor=actor,
        action="problem.category",
        obj=current,
        payload={"fields": {"category": [old, code]}, "by": "hand"},
    )
    tally_refresh([current.round_id])
    return current
