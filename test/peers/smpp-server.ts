// A loopback SMS centre speaking SMPP 3.4 (node-smpp's server), for tests and benchmarks. It binds
// transceivers, answers submit_sm with message ids and can be told to misbehave: throttle, reject a
// destination, answer late, freeze, or drop the connection. It sends delivery receipts and
// mobile-originated messages as deliver_sm. It decodes what it receives with node-smpp's own decoder,
// independent of the channel's encoder.
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import smpp from 'smpp';

/** A submit_sm as the centre received and accepted it. */
export type ReceivedSubmit = {
  messageId: string;
  sourceAddr: string;
  sourceTon: number;
  destinationAddr: string;
  destTon: number;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  /** User-data header information elements (without the length octet), e.g. [0x00, 0x03, ref, total, seq]. */
  udh: Buffer[];
  text: string;
};

export type SmppPeerOptions = {
  systemId?: string;
  password?: string;
  /** Delay before each submit_sm_resp. */
  latencyMs?: number;
  /** Keep every accepted submit in `submits` (default true; benchmarks turn it off). */
  record?: boolean;
};

export type SmppPeer = {
  readonly port: number;
  readonly submits: ReceivedSubmit[];
  readonly binds: { systemId: string; password: string; systemType: string }[];
  /** submit_sm received (accepted or not), enquire_link and unbind received, connections accepted. */
  readonly counts: { submits: number; enquireLinks: number; unbinds: number; connections: number };
  /** Most submit_sm waiting for their answer at once, on any one connection. */
  readonly maxOutstanding: number;
  setLatency(ms: number): void;
  /** Answers the next n submit_sm with this status (default ESME_RTHROTTLED). */
  failNext(n: number, status?: number): void;
  /** Answers every submit_sm to this destination (digits, no plus) with ESME_RINVDSTADR. */
  rejectDestination(destinationAddr: string): void;
  /** Drops every connection once n more submit_sm have arrived, leaving those n unanswered. */
  dropAfterSubmits(n: number): void;
  /** Drops every connection now. */
  dropConnections(): void;
  /** Stops reading from connections (no answers at all, like a hung centre) until `thaw`. */
  freeze(): void;
  thaw(): void;
  /** Sends a delivery receipt for a message id over the latest bind; resolves on deliver_sm_resp. */
  sendReceipt(messageId: string, options?: { stat?: string; err?: string; tlv?: boolean }): Promise<void>;
  /** Sends a mobile-originated message; several `parts` go as a concatenated message. */
  sendInbound(message: {
    from: string;
    to: string;
    text?: string;
    parts?: string[];
    ucs2?: boolean;
  }): Promise<void>;
  /** Resolves when the predicate holds, checked after every event; rejects after timeoutMs. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
};

/** Starts the SMPP peer on 127.0.0.1 and an ephemeral port. */
export async function startSmppPeer(options: SmppPeerOptions = {}): Promise<SmppPeer> {
  const systemId = options.systemId ?? 'haven';
  const password = options.password ?? 'secret';
  const record = options.record ?? true;
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const changed = () => changes.emit('change');

  let latencyMs = options.latencyMs ?? 0;
  let failures: number[] = [];
  const rejected = new Set<string>();
  let dropAfter: number | undefined;
  let frozen = false;
  let nextId = 1;
  let maxOutstanding = 0;
  const submits: ReceivedSubmit[] = [];
  const binds: SmppPeer['binds'] = [];
  const counts = { submits: 0, enquireLinks: 0, unbinds: 0, connections: 0 };
  const bound: smpp.Session[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let reference = 0;

  const later = (ms: number, action: () => void) => {
    if (ms <= 0) {
      action();
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      action();
    }, ms);
    timers.add(timer);
  };

  const server = smpp.createServer((session) => {
    counts.connections += 1;
    session.socket.setNoDelay(true);
    changed();
    let outstanding = 0;
    let alive = true;
    session.on('error', () => {});
    session.on('close', () => {
      alive = false;
      const index = bound.indexOf(session);
      if (index >= 0) bound.splice(index, 1);
      changed();
    });
    if (frozen) session.pause();
    session.on('bind_transceiver', (pdu: smpp.PDU) => {
      const attempt = {
        systemId: String(pdu.system_id),
        password: String(pdu.password),
        systemType: String(pdu.system_type),
      };
      binds.push(attempt);
      if (attempt.systemId !== systemId || attempt.password !== password) {
        session.send(pdu.response({ command_status: smpp.errors.ESME_RBINDFAIL }));
        session.close();
      } else {
        session.send(pdu.response({ system_id: 'haven-peer' }));
        bound.push(session);
      }
      changed();
    });
    session.on('enquire_link', (pdu: smpp.PDU) => {
      counts.enquireLinks += 1;
      session.send(pdu.response());
      changed();
    });
    session.on('unbind', (pdu: smpp.PDU) => {
      counts.unbinds += 1;
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu: smpp.PDU) => {
      counts.submits += 1;
      if (dropAfter !== undefined) {
        dropAfter -= 1;
        if (dropAfter <= 0) {
          dropAfter = undefined;
          for (const s of [...server.sessions]) s.destroy();
          changed();
          return;
        }
      }
      outstanding += 1;
      maxOutstanding = Math.max(maxOutstanding, outstanding);
      const answer = (response: smpp.PDU, accepted?: ReceivedSubmit) =>
        later(latencyMs, () => {
          outstanding -= 1;
          if (!alive) return;
          if (accepted && record) submits.push(accepted);
          session.send(response);
          changed();
        });
      const failure = failures.shift();
      const destination = String(pdu.destination_addr);
      if (failure !== undefined) {
        answer(pdu.response({ command_status: failure }));
      } else if (rejected.has(destination)) {
        answer(pdu.response({ command_status: smpp.errors.ESME_RINVDSTADR }));
      } else {
        const messageId = (nextId++).toString(16).padStart(8, '0');
        const decoded = pdu.short_message as smpp.DecodedMessage;
        answer(pdu.response({ message_id: messageId }), {
          messageId,
          sourceAddr: String(pdu.source_addr),
          sourceTon: Number(pdu.source_addr_ton),
          destinationAddr: destination,
          destTon: Number(pdu.dest_addr_ton),
          dataCoding: Number(pdu.data_coding),
          esmClass: Number(pdu.esm_class),
          registeredDelivery: Number(pdu.registered_delivery),
          udh: decoded.udh ?? [],
          text: typeof decoded.message === 'string' ? decoded.message : decoded.message.toString('hex'),
        });
      }
      changed();
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  const latestBind = (): smpp.Session => {
    const session = bound[bound.length - 1];
    if (!session) throw new Error('no bound transceiver');
    return session;
  };

  const deliver = (params: Record<string, unknown>) =>
    new Promise<void>((resolve, reject) => {
      const ok = latestBind().send(new smpp.PDU('deliver_sm', params), (response) => {
        if (response.command_status === 0) resolve();
        else reject(new Error(`deliver_sm answered ${response.command_status}`));
      });
      if (!ok) reject(new Error('connection not writable'));
    });

  const peer: SmppPeer = {
    port,
    submits,
    binds,
    counts,
    get maxOutstanding() {
      return maxOutstanding;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    failNext(n, status = smpp.errors.ESME_RTHROTTLED!) {
      failures = failures.concat(Array.from({ length: n }, () => status));
    },
    rejectDestination(destinationAddr) {
      rejected.add(destinationAddr);
    },
    dropAfterSubmits(n) {
      dropAfter = n;
    },
    dropConnections() {
      for (const session of [...server.sessions]) session.destroy();
    },
    freeze() {
      frozen = true;
      for (const session of server.sessions) session.pause();
    },
    thaw() {
      frozen = false;
      for (const session of server.sessions) session.resume();
    },
    async sendReceipt(messageId, receiptOptions = {}) {
      const submit = submits.find((s) => s.messageId === messageId);
      const stat = receiptOptions.stat ?? 'DELIVRD';
      const date = '2611281200';
      const text = `id:${messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:${date} done date:${date} stat:${stat} err:${receiptOptions.err ?? '000'} text:`;
      const params: Record<string, unknown> = {
        source_addr_ton: submit?.destTon ?? 1,
        source_addr: submit?.destinationAddr ?? '',
        destination_addr: submit?.sourceAddr ?? '',
        esm_class: 0x04,
        data_coding: 0,
        short_message: text,
      };
      if (receiptOptions.tlv) {
        params.receipted_message_id = messageId;
        params.message_state = { DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, REJECTD: 8 }[stat] ?? 7;
      }
      await deliver(params);
    },
    async sendInbound(message) {
      const parts = message.parts ?? [message.text ?? ''];
      const dataCoding = message.ucs2 ? 0x08 : 0x00;
      reference = (reference + 1) % 256;
      for (const [index, part] of parts.entries()) {
        const params: Record<string, unknown> = {
          source_addr_ton: 1,
          source_addr_npi: 1,
          source_addr: message.from.replace(/^\+/, ''),
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: message.to.replace(/^\+/, ''),
          esm_class: 0,
          data_coding: dataCoding,
          short_message:
            parts.length > 1
              ? { udh: Buffer.from([0x05, 0x00, 0x03, reference, parts.length, index + 1]), message: part }
              : part,
        };
        await deliver(params);
      }
    },
    waitFor(predicate, timeoutMs = 3000) {
      return new Promise((resolve, reject) => {
        if (predicate()) {
          resolve();
          return;
        }
        const check = () => {
          if (!predicate()) return;
          clearTimeout(timer);
          changes.off('change', check);
          resolve();
        };
        const timer = setTimeout(() => {
          changes.off('change', check);
          reject(new Error('SMPP peer: condition not reached in time'));
        }, timeoutMs);
        changes.on('change', check);
      });
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const session of [...server.sessions]) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return peer;
}
