import test from 'ava';
import { SymbolTable, type SymbolDefinition } from '../../src/loader/SymbolTable.ts';

const fn = (name: string, address: number, size: number, extra: Partial<SymbolDefinition> = {}): SymbolDefinition => ({
  name, address, size, kind: 'function', global: true, ...extra,
});
const label = (name: string, address: number, limit?: number, extra: Partial<SymbolDefinition> = {}): SymbolDefinition => ({
  name, address, size: 0, kind: 'label', global: true, limit, ...extra,
});

test('lookup: start of a symbol is its bare name, inside it name+0xoffset, past its end nothing', (t) => {
  const table = new SymbolTable([fn('main', 0x1000, 0x40), fn('helper', 0x1080, 0x10)]);
  t.is(table.lookup(0x1000), 'main');
  t.is(table.lookup(0x1012), 'main+0x12');
  t.is(table.lookup(0x103f), 'main+0x3f');
  t.is(table.lookup(0x1040), undefined); // the padding between main and helper
  t.is(table.lookup(0x108f), 'helper+0xf');
  t.is(table.lookup(0x0fff), undefined);
  t.is(table.lookup(0x1090), undefined);
});

test('lookup: nested sized symbols answer with the innermost', (t) => {
  const table = new SymbolTable([
    { name: 'big_table', address: 0x2000, size: 0x100, kind: 'object', global: true },
    { name: 'inner', address: 0x2040, size: 0x10, kind: 'object', global: true },
  ]);
  t.is(table.lookup(0x2044), 'inner+0x4');
  t.is(table.lookup(0x2050), 'big_table+0x50');
  t.is(table.lookup(0x203f), 'big_table+0x3f');
});

test('lookup: an unsized label reaches to the next symbol or the end of its section', (t) => {
  const table = new SymbolTable([
    label('_start', 0x4010_0000, 0x4010_0100),
    label('vectors', 0x4010_0040, 0x4010_0100),
    fn('c_entry', 0x4010_0080, 0x20),
  ]);
  t.is(table.lookup(0x4010_0000), '_start');
  t.is(table.lookup(0x4010_003c), '_start+0x3c');
  t.is(table.lookup(0x4010_0044), 'vectors+0x4');
  t.is(table.lookup(0x4010_0084), 'c_entry+0x4');
  // After c_entry's end the nearest symbol is sized and over: nothing, not "vectors+0x60".
  t.is(table.lookup(0x4010_00a0), undefined);
  const alone = new SymbolTable([label('loop', 0x100, 0x110)]);
  t.is(alone.lookup(0x10f), 'loop+0xf');
  t.is(alone.lookup(0x110), undefined);
});

test('lookup: at one address a function wins over a label, a global over a local', (t) => {
  const table = new SymbolTable([
    label('reset_label', 0x100, 0x200),
    fn('local_fn', 0x100, 0x20, { global: false }),
    fn('reset', 0x100, 0x20),
  ]);
  t.is(table.lookup(0x104), 'reset+0x4');
});

test('addressOf: by name; a global wins over a local of the same name; absolute symbols are names only', (t) => {
  const table = new SymbolTable([
    fn('count', 0x10, 4, { global: false, kind: 'object' }),
    fn('count', 0x20, 4, { kind: 'object' }),
    { name: '__stack_top', address: 0x4800_0000, size: 0, kind: 'label', global: true, addressOnly: true },
  ]);
  t.is(table.addressOf('count'), 0x20);
  t.is(table.addressOf('__stack_top'), 0x4800_0000);
  t.is(table.addressOf('missing'), undefined);
  t.is(table.lookup(0x4800_0000), undefined);
  t.is(table.size, 2);
});

test('an empty table answers nothing', (t) => {
  const table = new SymbolTable();
  t.is(table.lookup(0), undefined);
  t.is(table.addressOf('main'), undefined);
  t.deepEqual(table.all(), []);
});
