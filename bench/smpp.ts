// Benchmark of the SMPP channel's window (issue 5, item 8).
//
//   node --import tsx bench/smpp.ts [--messages 5000] [--latency 10] [--window 10]
//
// Starts the loopback SMPP peer, which answers every submit_sm after `--latency` ms, and binds one
// transceiver to it. First measures the round trip of one submit at a time (sequential sends), then
// pushes `--messages` sends through the channel at once and measures messages per second. The ceiling
// of one bind with a window of W is W ÷ round trip; the goal is at least 0.9 of it.
import { parseArgs } from 'node:util';
import { createSmppChannel } from '../src/channels/sms-smpp.ts';
import { startSmppPeer } from '../test/peers/smpp-server.ts';

const RATIO_GOAL = 0.9;
const ROUND_TRIP_SAMPLES = 100;

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '5000' },
    latency: { type: 'string', default: '10' },
    window: { type: 'string', default: '10' },
  },
});
const messages = Number(args.messages);
const latencyMs = Number(args.latency);
const window = Number(args.window);
if (
  !Number.isInteger(messages) ||
  messages < 1 ||
  !(latencyMs >= 0) ||
  !Number.isInteger(window) ||
  window < 1
) {
  process.stderr.write('usage: node --import tsx bench/smpp.ts [--messages N] [--latency MS] [--window N]\n');
  process.exit(2);
}

const peer = await startSmppPeer({ latencyMs, record: false });
const channel = createSmppChannel({
  host: '127.0.0.1',
  port: peer.port,
  systemId: 'haven',
  password: 'secret',
  sourceAddr: 'Haven',
  window,
  queueTimeoutMs: 600_000,
});

const recipient = (i: number) => `+4477009${String(i % 100_000).padStart(5, '0')}`;
const send = (i: number) =>
  channel.send({
    deliveryId: `bench-${i}`,
    to: recipient(i),
    text: 'Haven benchmark: stay indoors and keep your phone on.',
  });

try {
  const warm = await send(0);
  if (warm.status !== 'sent') throw new Error(`warm-up send answered ${JSON.stringify(warm)}`);

  let start = performance.now();
  for (let i = 0; i < ROUND_TRIP_SAMPLES; i += 1) await send(i);
  const roundTripMs = (performance.now() - start) / ROUND_TRIP_SAMPLES;

  start = performance.now();
  const results = await Promise.all(Array.from({ length: messages }, (_, i) => send(i)));
  const elapsedMs = performance.now() - start;
  const notSent = results.filter((r) => r.status !== 'sent').length;
  if (notSent > 0) throw new Error(`${notSent} sends did not go`);

  const rate = messages / (elapsedMs / 1000);
  const ceiling = window / (roundTripMs / 1000);
  const ratio = rate / ceiling;
  console.log(`SMPP channel, one bind, window ${window}, peer latency ${latencyMs} ms, ${messages} messages`);
  console.log(`  round trip (sequential submits):   ${roundTripMs.toFixed(2)} ms`);
  console.log(`  ceiling window ÷ round trip:       ${Math.round(ceiling)} msg/s`);
  console.log(
    `  measured through the channel:      ${Math.round(rate)} msg/s (${(elapsedMs / 1000).toFixed(2)} s)`,
  );
  console.log(
    `  ratio:                             ${ratio.toFixed(3)} (goal ≥ ${RATIO_GOAL}) ${ratio >= RATIO_GOAL ? 'PASS' : 'FAIL'}`,
  );
  console.log(`  most outstanding at the peer:      ${peer.maxOutstanding}`);
  process.exitCode = ratio >= RATIO_GOAL ? 0 : 1;
} finally {
  await channel.close();
  await peer.close();
}
