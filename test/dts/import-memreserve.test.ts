import test, { type ExecutionContext } from 'ava';
import { execFileSync } from 'node:child_process';
import { XMLValidator } from 'fast-xml-parser';
import { parseBoardText } from '../../dts/board/BoardLoader.ts';
import { readDtb } from '../../dts/blob/DtbReader.ts';
import { writeDtb } from '../../dts/blob/DtbWriter.ts';
import { DeviceTree } from '../../dts/model/DeviceTree.ts';
import { InputError, formatDiagnostic } from '../../dts/model/SourcePos.ts';
import { writeBoardXml } from '../../dts/print/BoardXmlWriter.ts';

/**
 * `tskvm-board import` keeps the two things of a blob that live outside the structure block:
 * the memory reservation block and the header's boot_cpuid_phys (Devicetree Specification
 * v0.4 sections 5.2, 5.3). Blobs are made by dtc; the round trip goes through the same
 * functions as the command: readDtb → writeBoardXml → parseBoardText → writeDtb.
 */

function dtc(args: string[], input: string | Uint8Array): Buffer {
  return execFileSync('dtc', ['-q', ...args, '-'], { input, maxBuffer: 1 << 24, stdio: ['pipe', 'pipe', 'pipe'] });
}

interface RoundTrip {
  readonly xml: string;
  readonly blob: Buffer;
  readonly warnings: string[];
}

function roundTrip(t: ExecutionContext, original: Uint8Array): RoundTrip {
  const xml = writeBoardXml(readDtb(original, 'in.dtb'), { name: 'imported' });
  t.is(XMLValidator.validate(xml), true, 'well-formed XML');
  const { board, diagnostics } = parseBoardText(xml, 'imported.xml');
  t.deepEqual(diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic), [], 'the imported board loads');
  if (board === undefined) throw new Error('the imported board did not load');
  return { xml, blob: Buffer.from(writeDtb(board.tree)), warnings: diagnostics.map(formatDiagnostic) };
}

/** The memory reservation block of a blob, end marker included (5.3: pairs of 64-bit values ending in 0, 0). */
function reservationBlock(blob: Buffer): Buffer {
  const start = blob.readUInt32BE(0x10); // off_mem_rsvmap
  let end = start;
  while (blob.readBigUInt64BE(end) !== 0n || blob.readBigUInt64BE(end + 8) !== 0n) end += 16;
  return blob.subarray(start, end + 16);
}

const BOOT_CPUID_PHYS = 0x1c;

const DTS = `/dts-v1/;
/memreserve/ 0x10000000 0x4000;
/memreserve/ 0x1234567800000000 0x100000000;
/ {
	#address-cells = <1>;
	#size-cells = <1>;
	model = "memreserve test";
	cpus {
		#address-cells = <1>;
		#size-cells = <0>;
		cpu@0 { device_type = "cpu"; reg = <0>; };
		cpu@2 { device_type = "cpu"; reg = <2>; };
	};
	memory@40000000 { device_type = "memory"; reg = <0x40000000 0x10000000>; };
};
`;

test('a dtc -b 2 blob with two /memreserve/ lines imports to a board that gives the same blob', (t) => {
  const original = dtc(['-b', '2', '-I', 'dts', '-O', 'dtb'], DTS);
  t.is(original.readUInt32BE(BOOT_CPUID_PHYS), 2, 'dtc -b 2 puts 2 in boot_cpuid_phys');
  const { xml, blob, warnings } = roundTrip(t, original);
  t.deepEqual(warnings, []);
  t.regex(xml, /<board name="imported" boot-cpu="2">\n {2}<memreserve address="0x10000000" size="0x4000"\/>\n {2}<memreserve address="0x1234567800000000" size="0x100000000"\/>\n {2}<node name="\/"/);
  // dtc -O dts shows the reservations but not boot_cpuid_phys, so that field is compared directly.
  const asDts = (b: Uint8Array) => dtc(['-I', 'dtb', '-O', 'dts'], b).toString();
  t.is(asDts(blob), asDts(original));
  t.regex(asDts(blob), /\/memreserve\/\t0x0000000010000000 0x0000000000004000;\n\/memreserve\/\t0x1234567800000000 0x0000000100000000;\n/);
  t.is(blob.readUInt32BE(BOOT_CPUID_PHYS), 2);
  t.is(reservationBlock(blob).toString('hex'), reservationBlock(original).toString('hex'));
  t.is(reservationBlock(blob).length, 3 * 16, 'two entries and the end marker');
  t.is(blob.toString('hex'), original.toString('hex'), 'byte for byte');
});

test('the largest boot CPU id and 64-bit reservations survive the round trip', (t) => {
  const dts = '/dts-v1/;\n/memreserve/ 0xffffffffffff0000 0xffff;\n/ { };\n';
  const original = dtc(['-b', '0xffffffff', '-I', 'dts', '-O', 'dtb'], dts);
  const { xml, blob } = roundTrip(t, original);
  t.regex(xml, /<board name="imported" boot-cpu="0xffffffff">\n {2}<memreserve address="0xffffffffffff0000" size="0xffff"\/>/);
  t.is(blob.readUInt32BE(BOOT_CPUID_PHYS), 0xffffffff);
  t.is(blob.toString('hex'), original.toString('hex'));
});

test('a blob without reservations and with boot CPU 0 imports without either', (t) => {
  const original = dtc(['-I', 'dts', '-O', 'dtb'], '/dts-v1/;\n/ { model = "plain"; };\n');
  const { xml, blob } = roundTrip(t, original);
  t.false(xml.includes('memreserve'));
  t.false(xml.includes('boot-cpu'));
  t.is(blob.toString('hex'), original.toString('hex'));
});

test('a zero-size entry in the middle of the list (valid per 5.3, ends the list for libfdt) is kept, with a warning', (t) => {
  const dts = '/dts-v1/;\n/memreserve/ 0x1000 0x10;\n/memreserve/ 0x5000 0;\n/memreserve/ 0x6000 0x20;\n/ { };\n';
  const original = dtc(['-I', 'dts', '-O', 'dtb'], dts);
  t.is(reservationBlock(original).length, 4 * 16, 'dtc writes all three entries and the end marker');
  const { xml, blob, warnings } = roundTrip(t, original);
  t.true(xml.includes('<memreserve address="0x5000" size="0x0"/>'));
  t.is(warnings.length, 1);
  t.regex(warnings[0]!, /^imported\.xml:6:3: warning: memreserve at 0x5000 has size 0/);
  t.is(blob.toString('hex'), original.toString('hex'));
});

test('the writer refuses values no blob can hold instead of writing a board that does not load', (t) => {
  const tree = (reservations: Array<[bigint, bigint]>, bootCpu = 0) => {
    const d = new DeviceTree(undefined, reservations);
    d.bootCpuId = bootCpu;
    return d;
  };
  const refused = (d: DeviceTree) => t.throws(() => writeBoardXml(d, { name: 'x' }), { instanceOf: InputError })?.message;
  t.regex(refused(tree([], 2 ** 32)) ?? '', /boot CPU id 4294967296 is not a 32-bit unsigned number/);
  t.regex(refused(tree([[1n << 64n, 1n]])) ?? '', /is not a 64-bit unsigned number/);
  t.regex(refused(tree([[0x1000n, -1n]])) ?? '', /is not a 64-bit unsigned number/);
  t.regex(refused(tree([[0n, 0n]])) ?? '', /end marker/);
});
