// Reading a QR code made by src/lib/qr.ts as a phone would, without a browser: the SVG's
// modules painted into pixels, then decoded by jsQR. (The browser tests decode codes printed
// to PDF instead.)
import jsQR from 'jsqr';

/**
 * qrcode writes each row of modules as a path of horizontal runs ("M<x> <y+0.5>h<n>m<dx>
 * 0h<n>…", stroke width 1); they are painted back into a grid, six pixels a module.
 */
export function decodeQrSvg(svg: string): string | null {
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)?.[1]);
  const path = /<path[^>]*stroke="#000000"[^>]*d="([^"]+)"/.exec(svg)?.[1] ?? '';
  const dark = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  let x = 0;
  let y = 0;
  for (const [, command, a, b] of path.matchAll(/([MmHh])\s*(-?[\d.]+)(?:\s+(-?[\d.]+))?/g)) {
    const first = Number(a);
    if (command === 'M') [x, y] = [first, Number(b)];
    else if (command === 'm') [x, y] = [x + first, y + Number(b)];
    else {
      const to = command === 'h' ? x + first : first;
      for (let column = x; column < to; column++) dark[Math.floor(y)]![column] = true;
      x = to;
    }
  }
  const scale = 6;
  const width = size * scale;
  const pixels = new Uint8ClampedArray(width * width * 4);
  for (let py = 0; py < width; py++) {
    for (let px = 0; px < width; px++) {
      const value = dark[Math.floor(py / scale)]![Math.floor(px / scale)] ? 0 : 255;
      pixels.set([value, value, value, 255], (py * width + px) * 4);
    }
  }
  return jsQR(pixels, width, width)?.data ?? null;
}

/** Every QR code (<svg class="qr-code" …>) in a page, decoded, in the page's order. */
export function decodeQrCodesIn(html: string): (string | null)[] {
  return [...html.matchAll(/<svg class="qr-code"[\s\S]*?<\/svg>/g)].map((m) => decodeQrSvg(m[0]));
}
