// The SSRF guard: webhook hosts are resolved when a delivery is attempted, and the connection
// goes to the very address that was checked (the check runs inside the socket's own lookup),
// so a DNS answer cannot change between the check and the connect.
import dns from 'node:dns';
import net from 'node:net';

const IPV4_RANGES: { cidr: string; reason: string }[] = [
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
];

// IPv6 outside global unicast (2000::/3) is refused whole, but for the two forms that only
// re-spell a public IPv4 address (IPv4-mapped and NAT64's well-known prefix), which are judged by
// the address they carry. Inside 2000::/3, the special-purpose blocks that reach no public host.
// The first match wins, so the more specific blocks come first.
const IPV6_RANGES: { cidr: string; reason: string }[] = [
  { cidr: '::/128', reason: 'unspecified' },
  { cidr: '::1/128', reason: 'loopback' },
  { cidr: '64:ff9b:1::/48', reason: 'NAT64 local-use' },
  { cidr: 'fd00:ec2::254/128', reason: 'cloud metadata' },
  { cidr: 'fc00::/7', reason: 'private' },
  { cidr: 'fe80::/10', reason: 'link-local' },
  { cidr: 'fec0::/10', reason: 'site-local' },
  { cidr: 'ff00::/8', reason: 'multicast' },
  { cidr: '100::/64', reason: 'discard-only' },
  { cidr: '2001:db8::/32', reason: 'documentation' },
  { cidr: '3fff::/20', reason: 'documentation' },
  { cidr: '2001:2::/48', reason: 'benchmarking' },
  { cidr: '2001:10::/28', reason: 'ORCHID' },
  { cidr: '2001:20::/28', reason: 'ORCHID' },
];

function blockLists(ranges: { cidr: string; reason: string }[], type: 'ipv4' | 'ipv6') {
  return ranges.map(({ cidr, reason }) => {
    const [address, prefix] = cidr.split('/') as [string, string];
    const list = new net.BlockList();
    list.addSubnet(address, Number(prefix), type);
    return { list, reason };
  });
}

const ipv4Lists = blockLists(IPV4_RANGES, 'ipv4');
const ipv6Lists = blockLists(IPV6_RANGES, 'ipv6');

function ipv4Refusal(ip: string): string | null {
  for (const entry of ipv4Lists) if (entry.list.check(ip, 'ipv4')) return entry.reason;
  return null;
}

/** The eight 16-bit groups of an IPv6 address (`net.isIPv6` has already accepted it). */
function ipv6Groups(address: string): number[] {
  let text = address.replace(/%.*$/, '');
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? (text.split('::') as [string, string]) : [text, null];
  const parse = (part: string) => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const left = parse(head);
  if (tail === null) return left;
  const right = parse(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

function ipv4Of(hi: number, lo: number): string {
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

function ipv6Refusal(address: string): string | null {
  const g = ipv6Groups(address);
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const last = ipv4Of(g[6]!, g[7]!);
  // IPv4-mapped ::ffff:0:0/96 and NAT64 64:ff9b::/96: the IPv4 address itself is what is reached.
  if (zeros(0, 5) && g[5] === 0xffff) return ipv4Refusal(last);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return ipv4Refusal(last);
  for (const entry of ipv6Lists) if (entry.list.check(address.replace(/%.*$/, ''), 'ipv6')) return entry.reason;
  // IPv4-compatible ::/96 and IPv4-translated ::ffff:0:0:0/96: deprecated or host-internal forms,
  // refused whatever they carry; the embedded address names the reason when it is refused itself.
  if (zeros(0, 6)) return ipv4Refusal(last) ?? 'IPv4-compatible';
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return ipv4Refusal(last) ?? 'IPv4-translated';
  if ((g[0]! & 0xe000) !== 0x2000) return 'not global unicast';
  // 6to4 2002::/16 carries the relay's IPv4 address in its second and third groups; Teredo
  // 2001::/32 the server's in the third and fourth, and the client's inverted in the last two.
  if (g[0] === 0x2002) return ipv4Refusal(ipv4Of(g[1]!, g[2]!));
  if (g[0] === 0x2001 && g[1] === 0) {
    return ipv4Refusal(ipv4Of(g[2]!, g[3]!)) ?? ipv4Refusal(ipv4Of(~g[6]! & 0xffff, ~g[7]! & 0xffff));
  }
  return null;
}

/** Why an address may not receive webhooks, or null when it is a public address. */
export function addressRefusal(address: string): string | null {
  if (net.isIPv4(address)) return ipv4Refusal(address);
  if (net.isIPv6(address)) return ipv6Refusal(address);
  return 'not an IP address';
}

export class AddressRefusedError extends Error {
  readonly code = 'CASA_ADDRESS_REFUSED';
  constructor(
    host: string,
    address: string,
    readonly reason: string,
  ) {
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
