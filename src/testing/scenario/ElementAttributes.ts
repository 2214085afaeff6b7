import type { Diagnostic, SourcePos } from '../../../dts/model/SourcePos.ts';
import type { XmlAttribute, XmlElement } from '../../../dts/board/xml/XmlTree.ts';

/**
 * The attributes of one scenario element, checked against the names that element takes:
 * an unknown attribute (a typo such as `withn`) is an error at its own position, so a
 * misspelt limit never silently falls back to a default.
 */
export class ElementAttributes {
  constructor(
    readonly element: XmlElement,
    allowed: readonly string[],
    private readonly diagnostics: Diagnostic[],
    /** Scenario containers hold elements, which their parser checks; steps hold nothing. */
    content: 'nothing' | 'elements' = 'nothing',
  ) {
    for (const a of element.attributes) {
      if (!allowed.includes(a.name)) {
        const expected = allowed.length === 0 ? 'it takes none' : `it takes ${allowed.join(', ')}`;
        this.error(a.pos, `unknown attribute '${a.name}' on <${element.name}> (${expected})`);
      }
    }
    if (content === 'nothing') {
      for (const child of element.children) {
        this.error(child.pos, `<${element.name}> takes no child elements (found <${child.name}>)`);
      }
    }
    const text = element.text;
    const first = text?.firstNonSpace() ?? -1;
    if (text !== undefined && first >= 0) {
      const what = content === 'nothing' ? 'write its values as attributes' : 'it holds elements';
      this.error(text.posAt(first), `<${element.name}> takes no text: ${what}`);
    }
  }

  error(pos: SourcePos | undefined, message: string): void {
    this.diagnostics.push({ severity: 'error', message, pos });
  }

  get(name: string): XmlAttribute | undefined {
    return this.element.attribute(name);
  }

  /** The attribute, or an error at the element when it is missing. */
  required(name: string, what: string): XmlAttribute | undefined {
    const a = this.element.attribute(name);
    if (a === undefined) this.error(this.element.pos, `<${this.element.name}> needs ${name}="…" (${what})`);
    return a;
  }

  /** Exactly one of two attributes, else an error naming both; undefined when the rule is broken. */
  oneOf(first: string, second: string): XmlAttribute | undefined {
    const a = this.element.attribute(first);
    const b = this.element.attribute(second);
    if (a !== undefined && b !== undefined) {
      this.error(b.pos, `<${this.element.name}> takes ${first}="…" or ${second}="…", not both`);
      return undefined;
    }
    if (a === undefined && b === undefined) {
      this.error(this.element.pos, `<${this.element.name}> needs ${first}="…" or ${second}="…"`);
      return undefined;
    }
    return a ?? b;
  }
}

/** Where an attribute's value starts (for errors about the value rather than the name). */
export function valuePos(a: XmlAttribute): SourcePos {
  return a.value.posAt(0);
}
