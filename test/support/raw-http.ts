import { connect, type Socket } from 'node:net';

/** An HTTP/1.1 answer read off a raw socket: status line, lower-cased headers, body text. */
export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses the first answer in `text` (Content-Length bodies only: our JSON answers). */
export function parseRawAnswer(text: string): RawAnswer | undefined {
  const headerEnd = text.indexOf('\r\n\r\n');
  if (headerEnd < 0) return undefined;
  const [statusLine, ...headerLines] = text.slice(0, headerEnd).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const length = Number(headers['content-length'] ?? 0);
  const body = text.slice(headerEnd + 4);
  if (Buffer.byteLength(body) < length) return undefined;
  return { status: Number(statusLine.split(' ')[1]), headers, body: body.slice(0, length) };
}

/** A raw TCP connection to a listening service, reading everything the server sends until it closes. */
export class RawConnection {
  readonly socket: Socket;
  #received = '';
  readonly closed: Promise<{ received: string; error: Error | undefined }>;
  #waiters: Array<() => void> = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.#received += chunk;
      for (const waiter of this.#waiters.splice(0)) waiter();
    });
    this.closed = new Promise((resolve) => {
      let error: Error | undefined;
      socket.on('error', (cause) => {
        error = cause;
      });
      socket.on('close', () => {
        for (const waiter of this.#waiters.splice(0)) waiter();
        resolve({ received: this.#received, error });
      });
    });
  }

  static open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) }, () =>
        resolve(new RawConnection(socket)),
      );
      socket.once('error', reject);
    });
  }

  get received(): string {
    return this.#received;
  }

  /** Resolves once what the server sent contains `text` (or the socket closed without it). */
  async until(text: string): Promise<string> {
    while (!this.#received.includes(text) && !this.socket.destroyed) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.#received;
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) =>
      this.socket.write(data, (error) => (error ? reject(error) : resolve())),
    );
  }
}
