"""CSRF secrets and masks drawn from one read of the random source (zhenggai.accounts.csrf): the
same strings Django draws, character by character, with `secrets.choice`."""

from __future__ import annotations

from collections import Counter

from django.middleware import csrf as django_csrf

from zhenggai.accounts.csrf import random_string


def test_django_csrf_draws_its_strings_with_one_read():
    assert django_csrf.get_random_string is random_string
    secret = django_csrf._get_new_csrf_string()
    assert len(secret) == django_csrf.CSRF_SECRET_LENGTH
    assert set(secret) <= set(django_csrf.CSRF_ALLOWED_CHARS)
    token = django_csrf._mask_cipher_secret(secret)
    assert django_csrf._unmask_cipher_token(token) == secret


def test_every_character_is_as_likely_as_any_other():
    """62 characters: a byte taken modulo 62 without dropping 248–255 would make the first eight
    a quarter likelier (5/256 against 4/256); 620,000 draws tell that apart many times over."""
    alphabet = django_csrf.CSRF_ALLOWED_CHARS
    draws = 620_000
    counts = Counter("".join(random_string(1000, alphabet) for _ in range(draws // 1000)))
    expected = draws / len(alphabet)
    assert set(counts) == set(alphabet)
    chi2 = sum((counts[c] - expected) ** 2 / expected for c in alphabet)
    assert chi2 < 130  # 61 degrees of freedom: p < 1e-6 above this; the biased draw gives ~4,000


def test_other_alphabets_and_lengths():
    assert random_string(0, "ab") == ""
    assert set(random_string(500, "ab")) == {"a", "b"}
    assert len(random_string(5000)) == 5000
    assert set(random_string(300, "汉字")) == {"汉", "字"}  # not ASCII: Django's own draw
