import test from 'ava';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadBoard } from '../../dts/board/BoardLoader.ts';
import { formatDiagnostic, InputError } from '../../dts/model/SourcePos.ts';
import { buildMachine } from '../../src/board/MachineBuilder.ts';
import { attachGuestConsoles, describeVms } from '../../src/board/VmBuilder.ts';
import { runCli } from '../cli/CliRunner.ts';

const BOARDS = resolve('boards');

/**
 * QEMU's virt machine with `cores` host cores (only core 0 starts) running
 * `hostElf`, and one 64 MiB VM "g" running `guestElf` on virt-guest with the
 * PL011 as its console; `vmAttribute` goes on the <vm> element, which is on
 * line 8 (error positions in tests count on it).
 */
function oneVmBoard(name: string, hostElf: string, cores: number, vmAttribute: string, guestElf: string): string {
  const cpus = Array.from({ length: cores }, (_, i) => `<node name="cpu@${i}" device_type="cpu" compatible="arm,cortex-a15" reg="${i}"/>`).join('');
  return `<board name="${name}">
  <include href="${resolve('dts/arm/qemu-virt.xml')}"/>
  <firmware elf="${join(BOARDS, 'firmware/arm', hostElf)}"/>
  <node name="/">
    <node name="memory@40000000" device_type="memory" reg="0x40000000 64M"/>
    <node name="cpus" _address-cells="1" _size-cells="0">${cpus}</node>
  </node>
  <vm name="g" memory="64M" ${vmAttribute}>
    <include href="${resolve('dts/arm/virt-guest.xml')}"/>
    <firmware elf="${join(BOARDS, 'firmware/arm', guestElf)}" dtb-address="0x40000000" dtb-register="r2"/>
    <console uart="&amp;uart0"/>
    <node name="/"><node name="memory@40000000" device_type="memory" reg="0x40000000 64M"/></node>
  </vm>
</board>
`;
}
const PHONE = join(BOARDS, 'phone.xml');

function load(path: string) {
  const { board, diagnostics } = loadBoard(path);
  if (board === undefined) throw new Error(diagnostics.map(formatDiagnostic).join('\n'));
  return board;
}

/** Build a board and run it to its end; host console text and the guests' prefixed text. */
function runBoard(path: string) {
  const built = buildMachine(load(path));
  const host: number[] = [];
  built.consoleDevice?.attachBackend({ transmit: (b) => host.push(b) });
  let guests = '';
  const consoles = attachGuestConsoles(built.vms, (t) => (guests += t));
  const result = built.machine.run({ maxInstructions: 50_000_000 });
  for (const c of consoles) c.flush();
  return { built, result, host: String.fromCharCode(...host), guests };
}

/** phone.xml with other guest firmware, written beside a temporary copy (paths made absolute). */
function phoneWith(guestFirmware: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-phone-'));
  const text = readFileSync(PHONE, 'utf8')
    .replaceAll('href="../dts/', `href="${resolve('dts')}/`)
    .replaceAll('elf="firmware/arm/phone-guest.elf"', `elf="${join(BOARDS, 'firmware/arm', guestFirmware)}"`)
    .replaceAll('elf="firmware/arm/phone-host.elf"', `elf="${join(BOARDS, 'firmware/arm/phone-host.elf')}"`);
  const path = join(dir, 'phone.xml');
  writeFileSync(path, text);
  return path;
}

test('phone.xml builds two guests beside the host', (t) => {
  const built = buildMachine(load(PHONE), { dryRun: true });
  t.deepEqual(
    built.vms?.vmms.map((v) => [v.spec.name, v.vm.paging, v.vm.vcpus.length, v.spec.memory]),
    [
      ['guest-nested', 'nested', 1, 64 << 20],
      ['guest-shadow', 'shadow', 1, 64 << 20],
    ],
  );
  t.regex(built.summary, /2 VMs/);
});

