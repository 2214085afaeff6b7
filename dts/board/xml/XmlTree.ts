import type { SourcePos } from '../../model/SourcePos.ts';
import type { LineIndex } from './LineIndex.ts';

/**
 * Character data (an attribute value or an element's text) after entity decoding, which
 * remembers where each decoded character came from so that an error about one token of
 * a value can name that token's own line and column.
 */
export class XmlText {
  constructor(
    readonly value: string,
    /** Source offset of each decoded character, plus one entry for the end. */
    private readonly offsets: Int32Array,
    private readonly lines: LineIndex,
  ) {}

  /** Position of the decoded character at `index` (the end of the text when index = length). */
  posAt(index: number): SourcePos {
    const i = Math.max(0, Math.min(index, this.offsets.length - 1));
    return this.lines.pos(this.offsets[i]!);
  }

  /** Index of the first character that is not XML white space, or -1. */
  firstNonSpace(): number {
    const m = /[^ \t\r\n]/.exec(this.value);
    return m === null ? -1 : m.index;
  }
}

export interface XmlAttribute {
  readonly name: string;
  readonly value: XmlText;
  /** Position of the attribute's name. */
  readonly pos: SourcePos;
}

export class XmlElement {
  readonly attributes: XmlAttribute[] = [];
  readonly children: XmlElement[] = [];
  /** All character data directly inside the element (text and CDATA), in order. */
  text: XmlText | undefined;

  constructor(
    readonly name: string,
    /** Position of the element's `<`. */
    readonly pos: SourcePos,
  ) {}

  attribute(name: string): XmlAttribute | undefined {
    return this.attributes.find((a) => a.name === name);
  }
}
