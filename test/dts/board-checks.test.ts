import test from 'ava';
import { parseBoardText } from '../../dts/board/BoardLoader.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';

/** Diagnostics of a board made of `lines` (line 1 is the first string). */
function check(...lines: string[]): string[] {
  return parseBoardText(lines.join('\n'), 'c.xml').diagnostics.map(formatDiagnostic);
}

test('unknown elements and attributes are errors at the element or attribute', (t) => {
  t.deepEqual(
    check(
      '<board name="u" colour="red">',
      '  <device name="x"/>',
      '  <include href="a.xml" once="yes"/>',
      '  <console uart="/" port="2"/>',
      '  <node name="/"><child name="x"/></node>',
      '  <vm name="g" memory="1M" core="2"><bios/></vm>',
      '</board>',
    ),
    [
      "c.xml:1:17: error: unknown attribute 'colour' on <board> (allowed: name, boot-cpu)",
      'c.xml:2:3: error: unknown element <device> in <board> (allowed: <include>, <node>, <delete-node>, <memreserve>, <firmware>, <kernel>, <console>, <vm>)',
      "c.xml:3:25: error: unknown attribute 'once' on <include> (allowed: href)",
      "c.xml:3:12: error: missing include 'a.xml': no such file (a.xml)",
      "c.xml:4:21: error: unknown attribute 'port' on <console> (allowed: uart)",
      'c.xml:5:18: error: unknown element <child> in <node> (allowed: <node>, <prop>, <delete-node>, <delete-property>)',
      "c.xml:6:28: error: unknown attribute 'core' on <vm> (allowed: name, vcpus, memory, paging, nice, boot-cpu, ends-run, cpus)",
      'c.xml:6:37: error: unknown element <bios> in <vm> (allowed: <include>, <node>, <delete-node>, <memreserve>, <firmware>, <kernel>, <console>)',
    ].sort(byPosition),
  );
});

/** Orders formatted diagnostics of one file by line then column, as the loader reports them. */
function byPosition(a: string, b: string): number {
  const [, la, ca] = /:(\d+):(\d+):/.exec(a)!.map(Number);
  const [, lb, cb] = /:(\d+):(\d+):/.exec(b)!.map(Number);
  return la! - lb! || ca! - cb!;
}

test('bad numbers in tskvm elements and bad property values are errors', (t) => {
  t.deepEqual(
    check(
      '<board name="n">',
      '  <node name="/" a="0x1ffffffff"/>',
      '  <vm name="g1" memory="12Q" vcpus="0" nice="20" paging="eager"/>',
      '</board>',
    ),
    [
      'c.xml:2:21: error: 0x1ffffffff does not fit in a 32-bit cell',
      "c.xml:3:17: error: bad number '12Q' for memory (expected 0x…, 0b… or decimal, optional K/M/G)",
      'c.xml:3:30: error: vcpus="0" is out of range (1 to 1024)',
      'c.xml:3:40: error: nice="20" is out of range (-20 to 19)',
      "c.xml:3:50: error: bad paging 'eager' (nested or shadow)",
    ],
  );
});

test('references to missing labels and paths are errors at the reference', (t) => {
  t.deepEqual(
    check(
      '<board name="r">',
      '  <console uart="&amp;serial9"/>',
      '  <node name="/" clocks="&amp;clk 1 &amp;{/nowhere}">',
      '    <prop name="where"><pathref>&amp;ghost</pathref></prop>',
      '  </node>',
      '</board>',
    ),
    [
      "c.xml:2:12: error: console: reference to missing label 'serial9'",
      "c.xml:3:26: error: reference to missing label 'clk'",
      "c.xml:3:37: error: reference to missing path '/nowhere'",
      "c.xml:4:33: error: reference to missing label 'ghost'",
    ],
  );
});

test('a node name written twice in one element is a duplicate node name', (t) => {
  t.deepEqual(
    check(
      '<board name="d">',
      '  <node name="/">',
      '    <node name="uart@1000" a="1"/>',
      '    <node name="uart@1000" b="2"/>',
      '  </node>',
      '</board>',
    ),
    ["c.xml:4:11: error: duplicate node name 'uart@1000' in / (first at line 3, column 11)"],
  );
});

test('a label on two nodes is a duplicate label, at the second one', (t) => {
  t.deepEqual(
    check(
      '<board name="l">',
      '  <node name="/">',
      '    <node name="a" label="x uart"/>',
      '    <node name="b" label="uart"/>',
      '  </node>',
      '</board>',
    ),
    ["c.xml:4:27: error: duplicate label 'uart': /b and /a (c.xml:3:29) both carry it"],
  );
});

test('a property set twice in one element is a duplicate property', (t) => {
  t.deepEqual(
    check('<board name="p">', '  <node name="/" linux.code="1">', '    <prop name="linux,code" cells="2"/>', '  </node>', '</board>'),
    ["c.xml:3:11: error: duplicate property 'linux,code' in / (first at line 2, column 18)"],
  );
});

