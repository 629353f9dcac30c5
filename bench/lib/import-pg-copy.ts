import type pg from 'pg';

/**
 * `COPY … FROM STDIN` on a pg 8 client without pg-copy-streams: pg accepts any object with a
 * `submit(connection)` method as a query and hands it the protocol events, so this sends the
 * statement, answers the server's CopyInResponse with the data and CopyDone, and resolves when the
 * server is ready again. The data is COPY text format (see copyText).
 */
class CopyFromBuffer {
  callback: ((err: Error | null) => void) | undefined;
  private error: Error | null = null;
  private done = false;

  constructor(
    readonly text: string,
    private readonly data: Buffer,
  ) {}

  submit(connection: { query: (text: string) => void }): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: {
    sendCopyFromChunk: (b: Buffer) => void;
    endCopyFrom: () => void;
  }): void {
    // CopyData messages may be of any size; 1 MiB pieces keep the socket's buffer modest.
    for (let i = 0; i < this.data.length; i += 1 << 20)
      connection.sendCopyFromChunk(this.data.subarray(i, i + (1 << 20)));
    connection.endCopyFrom();
  }

  handleError(err: Error): void {
    this.error = err;
  }

  handleReadyForQuery(): void {
    if (this.done) return;
    this.done = true;
    this.callback?.(this.error);
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Runs one `COPY table (columns) FROM STDIN` with the given COPY-text data. */
export function copyFrom(client: pg.ClientBase, statement: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const copy = new CopyFromBuffer(statement, data);
    copy.callback = (err) => (err ? reject(err) : resolve());
    client.query(copy as unknown as pg.QueryConfig);
  });
}

/** One value in COPY text format: backslash escapes, `\N` for null. */
export function copyText(value: string | number | null): string {
  if (value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}
