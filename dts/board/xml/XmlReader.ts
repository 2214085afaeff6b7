import { XMLValidator } from 'fast-xml-parser';
import type { Diagnostic } from '../../model/SourcePos.ts';
import { LineIndex } from './LineIndex.ts';
import { XmlElement, XmlText } from './XmlTree.ts';

/**
 * Reads a board or fragment file into XmlElements that know the line and column of every
 * element, attribute and character.
 *
 * fast-xml-parser's validator reports most well-formedness errors with their position, but
 * it accepts a second root element after a self-closed one, text after the root, undefined
 * entity references and a raw `<` in an attribute value, all of which XML 1.0 forbids
 * (sections 2.1 "document", 2.4, 3.1 production AttValue, 4.1 WFC "Entity Declared").
 * Its parser gives no positions and leaves numeric character references in attribute
 * values undecoded, so once the validator has accepted the text this scanner builds the
 * tree itself and adds those checks.
 */
export interface XmlReadResult {
  readonly root?: XmlElement;
  readonly diagnostics: Diagnostic[];
}

/** The validator's wording for text after the root, said the way our own scanner says it. */
const VALIDATOR_MESSAGES: Readonly<Record<string, string>> = {
  'Extra text at the end': 'text after the root element (only comments and white space may follow it)',
};

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function readXml(source: string, file: string): XmlReadResult {
  // A byte-order mark is not part of the document (XML 1.0 section 4.3.3); dropping it keeps
  // the validator's columns and ours the same on line 1.
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  const lines = new LineIndex(file, text);
  const diagnostics: Diagnostic[] = [];
  const verdict = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (verdict !== true) {
    const { line, col, msg } = verdict.err;
    let pos = { file, line: line || 1, column: col || 1 };
    let message = VALIDATOR_MESSAGES[msg] ?? msg;
    if (msg === 'Multiple possible root nodes found.') {
      // The validator points at the end of the second root's start tag; name its `<` instead.
      const start = text.lastIndexOf('<', lines.offset(pos.line, pos.column));
      const name = /^<([^\s/>]*)/.exec(text.slice(start))?.[1] ?? '';
      pos = lines.pos(start);
      message = `second root element <${name}>: an XML document has exactly one root element`;
    }
    diagnostics.push({ severity: 'error', message: `malformed XML: ${message}`, pos });
    return { diagnostics };
  }
  const scanner = new XmlScanner(text, lines, diagnostics);
  const root = scanner.scan();
  return { root, diagnostics };
}

interface OpenElement {
  readonly element: XmlElement;
  readonly chars: string[];
  readonly offsets: number[];
  /** A second root element: scanned for well-formedness, then dropped. */
  readonly dropped: boolean;
}

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

class XmlScanner {
  private i = 0;
  private readonly stack: OpenElement[] = [];
  private root: XmlElement | undefined;
  private reportedTrailingText = false;

  constructor(
    private readonly text: string,
    private readonly lines: LineIndex,
    private readonly diagnostics: Diagnostic[],
  ) {}

  private error(offset: number, message: string): void {
    this.diagnostics.push({ severity: 'error', message, pos: this.lines.pos(offset) });
  }

  scan(): XmlElement | undefined {
    const t = this.text;
    while (this.i < t.length) {
      if (t[this.i] !== '<') {
        this.characterData();
      } else if (t.startsWith('<?', this.i)) {
        this.i = this.skipPast('?>', this.i + 2);
      } else if (t.startsWith('<!--', this.i)) {
        this.comment();
      } else if (t.startsWith('<![CDATA[', this.i)) {
        this.cdata();
      } else if (t.startsWith('<!', this.i)) {
        this.error(this.i, 'DOCTYPE declarations are not supported in board files');
        this.skipDoctype();
      } else if (t[this.i + 1] === '/') {
        this.endTag();
      } else {
        this.startTag();
      }
    }
    return this.root;
  }

  /** XML 1.0 section 2.5: a comment may not contain "--" (nor end in "--->"). */
  private comment(): void {
    const end = this.text.indexOf('-->', this.i + 4);
    const bodyEnd = end < 0 ? this.text.length : end;
    const dashes = this.text.indexOf('--', this.i + 4);
    if (dashes >= 0 && dashes < bodyEnd) this.error(dashes, 'a comment may not contain "--" (XML 1.0 section 2.5)');
    else if (end >= 0 && this.text[end - 1] === '-') this.error(end - 1, 'a comment may not end with "--->" (XML 1.0 section 2.5)');
    this.i = end < 0 ? this.text.length : end + 3;
  }

  private skipPast(terminator: string, from: number): number {
    const end = this.text.indexOf(terminator, from);
    return end < 0 ? this.text.length : end + terminator.length;
  }

  private skipDoctype(): void {
    let depth = 0;
    for (; this.i < this.text.length; this.i++) {
      const c = this.text[this.i];
      if (c === '[') depth++;
      else if (c === ']') depth--;
      else if (c === '>' && depth <= 0) break;
    }
    this.i++;
  }

