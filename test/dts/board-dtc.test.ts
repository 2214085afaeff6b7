import test, { type ExecutionContext } from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBoard, parseBoardText } from '../../dts/board/BoardLoader.ts';
import type { DeviceTree } from '../../dts/model/DeviceTree.ts';
import { PhandleIndex } from '../../dts/model/Phandles.ts';
import { encodeValue } from '../../dts/model/PropertyValue.ts';
import { formatDiagnostic } from '../../dts/model/SourcePos.ts';

/**
 * The same tree written by hand twice, as .dts and as board XML: dtc compiles the .dts and
 * fdtget (both from Debian's device-tree-compiler) reads each property's bytes back from
 * the blob; our loader and encodeValue must give the same bytes, the same properties in the
 * same order, and the same phandle numbers.
 */
const DTS = String.raw`/dts-v1/;
/ {
	#address-cells = <2>;
	#size-cells = <2>;
	model = "linux,dummy-virt";
	compatible = "linux,dummy-virt";
	interrupt-parent = <&gic>;

	memory@40000000 {
		device_type = "memory";
		reg = <0x0 0x40000000 0x0 0x10000000>;
	};

	gic: intc@8000000 {
		compatible = "arm,cortex-a15-gic";
		interrupt-controller;
		#interrupt-cells = <3>;
		reg = <0x0 0x8000000 0x0 0x10000>, <0x0 0x8010000 0x0 0x10000>;
	};

	soc {
		compatible = "simple-bus";
		#address-cells = <1>;
		#size-cells = <1>;
		ranges = <0x0 0x1 0x0 0x1000000>;
		dma-ranges;

		uart0: serial@1000 {
			compatible = "ns16550a";
			reg = <0x1000 0x100>;
			interrupts = <0 1 4>;
			clocks = <&clk &clk>;
			clock-names = "uartclk", "apb_pclk";
			reg-shift = <2>;
			current-speed = <115200>;
		};
	};

	cpus {
		#address-cells = <1>;
		#size-cells = <0>;

		cpu@0 {
			device_type = "cpu";
			compatible = "arm,cortex-a15";
			reg = <0>;
			enable-method = "psci";
			arm,cpu-registers-not-fw-configured;
		};
	};

	clk: apb-pclk {
		compatible = "fixed-clock";
		#clock-cells = <0>;
		clock-frequency = <24000000>;
		clock-output-names = "clk24mhz";
	};

	kinds {
		u8 = /bits/ 8 <0x12 0xff>;
		u16 = /bits/ 16 <0xabcd 1>;
		u64 = /bits/ 64 <0x100000000 0xffffffffffffffff>;
		bytes = [00 1a ff];
		mixed = "a", <1>, [02];
		neg = <(-1) (-2)>;
		where = &uart0;
		path2 = &{/soc/serial@1000};
		refs = <&uart0 7 &{/kinds}>;
		empty-string = "";
		sizes = <0x1000 0x100000 0x10000000 0x80000000>;
		bin = <0xb>;
		strings = "with space", "b";
	};

	chosen {
		bootargs = "console=ttyAMA0 root=/dev/vda rw";
		stdout-path = "/soc/serial@1000";
	};
};
`;

const XML = `<?xml version="1.0"?>
<board name="dtc-compare">
  <node name="/" _address-cells="2" _size-cells="2" model="linux,dummy-virt" compatible="linux,dummy-virt"
        interrupt-parent="&amp;gic">
    <node name="memory@40000000" device_type="memory" reg="0x40000000 256M"/>
    <node name="intc@8000000" label="gic" compatible="arm,cortex-a15-gic" interrupt-controller=""
          _interrupt-cells="3" reg="0x8000000 64K 0x8010000 64K"/>
    <node name="soc" compatible="simple-bus" _address-cells="1" _size-cells="1" ranges="0 0x100000000 16M"
          dma-ranges="">
      <node name="serial@1000" label="uart0" compatible="ns16550a" reg="0x1000 0x100" interrupts="0 1 4"
            clocks="&amp;clk &amp;clk" clock-names="uartclk apb_pclk" reg-shift="2" current-speed="115200"/>
    </node>
    <node name="cpus" _address-cells="1" _size-cells="0">
      <node name="cpu@0" device_type="cpu" compatible="arm,cortex-a15" reg="0" enable-method="psci"
            arm.cpu-registers-not-fw-configured=""/>
    </node>
    <node name="apb-pclk" label="clk" compatible="fixed-clock" _clock-cells="0" clock-frequency="24000000"
          clock-output-names="clk24mhz"/>
    <node name="kinds">
      <prop name="u8"><cells bits="8">0x12 0xff</cells></prop>
      <prop name="u16"><cells bits="16">0xabcd 1</cells></prop>
      <prop name="u64" u64="0x100000000 0xffffffffffffffff"/>
      <prop name="bytes" bytes="00 1a ff"/>
      <prop name="mixed"><string>a</string><cells>1</cells><bytes>02</bytes></prop>
      <prop name="neg" cells="-1 -2"/>
      <prop name="where"><pathref>&amp;uart0</pathref></prop>
      <prop name="path2"><pathref>&amp;{/soc/serial@1000}</pathref></prop>
      <prop name="refs" cells="&amp;uart0 7 &amp;{/kinds}"/>
      <prop name="empty-string" string=""/>
      <prop name="sizes" cells="4K 1M 256M 2G"/>
      <prop name="bin" cells="0b1011"/>
      <prop name="strings"><string>with space</string><string>b</string></prop>
    </node>
    <node name="chosen" bootargs="console=ttyAMA0 root=/dev/vda rw" stdout-path="/soc/serial@1000"/>
  </node>
</board>
`;

