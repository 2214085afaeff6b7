/**
 * Framing of GDB remote serial protocol packets (GDB manual, E.1 "Overview"):
 * `$payload#cc`, where cc is the payload's byte sum modulo 256 in two hex
 * digits. Payloads are handled as latin1 strings: one character per byte.
 */

/** The four bytes that cannot appear raw in binary data: '#', '$', '*', '}'. */
const SPECIAL = /[#$*}]/;

/** Sum of the payload's bytes modulo 256. */
export function checksum(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) sum += payload.charCodeAt(i) & 0xff;
  return sum & 0xff;
}

/** `$payload#cc`. */
export function framePacket(payload: string): string {
  return `$${payload}#${checksum(payload).toString(16).padStart(2, '0')}`;
}

/**
 * Binary data for a packet: '#', '$', '*' and '}' become '}' followed by the
 * byte XOR 0x20 (manual: "Binary data"); every other byte goes as it is.
 */
export function escapeBinary(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x23 || b === 0x24 || b === 0x2a || b === 0x7d) out += '}' + String.fromCharCode(b ^ 0x20);
    else out += String.fromCharCode(b);
  }
  return out;
}

/** The inverse of `escapeBinary`; null when the text ends inside an escape. */
export function unescapeBinary(text: string): Uint8Array | null {
  const out = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let b = text.charCodeAt(i) & 0xff;
    if (b === 0x7d) {
      if (++i >= text.length) return null;
      b = (text.charCodeAt(i) & 0xff) ^ 0x20;
    }
    out[n++] = b;
  }
  return out.slice(0, n);
}

/**
 * Run-length encoding of a reply (manual: "Run-length encoding"): a character
 * followed by `*` and a count character N stands for the character and N - 29
 * more copies of it. N must be printable (at most '~', 126) and neither '#'
 * nor '$', so 6 and 7 repeats are written as 5. Only text without the
 * special characters is encoded (binary replies are sent as they are).
 */
export function runLengthEncode(text: string): string {
  if (SPECIAL.test(text)) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    let run = 1;
    while (i + run < text.length && run < 98 && text[i + run] === c) run++;
    let repeats = run - 1;
    if (repeats >= 3) {
      if (repeats === 6 || repeats === 7) repeats = 5;
      out += c + '*' + String.fromCharCode(29 + repeats);
      i += repeats + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