  private characterData(): void {
    const start = this.i;
    let end = this.text.indexOf('<', start);
    if (end < 0) end = this.text.length;
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) {
      // Outside the root only white space may appear (XML 1.0 production `Misc`).
      const m = /[^ \t\r\n]/.exec(this.text.slice(start, end));
      if (m !== null && this.root !== undefined && !this.reportedTrailingText) {
        this.reportedTrailingText = true;
        this.error(start + m.index, `malformed XML: text after the root element <${this.root.name}> (only comments and white space may follow it)`);
      } else if (m !== null && this.root === undefined) {
        this.error(start + m.index, 'malformed XML: text before the root element');
      }
    } else {
      this.decode(start, end, 'text', top.chars, top.offsets);
    }
    this.i = end;
  }

  private cdata(): void {
    const start = this.i + '<![CDATA['.length;
    let end = this.text.indexOf(']]>', start);
    if (end < 0) end = this.text.length;
    const top = this.stack[this.stack.length - 1];
    if (top !== undefined) {
      for (let k = start; k < end; k++) {
        const c = this.text[k]!;
        if (c === '\r') {
          if (this.text[k + 1] === '\n') k++;
          top.chars.push('\n');
          top.offsets.push(k);
        } else {
          top.chars.push(c);
          top.offsets.push(k);
        }
      }
    }
    this.i = end + 3;
  }

  private readName(): string {
    const t = this.text;
    const start = this.i;
    while (this.i < t.length && !isSpace(t[this.i]) && t[this.i] !== '/' && t[this.i] !== '>' && t[this.i] !== '=') this.i++;
    return t.slice(start, this.i);
  }

  private skipSpace(): void {
    while (isSpace(this.text[this.i])) this.i++;
  }

  private startTag(): void {
    const t = this.text;
    const tagStart = this.i;
    this.i++;
    const element = new XmlElement(this.readName(), this.lines.pos(tagStart));
    let selfClosing = false;
    for (;;) {
      this.skipSpace();
      const c = t[this.i];
      if (c === undefined) break;
      if (c === '>') {
        this.i++;
        break;
      }
      if (c === '/') {
        selfClosing = true;
        this.i = this.skipPast('>', this.i);
        break;
      }
      const nameStart = this.i;
      const name = this.readName();
      this.skipSpace();
      if (t[this.i] === '=') this.i++;
      this.skipSpace();
      const quote = t[this.i];
      if (quote !== '"' && quote !== "'") {
        if (name === '') this.i++;
        continue;
      }
      const valueStart = this.i + 1;
      let valueEnd = t.indexOf(quote, valueStart);
      if (valueEnd < 0) valueEnd = t.length;
      const chars: string[] = [];
      const offsets: number[] = [];
      this.decode(valueStart, valueEnd, 'attribute', chars, offsets);
      element.attributes.push({ name, value: this.makeText(chars, offsets, valueEnd), pos: this.lines.pos(nameStart) });
      this.i = valueEnd + 1;
    }

    const parent = this.stack[this.stack.length - 1];
    let dropped = parent?.dropped ?? false;
    if (parent !== undefined) {
      if (!dropped) parent.element.children.push(element);
    } else if (this.root === undefined) {
      this.root = element;
    } else {
      dropped = true;
      this.error(
        tagStart,
        `malformed XML: second root element <${element.name}>: an XML document has exactly one root element`,
      );
    }
    const open: OpenElement = { element, chars: [], offsets: [], dropped };
    if (selfClosing) this.close(open, this.i);
    else this.stack.push(open);
  }

  private endTag(): void {
    const end = this.skipPast('>', this.i);
    const open = this.stack.pop();
    if (open !== undefined) this.close(open, this.i);
    this.i = end;
  }

  private close(open: OpenElement, endOffset: number): void {
    open.element.text = this.makeText(open.chars, open.offsets, endOffset);
  }

  private makeText(chars: string[], offsets: number[], endOffset: number): XmlText {
    const map = new Int32Array(offsets.length + 1);
    map.set(offsets);
    map[offsets.length] = endOffset;
    return new XmlText(chars.join(''), map, this.lines);
  }

  /**
   * Decodes character data between `start` and `end`: entity and character references,
   * line-end normalization (XML 1.0 section 2.11) and, in attribute values, the
   * normalization of literal white space to spaces (section 3.3.3).
   */
  private decode(start: number, end: number, context: 'text' | 'attribute', chars: string[], offsets: number[]): void {
    const t = this.text;
    const inAttribute = context === 'attribute';
    for (let k = start; k < end; k++) {
      const c = t[k]!;
      if (c === '&') {
        const semi = t.indexOf(';', k);
        const ref = semi > k && semi < end && semi - k <= 12 ? t.slice(k + 1, semi) : undefined;
        const decoded = ref === undefined ? undefined : decodeReference(ref);
        if (decoded === undefined) {
          this.error(
            k,
            ref === undefined
              ? `malformed XML: '&' must be written &amp; in XML`
              : `malformed XML: unknown entity '&${ref};' (XML defines &amp; &lt; &gt; &quot; &apos; and &#…; character references)`,
          );
          chars.push('&');
          offsets.push(k);
          continue;
        }
        for (const unit of decoded) {
          chars.push(unit);
          offsets.push(k);
        }
        k = semi;
      } else if (c === '\r') {
        if (t[k + 1] === '\n') k++;
        chars.push(inAttribute ? ' ' : '\n');
        offsets.push(k);
      } else if (inAttribute && (c === '\n' || c === '\t')) {
        chars.push(' ');
        offsets.push(k);
      } else {
        if (inAttribute && c === '<') this.error(k, `malformed XML: '<' is not allowed in an attribute value; write &lt;`);
        chars.push(c);
        offsets.push(k);
      }
    }
  }
}

/** The characters an entity or character reference stands for, as UTF-16 code units. */
function decodeReference(ref: string): string[] | undefined {
  const named = PREDEFINED_ENTITIES[ref];
  if (named !== undefined) return [named];
  let code: number;
  if (/^#x[0-9a-fA-F]+$/.test(ref)) code = parseInt(ref.slice(2), 16);
  else if (/^#[0-9]+$/.test(ref)) code = parseInt(ref.slice(1), 10);
  else return undefined;
  // XML 1.0 production Char: what a character reference may name.
  const legal =
    code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
  if (!legal) return undefined;
  return [...String.fromCodePoint(code)].flatMap((ch) => (ch.length === 2 ? [ch[0]!, ch[1]!] : [ch]));
}
