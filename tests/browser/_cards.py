"""Acting on a measure card as a person does: the next step is a button on the card; any other step
is opened first (its form loads into the card), then filled and sent."""

from __future__ import annotations


def settled(page) -> None:
    """Wait until htmx has no request under way and has settled what it swapped in: its new
    elements are then processed (a click is no longer a plain navigation or submit) and the
    handlers of htmx:afterSettle (the card's focus) have run. A person is slower than this; a test
    typing at once under a loaded machine is not."""
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')"
    )


def open_step(card, step: str):
    """The form of `step` on the card, opened if it is not the card's one-click primary step."""
    settled(card.page)
    card.locator(f"[data-step={step}]").click()
    card.locator(f"[data-panel={step}]").wait_for()
    settled(card.page)
    return card.locator(f"[data-panel={step}] form")


def act(card, action: str, state: str, reason: str = "") -> None:
    """Take a step of the closing cycle and wait for the card to show the state it leads to."""
    settled(card.page)
    one_click = card.locator(f".actions button[data-action={action}]")
    form = one_click.locator("xpath=ancestor::form") if one_click.count() else open_step(card, action)
    if reason:
        form.locator("textarea").fill(reason)
    form.locator(f"button[data-action={action}]").click()
    card.locator(f"[data-status={state}]").wait_for()
    settled(card.page)
