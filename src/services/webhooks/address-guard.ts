// The SSRF guard: webhook hosts are resolved when a delivery is attempted, and the connection
// goes to the very address that was checked (the check runs inside the socket's own lookup),
// so a DNS answer cannot change between the check and the connect.
import dns from 'node:dns';
import net from 'node:net';

const RANGES: { cidr: string; reason: string }[] = [
  { cidr: '0.0.0.0/8', reason: 'unspecified' },
  { cidr: '10.0.0.0/8', reason: 'private' },
  { cidr: '100.64.0.0/10', reason: 'carrier-grade NAT' },
  { cidr: '127.0.0.0/8', reason: 'loopback' },
  { cidr: '169.254.169.254/32', reason: 'cloud metadata' },
  { cidr: '169.254.0.0/16', reason: 'link-local' },
  { cidr: '172.16.0.0/12', reason: 'private' },
  { cidr: '192.0.0.0/24', reason: 'reserved' },
  { cidr: '192.168.0.0/16', reason: 'private' },
  { cidr: '198.18.0.0/15', reason: 'reserved' },
  { cidr: '224.0.0.0/4', reason: 'multicast' },
  { cidr: '240.0.0.0/4', reason: 'reserved' },
  { cidr: '::/128', reason: 'unspecified' },
  { cidr: '::1/128', reason: 'loopback' },
  { cidr: 'fd00:ec2::254/128', reason: 'cloud metadata' },
  { cidr: 'fc00::/7', reason: 'private' },
  { cidr: 'fe80::/10', reason: 'link-local' },
  { cidr: 'ff00::/8', reason: 'multicast' },
];

const lists = RANGES.map(({ cidr, reason }) => {
  const [address, prefix] = cidr.split('/') as [string, string];
  const type = net.isIPv6(address) ? 'ipv6' : 'ipv4';
  const list = new net.BlockList();
  list.addSubnet(address, Number(prefix), type);
  return { list, type, reason } as const;
});

/** Why an address may not receive webhooks, or null when it is a public address. */
export function addressRefusal(address: string): string | null {
  let ip = address;
  let type: 'ipv4' | 'ipv6' | null = net.isIPv4(ip) ? 'ipv4' : net.isIPv6(ip) ? 'ipv6' : null;
  if (type === null) return 'not an IP address';
  // IPv4-mapped and NAT64 IPv6 addresses lead to the IPv4 address they embed.
  const embedded = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (type === 'ipv6' && embedded) {
    ip = embedded[1]!;
    type = 'ipv4';
  } else if (type === 'ipv6' && /^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/i.test(ip)) {
    const [hi, lo] = ip
      .slice(7)
      .split(':')
      .map((h) => parseInt(h, 16)) as [number, number];
    ip = [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
    type = 'ipv4';
  }
  for (const entry of lists) if (entry.type === type && entry.list.check(ip, type)) return entry.reason;
  return null;
}

export class AddressRefusedError extends Error {
  readonly code = 'CASA_ADDRESS_REFUSED';
  constructor(host: string, address: string, reason: string) {
    super(
      host === address
        ? `refused: ${address} is not a public address (${reason})`
        : `refused: ${host} resolves to ${address}, not a public address (${reason})`,
    );
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** A `lookup` for net/tls.connect that refuses a host when any of its addresses is not public. */
export function guardedLookup(allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      if (!allowPrivate) {
        for (const a of addresses) {
          const reason = addressRefusal(a.address);
          if (reason) return callback(new AddressRefusedError(hostname, a.address, reason) as NodeJS.ErrnoException, '');
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
      callback(null, first.address, first.family);
    });
  };
}

/** The check for hosts written as IP literals, which never go through a lookup. */
export function literalRefusal(hostname: string, allowPrivate: boolean): AddressRefusedError | null {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (allowPrivate || net.isIP(host) === 0) return null;
  const reason = addressRefusal(host);
  return reason ? new AddressRefusedError(host, host, reason) : null;
}
