"""What readers with colour-vision deficiencies see: the tests check the palette with it."""

from __future__ import annotations

import matplotlib as mpl


def simulate_colour_blindness(hex_colour: str, kind: str = "deuteranopia") -> tuple[float, float, float]:
    """An sRGB colour as a reader with a full red-green or blue-yellow deficiency sees it.

    Machado, Oliveira & Fernandes (2009), severity 1, applied in linear RGB. So the tests can show that the
    bloc colours stay apart.
    """
    matrices = {
        "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413), (-0.011820, 0.042940, 0.968881)),
        "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216), (-0.003882, -0.048116, 1.051998)),
        "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602), (0.004733, 0.691367, 0.303900)),
    }
    rgb = mpl.colors.to_rgb(hex_colour)
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    seen = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, linear)))) for row in matrices[kind]]
    return tuple(12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055 for c in seen)


def colour_difference(a, b) -> float:
    """CIE76 colour difference (Delta E) of two sRGB colours: about 2 is just noticeable, 10 plain."""

    def lab(rgb):
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in mpl.colors.to_rgb(rgb)]
        x = (0.4124 * linear[0] + 0.3576 * linear[1] + 0.1805 * linear[2]) / 0.95047
        y = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
        z = (0.0193 * linear[0] + 0.1192 * linear[1] + 0.9505 * linear[2]) / 1.08883
        f = [t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29 for t in (x, y, z)]
        return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])

    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b))) ** 0.5
