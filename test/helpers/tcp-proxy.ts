/**
 * A TCP proxy on a free loopback port that can be paused: while paused, bytes in both directions are held (not
 * dropped, no reset) — a network partition as a process behind it sees one: requests sent, no answers — and
 * `resume()` delivers them in order, as a healed network does.
 */
import net from 'node:net';

export interface TcpProxy {
  port: number;
  /** `redis://127.0.0.1:<port>` style URLs: the target's scheme with this port. */
  urlFor(scheme: string): string;
  pause(): void;
  resume(): void;
  /** What the clients sent since the pause and the proxy holds (latin1 text): shows what a paused process attempts. */
  heldFromClients(): string;
  close(): Promise<void>;
}

interface Leg {
  to: net.Socket;
  held: Buffer[];
  fromClient: boolean;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let paused = false;
  const legs = new Set<Leg>();
  const sockets = new Set<net.Socket>();
  const forward = (from: net.Socket, to: net.Socket, fromClient: boolean): void => {
    const leg: Leg = { to, held: [], fromClient };
    legs.add(leg);
    from.on('data', (chunk: Buffer) => {
      if (paused || leg.held.length > 0) leg.held.push(chunk);
      else to.write(chunk);
    });
    from.on('close', () => legs.delete(leg));
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    forward(client, upstream, true);
    forward(upstream, client, false);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    urlFor: (scheme) => `${scheme}://127.0.0.1:${port}`,
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      for (const leg of legs) {
        for (const chunk of leg.held.splice(0)) leg.to.write(chunk);
      }
    },
    heldFromClients: () =>
      [...legs]
        .filter((l) => l.fromClient)
        .map((l) => Buffer.concat(l.held).toString('latin1'))
        .join(''),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
