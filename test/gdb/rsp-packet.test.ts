import test from 'ava';
import { checksum, escapeBinary, framePacket, runLengthEncode, unescapeBinary } from '../../src/gdb/RspPacket.ts';
import { RspPacketReader, type RspInput } from '../../src/gdb/RspPacketReader.ts';
import { RspConnection } from '../../src/gdb/RspConnection.ts';

/**
 * The packet layer against the GDB manual's Remote Protocol "Overview":
 * `$data#cc` with cc the byte sum modulo 256, '}' escapes (byte XOR 0x20),
 * run-length encoding (`X*N`: N - 29 more copies), '+'/'-' acknowledgements
 * and Ctrl-C as a bare 0x03.
 */

function bytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function read(text: string, maxPayload = 100): RspInput[] {
  const out: RspInput[] = [];
  new RspPacketReader((i) => out.push(i), maxPayload).push(bytes(text));
  return out;
}

/** The decoder the manual describes, written independently of the encoder. */
function runLengthDecode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '*') {
      const n = text.charCodeAt(++i) - 29;
      out += out[out.length - 1]!.repeat(n);
    } else out += text[i];
  }
  return out;
}

test('checksums are the byte sum modulo 256 in two lower-case hex digits', (t) => {
  t.is(framePacket('OK'), '$OK#9a'); // 0x4f + 0x4b
  t.is(framePacket('g'), '$g#67');
  t.is(framePacket('?'), '$?#3f');
  t.is(framePacket(''), '$#00');
  t.is(framePacket('m0,4'), '$m0,4#fd'); // 0x6d + 0x30 + 0x2c + 0x34
  t.is(checksum('\xff\xff'), 0xfe, 'modulo 256');
});

test("binary escapes: '#', '$', '*' and '}' become '}' and the byte XOR 0x20; other bytes pass", (t) => {
  t.is(escapeBinary(Uint8Array.of(0x7d)), '}]'); // the manual's example: 0x7d as 0x7d 0x5d
  t.is(escapeBinary(Uint8Array.of(0x23, 0x24, 0x2a)), '}\x03}\x04}\x0a');
  t.is(escapeBinary(Uint8Array.of(0x00, 0x41, 0xff, 0x03)), '\x00A\xff\x03');
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  t.deepEqual(unescapeBinary(escapeBinary(all)), all);
  t.is(unescapeBinary('ab}'), null, 'an escape cut off at the end');
});

test('run-length encoding: the manual\'s "0* " is four zeros; counts never use # or $ or exceed ~', (t) => {
  t.is(runLengthEncode('0000'), '0* ');
  t.is(runLengthEncode('000'), '000', 'too short to gain');
  // 7 zeros would need 6 repeats = '#' (35): written as 5 repeats plus one zero.
  t.is(runLengthEncode('0000000'), '0*"0');
  t.is(runLengthEncode('00000000'), '0*"00');
  for (const n of [4, 6, 7, 8, 9, 50, 97, 98, 99, 200, 1000]) {
    const text = `a${'0'.repeat(n)}b${'f'.repeat(n + 1)}`;
    const encoded = runLengthEncode(text);
    t.is(runLengthDecode(encoded), text, `run of ${n}`);
    for (let i = 0; i < encoded.length; i++) {
      if (encoded[i] !== '*') continue;
      const count = encoded.charCodeAt(i + 1);
      t.true(count >= 32 && count <= 126 && count !== 35 && count !== 36, `count byte ${count}`);
    }
  }
  t.is(runLengthEncode('}0000'), '}0000', 'text with special characters is left alone');
});

test('the reader splits packets, acknowledgements and Ctrl-C, across arbitrary chunk boundaries', (t) => {
  const stream = '+$g#67-\x03$m0,4#fd';
  const expected: RspInput[] = [
    { kind: 'ack' },
    { kind: 'packet', payload: 'g' },
    { kind: 'nak' },
    { kind: 'interrupt' },
    { kind: 'packet', payload: 'm0,4' },
  ];
  t.deepEqual(read(stream), expected);
  for (let cut = 1; cut < stream.length; cut++) {
    const out: RspInput[] = [];
    const reader = new RspPacketReader((i) => out.push(i), 100);
    reader.push(bytes(stream.slice(0, cut)));
    reader.push(bytes(stream.slice(cut)));
    t.deepEqual(out, expected, `cut at ${cut}`);
  }
});

test('the reader reports bad checksums, overlong packets, and restarts at a $ inside a packet', (t) => {
  t.deepEqual(read('$g#00'), [{ kind: 'bad-checksum' }]);
  t.deepEqual(read('$g#zz'), [{ kind: 'bad-checksum' }]);
  t.deepEqual(read('$g#6'), [], 'incomplete: nothing yet');
  t.deepEqual(read('$12345#f5', 4), [{ kind: 'overlong' }]);
  t.deepEqual(read('$1234#ca', 4), [{ kind: 'packet', payload: '1234' }]);
  t.deepEqual(read('$garb$g#67'), [{ kind: 'packet', payload: 'g' }]);
  t.deepEqual(read('noise\r\n$?#3f'), [{ kind: 'packet', payload: '?' }]);
  t.deepEqual(read('$X0,1:}]#f9'), [{ kind: 'packet', payload: 'X0,1:}]' }], 'escapes are left for the command');
});

test('the connection acknowledges, asks for resends, resends on -, and stops acknowledging in no-ack mode', (t) => {
  const wire: string[] = [];
  const seen: string[] = [];
  const c = new RspConnection((s) => wire.push(s), {
    packet: (p) => seen.push(p),
    malformed: () => seen.push('<malformed>'),
    interrupt: () => seen.push('<interrupt>'),
  }, 8);
  c.receive(bytes('$g#67'));
  t.deepEqual(wire, ['+']);
  t.deepEqual(seen, ['g']);
  c.send('0000');
  t.is(wire.at(-1), framePacket('0* '), 'replies are run-length encoded');
  c.receive(bytes('-'));
  t.is(wire.at(-1), framePacket('0* '), 'resent after -');
  c.receive(bytes('$g#00'));
  t.is(wire.at(-1), '-', 'bad checksum: asked again');
  t.deepEqual(seen, ['g']);
  c.receive(bytes('$123456789#dd'));
  t.deepEqual(seen, ['g', '<malformed>'], 'over PacketSize');
  c.stopAcknowledging();
  t.false(c.acknowledging);
  const before = wire.length;
  c.receive(bytes('$g#67$g#00\x03'));
  t.is(wire.length, before, 'no + or - any more');
  t.deepEqual(seen, ['g', '<malformed>', 'g', '<malformed>', '<interrupt>']);
  c.sendBinary('l', Uint8Array.of(0x24, 0x30, 0x30, 0x30, 0x30));
  t.is(wire.at(-1), framePacket('l}\x040000'), 'binary replies are escaped, never run-length encoded');
});
