/**
 * The escapes a scenario's console text may use, since XML turns a line break inside an
 * attribute value into a space (XML 1.0 section 3.3.3) and has no way to write a control byte
 * such as Ctrl-C (&#3; is not a legal XML character).
 */
const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { r: 0x0d, n: 0x0a, t: 0x09, e: 0x1b, '\\': 0x5c };

export type EscapeResult = { readonly bytes: Uint8Array } | { readonly error: string; readonly index: number };

/**
 * Turn console text from a scenario into the bytes it stands for: `\r \n \t \e \\` and
 * `\xNN` (one byte, two hex digits) are escapes, every other character is its UTF-8 encoding.
 * On a bad escape, says which and where (index into the text, for XmlText.posAt).
 */
export function decodeConsoleText(text: string): EscapeResult {
  const out: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      // A surrogate pair is one character: encode both halves together.
      const cp = text.codePointAt(i)!;
      const ch = String.fromCodePoint(cp);
      for (const b of encoder.encode(ch)) out.push(b);
      i += ch.length - 1;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) return { error: 'a lone \\ at the end of the text (write \\\\ for a backslash)', index: i };
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out.push(simple);
      i++;
    } else if (next === 'x') {
      const hex = text.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return { error: `\\x needs two hex digits (e.g. \\x03 for Ctrl-C), found '\\x${hex}'`, index: i };
      out.push(parseInt(hex, 16));
      i += 3;
    } else {
      return { error: `unknown escape '\\${next}' (the escapes are \\r \\n \\t \\e \\\\ and \\xNN)`, index: i };
    }
  }
  return { bytes: Uint8Array.from(out) };
}

/** The bytes as the console's text is kept (one character per byte, as the UART sent them). */
export function bytesAsConsoleText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** Console text written back with escapes, for reports: printable ASCII stays as it is. */
export function showConsoleText(text: string): string {
  let s = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch === '\\') s += '\\\\';
    else if (ch === '"') s += '\\"';
    else if (ch === '\r') s += '\\r';
    else if (ch === '\n') s += '\\n';
    else if (ch === '\t') s += '\\t';
    else if (c < 0x20 || (c >= 0x7f && c <= 0xff)) s += `\\x${c.toString(16).padStart(2, '0')}`;
    else s += ch;
  }
  return s;
}

/**
 * Console output made fit for a report: the bytes read as UTF-8, line ends as \n, and
 * other control bytes (escape sequences, NUL) written as \xNN so a report stays plain text
 * (and valid XML, which cannot hold most control characters).
 */
export function printableConsoleText(text: string): string {
  const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  const decoded = new TextDecoder('utf-8').decode(bytes).replace(/\r+\n/g, '\n').replace(/\r/g, '\n');
  return decoded.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
