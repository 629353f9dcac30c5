// Types for the parts of node-smpp (npm `smpp`, which ships none) that Haven's SMPP channel and its
// loopback test peer use. Parameter names are those of the SMPP specification.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  namespace smpp {
    /** A decoded short_message or message_payload: user-data headers split out, text decoded by data_coding. */
    type DecodedMessage = { udh?: Buffer[]; message: string | Buffer };

    class PDU {
      constructor(command: string, options?: Record<string, unknown>);
      command: string;
      command_id: number;
      command_status: number;
      sequence_number: number;
      isResponse(): boolean;
      response(options?: Record<string, unknown>): PDU;
      [param: string]: unknown;
    }

    class Session extends EventEmitter {
      socket: Socket;
      server?: Server;
      /** Sends a PDU; returns false (and sends nothing) when the socket is no longer writable. */
      send(pdu: PDU, responseCallback?: (response: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
      pause(): void;
      resume(): void;
    }

    class Server extends NetServer {
      sessions: Session[];
    }

    type ConnectOptions = { host: string; port: number; auto_enquire_link_period?: number };

    function connect(options: ConnectOptions, listener?: () => void): Session;
    function createServer(listener?: (session: Session) => void): Server;
    function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;

    const errors: Record<string, number>;
  }

  export = smpp;
}