function hasTools(): boolean {
  try {
    execFileSync('dtc', ['--version'], { stdio: 'ignore' });
    execFileSync('fdtget', ['--help'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Compiles `dts` with dtc and checks that `tree` has the same nodes, properties and bytes. */
function compareWithDtc(t: ExecutionContext, dts: string, tree: DeviceTree): void {
  t.true(hasTools(), 'dtc and fdtget are installed (Debian package device-tree-compiler)');
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-board-dtc-'));
  const source = join(dir, 'b.dts');
  const dtb = join(dir, 'b.dtb');
  writeFileSync(source, dts);
  execFileSync('dtc', ['-q', '-I', 'dts', '-O', 'dtb', '-o', dtb, source]);
  const index = PhandleIndex.build(tree);
  const nodes = [...tree.root.walk()];
  for (const node of nodes) {
    // fdtget -p lists a node's property names in blob order.
    const names = execFileSync('fdtget', ['-p', dtb, node.path]).toString().split('\n').filter((l) => l !== '');
    t.deepEqual(
      node.properties.map((p) => p.name),
      names,
      `properties of ${node.path}`,
    );
    const children = execFileSync('fdtget', ['-l', dtb, node.path]).toString().split('\n').filter((l) => l !== '');
    t.deepEqual(
      node.children.map((c) => c.name),
      children,
      `children of ${node.path}`,
    );
  }
  // One fdtget call for every property: -t bx prints each value's bytes in hex, one line each.
  const pairs = nodes.flatMap((n) => n.properties.map((p) => [n.path, p.name] as const));
  const lines = execFileSync('fdtget', ['-t', 'bx', dtb, ...pairs.flat()]).toString().split('\n');
  pairs.forEach(([path, name], i) => {
    const expected = (lines[i] ?? '')
      .split(' ')
      .filter((b) => b !== '')
      .map((b) => b.padStart(2, '0'))
      .join('');
    const prop = tree.nodeAt(path)!.property(name)!;
    const ours = Buffer.from(encodeValue(prop.value, index.phandleOfRef, index.pathOfRef)).toString('hex');
    t.is(ours, expected, `${path} ${name}`);
  });
}

// The device-tree-compiler package is a test dependency (.ci/run installs it).
test('our bytes for every property are the bytes dtc puts in the blob', (t) => {
  const r = parseBoardText(XML, 'b.xml');
  t.deepEqual(r.diagnostics.map(formatDiagnostic), []);
  compareWithDtc(t, DTS, r.board!.tree);
});

/** test/fixtures/boards/board-overrides.xml and its includes, written as one .dts. */
const OVERRIDES_DTS = String.raw`/dts-v1/;
/ {
	apb_pclk: apb-pclk {
		compatible = "fixed-clock";
		#clock-cells = <0>;
		clock-frequency = <24000000>;
	};
};
/ {
	interrupt-parent = <&gic>;
	#address-cells = <1>;
	#size-cells = <1>;
	gic: intc@8000000 {
		compatible = "arm,cortex-a15-gic";
		interrupt-controller;
		#interrupt-cells = <3>;
		reg = <0x8000000 0x10000 0x8010000 0x10000>;
	};
	flash@0 {
		compatible = "cfi-flash";
		reg = <0 0x4000000>;
	};
	uart0: pl011@9000000 {
		compatible = "arm,pl011", "arm,primecell";
		status = "disabled";
		reg = <0x9000000 0x1000>;
		interrupts = <0 1 4>;
		clocks = <&apb_pclk>;
	};
	cpus {
		#address-cells = <1>;
		#size-cells = <0>;
		foo = <1>;
		cpu0: cpu@0 { device_type = "cpu"; reg = <0>; };
		cpu1: cpu@1 { device_type = "cpu"; reg = <1>; };
	};
};
serial0: &uart0 { status = "okay"; };
&{/cpus} {
	/delete-property/ foo;
	/delete-node/ cpu@1;
};
/delete-node/ &{/flash@0};
/ {
	model = "overrides";
	memory@40000000 { device_type = "memory"; reg = <0x40000000 0x10000000>; };
	cpus { cpu@0 { compatible = "arm,cortex-a15"; }; };
};
/ {
	chosen { stdout-path = &serial0; };
};
&uart0 { interrupts = <0 5 4>; };
`;

test('includes, overrides and deletions give the tree dtc builds from the same steps in .dts', (t) => {
  const file = fileURLToPath(new URL('../fixtures/boards/board-overrides.xml', import.meta.url));
  const r = loadBoard(file);
  t.deepEqual(r.diagnostics.map(formatDiagnostic), []);
  compareWithDtc(t, OVERRIDES_DTS, r.board!.tree);
});
