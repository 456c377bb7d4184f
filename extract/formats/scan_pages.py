"""A scanned page made ready for OCR: the red seal dropped (its ink must not become text), a grey
paper made white and salt noise filtered out, the ink told from the paper, the page turned
upright (Tesseract's orientation detection), small skews undone (the angle whose rows of ink are
sharpest) and a spread of two pages on one image cut in two. Each step is done to the grey page
(what Tesseract reads) and to its ink (what the tables and angles are found on) alike."""

from __future__ import annotations

import cv2
import numpy as np

_RED_HUE = 12              # OpenCV hues (0-180) this close to 0 are red
_RED_SATURATION = 70
_MAX_SKEW = 5.0            # degrees: a scanner's skew; more is a page placed sideways (orientation's job)


def without_seal(rgb: np.ndarray) -> np.ndarray:
    """The page in grey with its red ink (seals, red headers) turned white."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    hue, saturation, value = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    red = ((hue <= _RED_HUE) | (hue >= 180 - _RED_HUE)) & (saturation >= _RED_SATURATION) & (value >= 60)
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    grey[red] = 255
    return grey


def prepared(rgb: np.ndarray, orientation) -> tuple[np.ndarray, np.ndarray]:
    """The page upright and straight, as grey on white and as its ink (255 on 0); `orientation`
    (ink → the degrees counter-clockwise the page must turn, or None) finds quarter turns."""
    grey = cv2.medianBlur(without_seal(rgb), 3)
    grey = np.clip(grey.astype(np.float32) * (255 / _paper(grey)), 0, 255).astype(np.uint8)
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    turn = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_CLOCKWISE}.get(orientation(ink))
    if turn is not None:
        grey, ink = cv2.rotate(grey, turn), cv2.rotate(ink, turn)
    angle = skew(ink)
    if abs(angle) >= 0.05:
        grey, ink = _turned(grey, angle, 255), _turned(ink, angle, 0)
    return grey, ink


def skew(ink: np.ndarray) -> float:
    """The turn in degrees (counter-clockwise positive) that straightens the page: the one that
    makes its rows of ink sharpest, found on a small copy and refined on a larger one."""
    best = 0.0
    for scale, span, step in ((0.25, _MAX_SKEW, 0.5), (0.5, 0.5, 0.1)):
        small = cv2.resize(ink, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        angles = np.arange(best - span, best + span + step / 2, step)
        best = float(max(angles, key=lambda angle: _sharpness(_turned(small, angle, 0))))
    return best


def _paper(grey: np.ndarray) -> np.ndarray:
    """The paper's own shade around each pixel (the page with its ink closed over, on an eighth-size
    copy): dividing by it makes a grey, yellowed or unevenly lit paper white."""
    small = cv2.resize(grey, None, fx=0.125, fy=0.125, interpolation=cv2.INTER_AREA)
    small = cv2.medianBlur(cv2.dilate(small, np.ones((5, 5), np.uint8)), 5)
    return np.maximum(cv2.resize(small, grey.shape[::-1], interpolation=cv2.INTER_LINEAR).astype(np.float32), 1.0)


def halves(ink: np.ndarray) -> list[slice]:
    """The columns of each page on the image: two pages scanned side by side are cut in the
    middle of the widest empty run of columns in the image's middle third (their gutter)."""
    height, width = ink.shape
    third = width // 3
    empty = (ink[:, third:2 * third] > 0).sum(axis=0) <= height * 0.002
    if width < 1.2 * height or not empty.any():
        return [slice(0, width)]
    edges = np.flatnonzero(np.diff(np.concatenate(([0], empty.astype(np.int8), [0]))))
    start, end = max(zip(edges[::2], edges[1::2]), key=lambda run: run[1] - run[0])
    gutter = third + int(start + end) // 2
    return [slice(0, gutter), slice(gutter, width)]


def _turned(image: np.ndarray, angle: float, border: int) -> np.ndarray:
    height, width = image.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR if border else cv2.INTER_NEAREST,
                          borderValue=border)


def _sharpness(ink: np.ndarray) -> float:
    rows = ink.sum(axis=1, dtype=np.float64)
    return float(np.square(np.diff(rows)).sum())