test('overlapping MMIO regions are errors; disabled nodes are skipped; a contained block is a warning', (t) => {
  t.deepEqual(
    check(
      '<board name="o">',
      '  <node name="/" _address-cells="1" _size-cells="1">',
      '    <node name="memory@0" device_type="memory" reg="0 256M"/>',
      '    <node name="rom@fff0000" reg="0xfff0000 0x20000"/>',
      '    <node name="uart@20000000" reg="0x20000000 0x1000"/>',
      '    <node name="uart@20000800" reg="0x20000800 0x1000"/>',
      '    <node name="twin@20000000" reg="0x20000000 0x1000"/>',
      '    <node name="off@20000000" reg="0x20000000 0x1000" status="disabled"/>',
      '    <node name="pic@30000000" reg="0x30000000 0x40000"/>',
      '    <node name="msi@30001000" reg="0x30001000 0x100"/>',
      '  </node>',
      '</board>',
    ),
    [
      'c.xml:4:30: error: overlapping MMIO regions: /rom@fff0000 at 0xfff0000..0x1000ffff and /memory@0 at 0x0..0xfffffff',
      'c.xml:6:32: error: overlapping MMIO regions: /uart@20000800 at 0x20000800..0x200017ff and /uart@20000000 at 0x20000000..0x20000fff',
      'c.xml:6:32: error: overlapping MMIO regions: /uart@20000800 at 0x20000800..0x200017ff and /twin@20000000 at 0x20000000..0x20000fff',
      'c.xml:7:32: error: overlapping MMIO regions: /twin@20000000 at 0x20000000..0x20000fff and /uart@20000000 at 0x20000000..0x20000fff',
      'c.xml:10:31: warning: MMIO region /msi@30001000 at 0x30001000..0x300010ff lies inside /pic@30000000 at 0x30000000..0x3003ffff (a sub-block of it?)',
    ],
  );
});

test('overlaps are found after translation through ranges', (t) => {
  t.deepEqual(
    check(
      '<board name="t">',
      '  <node name="/" _address-cells="1" _size-cells="1">',
      '    <node name="soc" _address-cells="1" _size-cells="1" ranges="0 0x10000000 0x100000">',
      '      <node name="uart@4000" reg="0x4000 0x100"/>',
      '    </node>',
      '    <node name="other@10004080" reg="0x10004080 0x10"/>',
      '  </node>',
      '</board>',
    ),
    ['c.xml:6:33: warning: MMIO region /other@10004080 at 0x10004080..0x1000408f lies inside /soc/uart@4000 at 0x10004000..0x100040ff (a sub-block of it?)'],
  );
  t.deepEqual(
    check(
      '<board name="t">',
      '  <node name="/" _address-cells="1" _size-cells="1">',
      '    <node name="soc" _address-cells="1" _size-cells="1" ranges="0 0x10000000 0x100000">',
      '      <node name="uart@4000" reg="0x4000 0x100"/>',
      '    </node>',
      '    <node name="other@100040f0" reg="0x100040f0 0x100"/>',
      '  </node>',
      '</board>',
    ),
    ['c.xml:6:33: error: overlapping MMIO regions: /other@100040f0 at 0x100040f0..0x100041ef and /soc/uart@4000 at 0x10004000..0x100040ff'],
  );
});

test('reg and ranges written as cells must hold whole entries', (t) => {
  t.deepEqual(
    check(
      '<board name="w">',
      '  <node name="/" _address-cells="2" _size-cells="1">',
      '    <node name="a"><prop name="reg" cells="0 0x1000 0x100 0"/></node>',
      '    <node name="b" _address-cells="1" _size-cells="1"><prop name="ranges" cells="0 0 0x1000"/></node>',
      '  </node>',
      '</board>',
    ),
    [
      'c.xml:3:20: error: reg of /a has 4 cells, not a multiple of 3 (#address-cells = <2> + #size-cells = <1> of /)',
      'c.xml:4:55: error: ranges of /b has 3 cells, not a multiple of 4 (#address-cells = <1> of /b + #address-cells = <2> of / + #size-cells = <1> of /b)',
    ],
  );
});

test('a reg count under default cell sizes is only a warning (the sizes are not stated)', (t) => {
  t.deepEqual(
    check(
      '<board name="w">',
      '  <node name="/" _address-cells="1" _size-cells="1">',
      '    <node name="i2c@3000" reg="0x3000 0x14"><node name="rtc@68"><prop name="reg" cells="0x68"/></node></node>',
      '  </node>',
      '</board>',
    ),
    [
      'c.xml:3:65: warning: reg of /i2c@3000/rtc@68 has 1 cells, not a multiple of 3 (#address-cells = <2> + #size-cells = <1> of /i2c@3000); #address-cells/#size-cells are not stated, so the defaults 2 and 1 apply',
    ],
  );
});

test('#…-cells properties must be one number', (t) => {
  t.deepEqual(check('<board name="c">', '  <node name="/" _address-cells="two" _size-cells="1 1"/>', '</board>'), [
    'c.xml:2:18: error: bad #address-cells of /: it must be one 32-bit number',
    'c.xml:2:39: error: bad #size-cells of /: it must be one 32-bit number',
  ]);
});

const GIC = '    <node name="gic@8000000" label="gic" interrupt-controller="" _interrupt-cells="3" reg="0x8000000 0x1000"/>';

