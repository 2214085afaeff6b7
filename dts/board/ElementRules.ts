import type { DiagnosticSink } from './DiagnosticSink.ts';
import type { XmlAttribute, XmlElement } from './xml/XmlTree.ts';

/**
 * Checks of an element's shape shared by every element of the format: which attributes it
 * may and must have, and that it holds no stray text or children.
 */
export function expectAttributes(sink: DiagnosticSink, el: XmlElement, allowed: readonly string[], required: readonly string[] = []): void {
  for (const attr of el.attributes) {
    if (!allowed.includes(attr.name)) {
      const hint = allowed.length === 0 ? 'it takes no attributes' : `allowed: ${allowed.join(', ')}`;
      sink.error(attr.pos, `unknown attribute '${attr.name}' on <${el.name}> (${hint})`);
    }
  }
  for (const name of required) {
    if (el.attribute(name) === undefined) sink.error(el.pos, `<${el.name}> needs the attribute '${name}'`);
  }
}

/** Reports text (other than white space) directly inside `el`. */
export function expectNoText(sink: DiagnosticSink, el: XmlElement): void {
  const at = el.text?.firstNonSpace() ?? -1;
  if (at >= 0) sink.error(el.text!.posAt(at), `unexpected text in <${el.name}>`);
}

/** Reports every child element of `el`, which takes none. */
export function expectNoChildren(sink: DiagnosticSink, el: XmlElement): void {
  for (const child of el.children) sink.error(child.pos, `unexpected element <${child.name}> in <${el.name}> (it takes no child elements)`);
  expectNoText(sink, el);
}

export function unknownElement(sink: DiagnosticSink, child: XmlElement, parent: XmlElement, allowed: readonly string[]): void {
  sink.error(child.pos, `unknown element <${child.name}> in <${parent.name}> (allowed: ${allowed.map((a) => `<${a}>`).join(', ')})`);
}

/** The attribute's value with surrounding white space removed. */
export function attributeText(attr: XmlAttribute): string {
  return attr.value.value.trim();
}