test('both guests run the phone guest OS, prefixed, identically under nested and shadow paging, and power off alone', (t) => {
  const { built, result, host, guests } = runBoard(PHONE);
  t.is(result.kind, 'poweroff');
  // The host kernel (phone-host) ends the run once its tasks have exited.
  t.regex(host, /^All tasks finished; power off\r\n/m);
  // uart_puts sends CR LF; the prefix starts each line, after the LF.
  const lines = (name: string) => guests.split('\r\n').filter((l) => l.startsWith(`[${name}] `)).map((l) => l.slice(name.length + 3));
  const nested = lines('guest-nested');
  t.is(nested[0], 'Booting tskvm phone guest OS');
  t.is(nested.at(-1), 'All processes finished; power off');
  t.true(nested.includes('[A.1] step 1/5: 0x10000000 reads 0xa0a0a0a0, process counter 1, heap 0x10040000 sum 0x27ea1e00'));
  t.true(nested.includes('[B.1] step 1/5: 0x10000000 reads 0xb0b0b0b0, process counter 1, heap 0x10040000 sum 0xdeaa7e00'));
  t.deepEqual(lines('guest-shadow'), nested, 'the same guest prints the same under either paging mode');
  const status = built.vms!.manager.status();
  t.deepEqual(status.map((s) => s.state), ['powered-off', 'powered-off']);
  for (const s of status) {
    // The guest prints through the PL011 (an MMIO exit per register access) and ends with one SYSTEM_OFF event.
    t.true((s.exits.mmio ?? 0) >= nested.join('\n').length, `${s.name}: ${JSON.stringify(s.exits)}`);
    t.is(s.exits['system-event'], 1);
    t.true(s.instructions > 0);
  }
  const [n, sh] = built.vms!.vmms.map((v) => v.vm.pagingCounters);
  // Nested: every walk goes through the VM's stage 2 tables. Shadow: the guest's 8 page-table updates
  // (4 heap pages mapped on first touch, unmapped when the processes exit) hit write-protected table
  // pages; the unmaps overwrite live entries, whose shadows are resynced (dropped).
  t.true(n!.walks > 0 && n!.stage2Faults > 0 && n!.memoryReferencesPerWalk >= 3);
  t.deepEqual([n!.shadowFills, n!.shadowSyncs, n!.writeProtectFaults], [0, 0, 0]);
  t.true(sh!.shadowFills > 0 && sh!.shadowSyncs > 0);
  t.is(sh!.writeProtectFaults, 8);
  t.is(sh!.stage2Faults, 0);
  const summary = describeVms(built.vms);
  t.regex(summary[0]!, /^vm guest-nested: powered-off .*exits: intr \d+, mmio \d+, system-event 1; nested paging: \d+ walks, \d+\.\d\d references\/walk, \d+ stage-2 faults$/);
  t.regex(summary[1]!, /^vm guest-shadow: powered-off .*shadow paging: \d+ fills, \d+ syncs, 0 zaps, 8 write-protect faults$/);
});

test('with the MMU on in the guests, nested paging counts walks and shadow paging fills and syncs shadows', (t) => {
  const { built, guests } = runBoard(phoneWith('mmu.elf'));
  // mmu.elf checks its own translations (sections, small pages, permission faults, ATS1CPR): it must pass under both modes.
  t.regex(guests, /^\[guest-nested\] SUMMARY mmu: \d+ passed, 0 failed\r\n/m);
  t.regex(guests, /^\[guest-shadow\] SUMMARY mmu: \d+ passed, 0 failed\r\n/m);
  const [nested, shadow] = built.vms!.vmms.map((v) => v.vm.pagingCounters);
  // Nested: the core walks the guest's stage 1 itself (each walk reads at least one descriptor); no shadow tables exist.
  t.true(nested!.walks > 0);
  t.true(nested!.memoryReferencesPerWalk >= 1);
  t.deepEqual([nested!.shadowFills, nested!.shadowSyncs, nested!.writeProtectFaults], [0, 0, 0]);
  // Shadow: tskvm walks the guest tables to fill shadow entries; the guest editing its tables
  // (mmu.elf remaps pages) stores to write-protected table pages, which resyncs the entries.
  t.true(shadow!.shadowFills > 0);
  t.true(shadow!.writeProtectFaults > 0);
  t.true(shadow!.shadowSyncs > 0);
});