test('an interrupt specifier must fit the #interrupt-cells of the interrupt parent it inherits', (t) => {
  t.deepEqual(
    check(
      '<board name="i">',
      '  <node name="/" _address-cells="1" _size-cells="1" interrupt-parent="&amp;gic">',
      GIC,
      '    <node name="soc" _address-cells="1" _size-cells="1" ranges="">',
      '      <node name="uart@1000" reg="0x1000 0x100" interrupts="0 1"/>',
      '    </node>',
      '  </node>',
      '</board>',
    ),
    ['c.xml:5:49: error: interrupts of /soc/uart@1000 has 2 cells, not a multiple of #interrupt-cells = <3> of its interrupt parent /gic@8000000'],
  );
});

test('interrupts-extended specifiers must fit each controller', (t) => {
  t.deepEqual(
    check(
      '<board name="i">',
      '  <node name="/" _address-cells="1" _size-cells="1">',
      GIC,
      '    <node name="dev" interrupts-extended="&amp;gic 0 1 4 &amp;gic 0 2"/>',
      '  </node>',
      '</board>',
    ),
    ['c.xml:4:22: error: interrupts-extended of /dev: the specifier for /gic@8000000 needs #interrupt-cells = <3> numbers, found 2'],
  );
});

test('an interrupt-parent that is not an interrupt-controller is an error at it', (t) => {
  t.deepEqual(
    check(
      '<board name="i">',
      '  <node name="/" _address-cells="1" _size-cells="1">',
      GIC,
      '    <node name="clk" label="clk" _clock-cells="0"/>',
      '    <node name="uart@1000" reg="0x1000 0x100" interrupt-parent="&amp;clk" interrupts="5"/>',
      '  </node>',
      '</board>',
    ),
    ['c.xml:5:47: error: interrupt-parent of /uart@1000 names /clk, which is not an interrupt-controller'],
  );
});

test('interrupts without any interrupt parent, or a parent without #interrupt-cells, are errors', (t) => {
  t.deepEqual(
    check(
      '<board name="i">',
      '  <node name="/" _address-cells="1" _size-cells="1">',
      '    <node name="pic" label="pic" interrupt-controller=""/>',
      '    <node name="uart@1000" reg="0x1000 0x100" interrupts="5"/>',
      '    <node name="uart@2000" reg="0x2000 0x100" interrupt-parent="&amp;pic" interrupts="5"/>',
      '  </node>',
      '</board>',
    ),
    [
      'c.xml:4:47: error: interrupts of /uart@1000: no interrupt parent (set interrupt-parent on it or an ancestor)',
      'c.xml:5:75: error: interrupts of /uart@2000: interrupt parent /pic has no #interrupt-cells',
    ],
  );
});

test('a numeric interrupt-parent naming no phandle, and interrupts-extended naming a non-controller, are errors', (t) => {
  t.deepEqual(
    check(
      '<board name="i">',
      '  <node name="/" _address-cells="1" _size-cells="1">',
      GIC,
      '    <node name="clk" label="clk" _interrupt-cells="1"/>',
      '    <node name="a" interrupt-parent="0x99" interrupts="1"/>',
      '    <node name="b" interrupts-extended="&amp;clk 1"/>',
      '  </node>',
      '</board>',
    ),
    [
      'c.xml:5:20: error: no node has phandle 0x99',
      'c.xml:6:20: error: interrupts-extended of /b names /clk, which is not an interrupt-controller',
    ],
  );
});

test('two nodes with the same explicit phandle are an error', (t) => {
  t.deepEqual(check('<board name="p">', '  <node name="/">', '    <node name="a" phandle="5"/>', '    <node name="b" phandle="5"/>', '  </node>', '</board>'), [
    'c.xml:4:20: error: duplicate phandle 0x5: /b and /a',
  ]);
});

test('every error of a file is reported in one run, in order of position', (t) => {
  const found = check(
    '<board name="all">',
    '  <node name="/" _address-cells="1" _size-cells="1" x="0x100000000">',
    '    <node name="a" label="dup" reg="0 0x100" refs="&amp;missing"/>',
    '    <node name="b" label="dup" reg="0x80 0x100"/>',
    '    <node name="a"/>',
    '  </node>',
    '  <firmware elf="no-such.elf"/>',
    '  <vm name="guest" memory="16M" paging="fast"/>',
    '</board>',
  );
  t.deepEqual(found, [
    'c.xml:2:56: error: 0x100000000 does not fit in a 32-bit cell',
    "c.xml:3:52: error: reference to missing label 'missing'",
    "c.xml:4:27: error: duplicate label 'dup': /b and /a (c.xml:3:27) both carry it",
    'c.xml:4:32: error: overlapping MMIO regions: /b at 0x80..0x17f and /a at 0x0..0xff',
    "c.xml:5:11: error: duplicate node name 'a' in / (first at line 3, column 11)",
    "c.xml:7:13: error: missing firmware file 'no-such.elf' (no-such.elf)",
    "c.xml:8:33: error: bad paging 'fast' (nested or shadow)",
  ]);
});
