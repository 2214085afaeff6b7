import test from 'ava';
import { readXml } from '../../dts/board/xml/XmlReader.ts';
import { parseBoardText } from '../../dts/board/BoardLoader.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';

/** Every diagnostic of a board text, as the CLI prints it. */
function problems(xml: string): string[] {
  return parseBoardText(xml, 'b.xml').diagnostics.map(formatDiagnostic);
}

test('elements and attributes carry 1-based line and column of their first character', (t) => {
  const xml = ['<?xml version="1.0"?>', '<board name="x">', '  <node name="/"', '\tmodel="m"/>', '</board>'].join('\n');
  const { root, diagnostics } = readXml(xml, 'f.xml');
  t.deepEqual(diagnostics, []);
  t.deepEqual(root!.pos, { file: 'f.xml', line: 2, column: 1 });
  t.deepEqual(root!.attributes[0]!.pos, { file: 'f.xml', line: 2, column: 8 });
  const node = root!.children[0]!;
  t.deepEqual(node.pos, { file: 'f.xml', line: 3, column: 3 });
  t.deepEqual(node.attributes.map((a) => [a.name, a.value.value, a.pos.line, a.pos.column]), [
    ['name', '/', 3, 9],
    ['model', 'm', 4, 2], // a tab counts as one column
  ]);
});

test('entity and character references are decoded, and each decoded character knows its source column', (t) => {
  // XML 1.0 section 4.6: the five predefined entities; section 4.1: &#d; and &#xh; references.
  const xml = `<board a="&amp;gic &#65;&#x42; &lt;&gt;&quot;&apos;"/>`;
  const { root } = readXml(xml, 'f.xml');
  const a = root!.attribute('a')!;
  t.is(a.value.value, `&gic AB <>"'`);
  t.is(a.value.posAt(0).column, 11, '& comes from &amp; at column 11');
  t.is(a.value.posAt(1).column, 16, 'g follows the 5-character entity');
  t.is(a.value.posAt(5).column, 20, 'A comes from &#65; at column 20');
  t.is(a.value.posAt(6).column, 25, 'B comes from &#x42; at column 25');
});

test('literal tabs and line breaks in attribute values become spaces; references to them stay', (t) => {
  // XML 1.0 section 3.3.3, attribute-value normalization.
  const { root } = readXml('<board a="x\ty\r\nz" b="p&#10;q&#9;r"/>', 'f.xml');
  t.is(root!.attribute('a')!.value.value, 'x y z');
  t.is(root!.attribute('b')!.value.value, 'p\nq\tr');
});

test('CRLF and lone CR end lines like LF, and text keeps CDATA verbatim', (t) => {
  const { root } = readXml('<board>\r\n<a/>\r<b>x &amp; <![CDATA[<y>&amp;]]></b>\n</board>', 'f.xml');
  t.deepEqual(root!.children.map((c) => [c.name, c.pos.line, c.pos.column]), [
    ['a', 2, 1],
    ['b', 3, 1],
  ]);
  t.is(root!.children[1]!.text!.value, 'x & <y>&amp;');
});

test('a second root element after a self-closed root is an error at its <', (t) => {
  t.deepEqual(problems('<board name="a"/>\n  <board name="b"/>\n'), [
    'b.xml:2:3: error: malformed XML: second root element <board>: an XML document has exactly one root element',
  ]);
});

test('a second root element after a closed root is an error at its <', (t) => {
  t.deepEqual(problems('<board name="a">\n</board>\n<fragment x="1"></fragment>\n'), [
    'b.xml:3:1: error: malformed XML: second root element <fragment>: an XML document has exactly one root element',
  ]);
});

test('text after the root element is an error at the text', (t) => {
  t.deepEqual(problems('<board name="a"/>\n<!-- fine -->\n   stray\n'), [
    'b.xml:3:4: error: malformed XML: text after the root element <board> (only comments and white space may follow it)',
  ]);
  t.deepEqual(problems('<board name="a"></board>\n\n x'), [
    'b.xml:3:2: error: malformed XML: text after the root element (only comments and white space may follow it)',
  ]);
});

test('an unclosed element is reported where the wrong closing tag is', (t) => {
  t.deepEqual(problems('<board>\n  <node name="/">\n</board>\n'), [
    "b.xml:3:1: error: malformed XML: Expected closing tag 'node' (opened in line 2, col 3) instead of closing tag 'board'.",
  ]);
});

test('a repeated attribute is reported at its second occurrence', (t) => {
  t.deepEqual(problems('<board>\n  <node name="/" model="a" model="b"/>\n</board>'), [
    "b.xml:2:28: error: malformed XML: Attribute 'model' is repeated.",
  ]);
});

test('undefined entities, a bare & and a raw < in attribute values are errors at the character', (t) => {
  t.deepEqual(problems('<board>\n  <node name="/" a="&nbsp;" b="x & y" c="1<2"/>\n</board>'), [
    "b.xml:2:21: error: malformed XML: unknown entity '&nbsp;' (XML defines &amp; &lt; &gt; &quot; &apos; and &#…; character references)",
    "b.xml:2:34: error: malformed XML: '&' must be written &amp; in XML",
    "b.xml:2:43: error: malformed XML: '<' is not allowed in an attribute value; write &lt;",
  ]);
});

test('a character reference to a character XML forbids is an error', (t) => {
  t.deepEqual(problems('<board name="&#0;"/>'), [
    "b.xml:1:14: error: malformed XML: unknown entity '&#0;' (XML defines &amp; &lt; &gt; &quot; &apos; and &#…; character references)",
  ]);
});

test('DOCTYPE declarations are refused, an empty file has no root', (t) => {
  t.deepEqual(problems('<!DOCTYPE board>\n<board/>'), ['b.xml:1:1: error: DOCTYPE declarations are not supported in board files']);
  t.deepEqual(problems(''), ['b.xml:1:1: error: malformed XML: Start tag expected.']);
});

test('a byte-order mark does not shift columns', (t) => {
  t.deepEqual(problems('\ufeff<board>\n  <bogus/>\n</board>'), [
    'b.xml:2:3: error: unknown element <bogus> in <board> (allowed: <include>, <node>, <delete-node>, <memreserve>, <firmware>, <kernel>, <console>, <vm>)',
  ]);
});

test('a comment containing "--" is malformed XML (XML 1.0 section 2.5), placed at the dashes', (t) => {
  const errs = problems('<?xml version="1.0"?>\n<!-- run with --firmware -->\n<board name="x"><node name="/"/></board>\n');
  t.deepEqual(errs, ['b.xml:2:15: error: a comment may not contain "--" (XML 1.0 section 2.5)']);
  t.deepEqual(problems('<board name="x"><!-- fine - single dashes --><node name="/"/></board>\n'), []);
});