test('a board without <vm> has no guests', (t) => {
  const built = buildMachine(load(join(BOARDS, 'virt-arm.xml')), { dryRun: true });
  t.is(built.vms, undefined);
  t.deepEqual(describeVms(built.vms), []);
  t.notRegex(built.summary, /VM/);
});

test('a guest whose memory nodes do not add up to <vm memory> is an error at its place in the board file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-phone-'));
  const path = join(dir, 'bad.xml');
  writeFileSync(path, readFileSync(phoneWith('hello.elf'), 'utf8').replace('reg="0x40000000 64M"/>', 'reg="0x40000000 32M"/>'));
  const e = t.throws(() => buildMachine(load(path), { dryRun: true }), { instanceOf: InputError }) as InputError;
  const text = e.diagnostics.map(formatDiagnostic).join('\n');
  t.regex(text, /bad\.xml:\d+:\d+: error: VM "guest-nested": its memory nodes add up to 33554432 bytes but the <vm> asks for 67108864/);
});

test('a guest on a board whose core has no guest support is an error at the <vm>', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-vm-'));
  const path = join(dir, 'nocpu.xml');
  writeFileSync(
    path,
    `<board name="nocpu">
  <node name="/" _address-cells="1" _size-cells="1"/>
  <vm name="g" memory="64K">
    <node name="/" _address-cells="1" _size-cells="1">
      <node name="memory@40000000" device_type="memory" reg="0x40000000 64K"/>
    </node>
  </vm>
</board>`,
  );
  const e = t.throws(() => buildMachine(load(path), { dryRun: true }), { instanceOf: InputError }) as InputError;
  t.regex(e.diagnostics.map(formatDiagnostic).join('\n'), /nocpu\.xml:3:\d+: error: VM "g": guests need a host core with virtualization support/);
});

test('a missing guest firmware file is an error at its <firmware>', (t) => {
  const path = phoneWith('no-such.elf');
  const { board, diagnostics } = loadBoard(path);
  t.is(board, undefined);
  t.regex(diagnostics.map(formatDiagnostic).join('\n'), /phone\.xml:\d+:\d+: error: .*no-such\.elf/);
});

test('tskvm-board check and run phone.xml: host and guest output on stdout, one summary line per VM on stderr', (t) => {
  const check = runCli(['check', 'boards/phone.xml']);
  t.is(check.status, 0, check.stderr);
  t.regex(check.stdout + check.stderr, /2 VMs \(guest-nested: nested, guest-shadow: shadow\)/);
  const r = runCli(['run', 'boards/phone.xml']);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /^\[task 1\] done: /m);
  t.regex(r.stdout, /^All tasks finished; power off\r?$/m);
  t.regex(r.stdout, /^\[guest-nested\] All processes finished; power off\r?$/m);
  t.regex(r.stdout, /^\[guest-shadow\] All processes finished; power off\r?$/m);
  t.regex(r.stderr, /^tskvm-board: vm guest-nested: powered-off .*; \d+ instructions; exits: intr \d+, mmio \d+, system-event 1; nested paging: \d+ walks/m);
  t.regex(r.stderr, /^tskvm-board: vm guest-shadow: powered-off .*; shadow paging: \d+ fills, \d+ syncs, \d+ zaps, \d+ write-protect faults$/m);
  t.regex(r.stderr, /^tskvm-board: PSCI SYSTEM_OFF; /m);
  // The summary's rate counts the VMs' instructions too: their sum, from the VM lines.
  const vmInstructions = [...r.stderr.matchAll(/^tskvm-board: vm [\w-]+: .*?; (\d+) instructions;/gm)].reduce((n, m) => n + Number(m[1]), 0);
  t.true(vmInstructions > 0);
  t.regex(r.stderr, new RegExp(`^tskvm-board: PSCI SYSTEM_OFF; \\d+ instructions, .* MIPS; [\\d.]+ MIPS with the VMs' ${vmInstructions} instructions\\)$`, 'm'));
});

