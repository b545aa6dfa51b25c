// QR codes for paper (the printable programme, the claim sheet): SVG made on the server by the
// `qrcode` library, so a page needs no image service, no script and no third-party request, and
// a printer gets sharp vector edges at any size.
//
// Every code is decorative to assistive technology (aria-hidden): the page prints the address
// it holds beside it in small type, which a screen reader reads and a person without a camera
// can type.
import QRCode from 'qrcode';
import { SizedCache } from './sized-cache.ts';

/**
 * "M" corrects about 15 % of the code: enough for a crease, a pin hole or a smudge on a notice
 * board, while keeping the modules of an activity's address large at 2.5 cm.
 */
const ERROR_CORRECTION = 'M';
/** The white border in modules. The standard asks for 4; the page around a printed code is
 * white anyway, and 2 leaves the modules larger in the same space (the browser tests decode
 * codes printed this way). */
const MARGIN = 2;

/** Kept by address: a month's programme asks for the same few hundred codes again and again. */
const made = new SizedCache<string>(2 * 1024 * 1024, (svg) => svg.length);

/**
 * The QR code of an address as an <svg> element for inline use: scales to its box (no width or
 * height of its own), black on white, hidden from assistive technology (see above).
 */
export async function qrCodeSvg(url: string): Promise<string> {
  const kept = made.get(url);
  if (kept !== undefined) return kept;
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: ERROR_CORRECTION, margin: MARGIN, color: { dark: '#000000', light: '#ffffff' } });
  const element = svg.trim().replace(/^<svg /, '<svg class="qr-code" aria-hidden="true" focusable="false" ');
  made.set(url, element);
  return element;
}

/** An address as printed beside its code: without "https://", which nobody needs to type. */
export function printedAddress(url: string): string {
  return url.replace(/^https:\/\//, '');
}
