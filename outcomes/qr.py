"""The audience survey's QR code, drawn as SVG on the server (segno: no image libraries)."""

import io

import segno

QR_MODULE_PIXELS = 8


def survey_qr_svg(*, url: str, title: str = "") -> str:
    """A QR code of ``url`` as standalone SVG (medium error correction, quiet zone of four modules)."""
    buffer = io.BytesIO()
    qr = segno.make(url, error="m", micro=False)
    qr.save(buffer, kind="svg", border=4, dark="#000", light="#fff", title=title or None, xmldecl=False, omitsize=True)
    # A viewBox (to scale on a slide or a page) and a size (for programs that need one).
    width, height = qr.symbol_size(scale=QR_MODULE_PIXELS, border=4)
    svg = buffer.getvalue().decode("utf-8")
    return svg.replace("<svg ", f'<svg width="{width}" height="{height}" ', 1)
