"""Acting on a measure card as a person does: the next step is a button on the card; any other step
is opened first (its form loads into the card), then filled and sent."""

from __future__ import annotations


def open_step(card, step: str):
    """The form of `step` on the card, opened if it is not the card's one-click primary step."""
    card.locator(f"[data-step={step}]").click()
    card.locator(f"[data-panel={step}]").wait_for()
    return card.locator(f"[data-panel={step}] form")


def act(card, action: str, state: str, reason: str = "") -> None:
    """Take a step of the closing cycle and wait for the card to show the state it leads to."""
    one_click = card.locator(f".actions button[data-action={action}]")
    form = one_click.locator("xpath=ancestor::form") if one_click.count() else open_step(card, action)
    if reason:
        form.locator("textarea").fill(reason)
    form.locator(f"button[data-action={action}]").click()
    card.locator(f"[data-status={state}]").wait_for()