test('<vm ends-run="true">: the VM powering off ends the run with its exit code; other values are errors at the attribute', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-ends-run-'));
  const board = (endsRun: string) => oneVmBoard('ends', 'bench-idle.elf', 1, `ends-run="${endsRun}"`, 'hello.elf');
  const path = join(dir, 'ends.xml');
  writeFileSync(path, board('true'));
  const built = buildMachine(load(path));
  let guest = '';
  attachGuestConsoles(built.vms, (text) => (guest += text));
  const result = built.machine.run({ maxInstructions: 20_000_000 });
  t.regex(guest, /Hello from tskvm/);
  // The host only waits for interrupts; without ends-run the run would end idle, not powered off.
  t.deepEqual(result, { kind: 'poweroff', exitCode: 0, message: 'VM g powered off (exit code 0), which ends the run' });

  writeFileSync(path, board('yes'));
  const { diagnostics } = loadBoard(path);
  t.regex(diagnostics.map(formatDiagnostic).join('\n'), /ends\.xml:8:29: error: ends-run must be "true" or "false", not "yes"/);
});

test('guest console prefixes can be dressed per VM (the CLI colours them on a terminal); piped output stays plain', (t) => {
  const built = buildMachine(load(PHONE));
  let text = '';
  const consoles = attachGuestConsoles(built.vms, (s) => (text += s), (prefix, i) => `<${i}>${prefix}`);
  built.machine.run({ maxInstructions: 3_000_000 });
  for (const c of consoles) c.flush();
  t.regex(text, /^<0>\[guest-nested\] Booting tskvm phone guest OS\r\n/m);
  t.regex(text, /^<1>\[guest-shadow\] Booting tskvm phone guest OS\r\n/m);
  const r = runCli(['run', 'boards/phone.xml']);
  t.notRegex(r.stdout, /\x1b\[/, 'no colour codes when stdout is not a terminal');
});

test('<vm cpus="…"> pins vCPUs to host cores: on a second core a guest runs beside the host instead of sharing its core', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tskvm-pin-'));
  const board = (cpus: string) => oneVmBoard('pin', 'bench.elf', 2, `cpus="${cpus}"`, 'bench.elf');
  const path = join(dir, 'pin.xml');
  // Both the host (core 0; core 1 stays off) and the guest run the CPU-bound bench: 1 instruction per ns each when alone.
  const run = (cpus: string) => {
    writeFileSync(path, board(cpus));
    const built = buildMachine(load(path));
    built.machine.run({ maxTimeNs: 5_000_000 });
    return { host: built.cpus[0]!.retired, guest: built.vms!.manager.status()[0]!.instructions };
  };
  const apart = run('1');
  const shared = run('0');
  t.true(apart.guest > 4_500_000 && apart.host > 4_500_000, JSON.stringify(apart));
  t.true(shared.guest < 3_000_000 && shared.host < 3_000_000 && shared.guest + shared.host > 4_500_000, JSON.stringify(shared));
  writeFileSync(path, board('2'));
  const e = t.throws(() => buildMachine(load(path)), { instanceOf: InputError }) as InputError;
  t.regex(e.diagnostics.map(formatDiagnostic).join('\n'), /pin\.xml:8:29: error: VM "g": cpus names host core 2, but the board has 2 cores/);
  writeFileSync(path, board('one'));
  t.regex(loadBoard(path).diagnostics.map(formatDiagnostic).join('\n'), /pin\.xml:8:29: error: cpus must list host core numbers/);
});
