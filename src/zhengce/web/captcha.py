"""Image captchas (验证码) drawn with Pillow.

The answer never leaves the server: the page gets a random token, the store keeps
the answer's hash, and the image is drawn from a seed derived from the token and
the site secret, so every worker draws the same picture for the same token.
"""
from __future__ import annotations

import hashlib
import hmac
import io
import random
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

# No 0/O, 1/I/l, 2/Z, 5/S: a person must be able to read what a machine finds hard.
ALPHABET = "34678ABCDEFGHJKLMNPQRTUVWXY"
LENGTH = 5
TTL = 600.0
WIDTH, HEIGHT = 150, 50


def answer_for(secret: str, token: str) -> str:
    """The characters of the captcha behind `token` (a keyed hash: tokens alone reveal nothing)."""
    digest = hmac.new(secret.encode(), b"captcha:" + token.encode(), hashlib.sha256).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:LENGTH])


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow ≥ 10.1 ships a scalable default font when built with FreeType.
    return ImageFont.load_default(size=size)


def draw(text: str, seed: int) -> bytes:
    """A PNG of `text` with jitter, rotation, lines and dots."""
    rng = random.Random(seed)
    image = Image.new("RGB", (WIDTH, HEIGHT), (246, 248, 252))
    pen = ImageDraw.Draw(image)
    for _ in range(6):
        pen.line([(rng.randrange(WIDTH), rng.randrange(HEIGHT)) for _ in range(2)],
                 fill=tuple(rng.randrange(120, 200) for _ in range(3)), width=1)
    x = 10
    for ch in text:
        glyph = Image.new("RGBA", (36, 44), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((6, 2), ch, font=_font(32),
                                   fill=tuple(rng.randrange(10, 110) for _ in range(3)) + (255,))
        glyph = glyph.rotate(rng.uniform(-28, 28), resample=Image.Resampling.BICUBIC, expand=False)
        image.paste(glyph, (x, rng.randrange(0, 8)), glyph)
        x += 26 + rng.randrange(-2, 3)
    for _ in range(120):
        pen.point((rng.randrange(WIDTH), rng.randrange(HEIGHT)),
                  fill=tuple(rng.randrange(60, 200) for _ in range(3)))
    pen.line([(0, rng.randrange(HEIGHT)), (WIDTH, rng.randrange(HEIGHT))], fill=(90, 90, 120), width=2)
    image = image.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def image_for(secret: str, token: str) -> bytes:
    seed = int.from_bytes(hashlib.sha256(f"{secret}:{token}".encode()).digest()[:8], "big")
    return draw(answer_for(secret, token), seed)
