#!/usr/bin/env python3
"""Traffic maker for nsm4's own rule set (rules/sets/nsm4.rules), python3
standard library only.

Builds Ethernet frames with correct IPv4 header, TCP, UDP and ICMPv6
checksums: TCP handshakes and sessions, UDP, ICMPv6 Router Advertisements /
Neighbor Solicitations / Advertisements with options, an IPv6 type-0 routing
header, tiny and overlapping IPv6 and IPv4 fragments, DNS queries (long and
random labels, TXT bursts), SSH/RDP/SMB/Telnet connection bursts from one
source, cleartext Telnet/FTP/HTTP-Basic sessions to a government server, and
benign traffic of each kind.

    MALICIOUS: {capture name: (builder, sids that must fire on it)}
    benign_frames(): traffic on which no rule of the set may fire
    write_all(outdir): writes every capture as OUTDIR/<name>.pcap

The rules are meant to be run with these variables (test_nsm4_ruleset.py):
    IPV6_ROUTERS = [fe80::1]      (the legitimate router)
    GOV_SERVERS  = [10.20.0.0/24] (government servers)

Run as a script to write the captures: nsm4traffic.py OUTDIR
"""
import ipaddress
import os
import random
import struct
import sys

T0 = 1767225600.0  # 2026-01-01 00:00:00 UTC

ROUTER_LL = 'fe80::1'            # the legitimate router (IPV6_ROUTERS)
ROUTER_MAC = b'\x00\x00\x5e\x00\x02\x01'
ROGUE_LL = 'fe80::bad:1'
GOV_SERVER = '10.20.0.10'        # inside GOV_SERVERS
LAB_DEVICE = '10.30.0.5'         # HOME_NET, not a government server
ADMIN = '10.1.0.20'
ATTACKER = '198.51.100.7'
SCANNER = '203.0.113.9'
RESOLVER = '10.0.0.53'
CLIENT = '10.1.0.33'

RULES = {
    9000101: 'rogue Router Advertisement',
    9000102: 'RA with router lifetime 0',
    9000103: 'RA flood',
    9000104: 'NS flood',
    9000105: 'NA flood',
    9000106: 'ND with hop limit below 255',
    9000107: 'IPv6 type-0 routing header',
    9000108: 'IPv6 tiny first fragment',
    9000109: 'IPv6 fragment at offset 8',
    9000110: 'IPv4 tiny TCP fragment',
    9000111: 'IPv4 fragment at offset 8',
    9000201: 'SSH brute force',
    9000202: 'RDP brute force',
    9000203: 'SMB brute force',
    9000204: 'Telnet brute force',
    9000205: 'TCP port scan',
    9000301: 'cleartext Telnet to a government server',
    9000302: 'cleartext FTP login to a government server',
    9000303: 'HTTP Basic auth to a government server',
    9000401: 'DNS label of 50+ characters',
    9000402: 'DNS name of 180+ bytes',
    9000403: 'DNS high-entropy labels',
    9000404: 'DNS TXT/NULL burst',
}

# --- checksums and layers ---------------------------------------------------


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ip_bytes(addr):
    return ipaddress.ip_address(addr).packed


def is_v6(addr):
    return ':' in addr


def mac_for(addr):
    """A stable locally administered MAC per address."""
    h = sum(ip_bytes(addr)) * 2654435761 & 0xffffffff
    return b'\x02\x00' + struct.pack('!I', h)


def ether(payload, ethertype, src_mac, dst_mac):
    return dst_mac + src_mac + struct.pack('!H', ethertype) + payload


def v6_dst_mac(dst):
    a = ip_bytes(dst)
    if a[0] == 0xff:
        return b'\x33\x33' + a[12:]
    return mac_for(dst)


def pseudo_sum(src, dst, proto, length):
    if is_v6(src):
        return ip_bytes(src) + ip_bytes(dst) + struct.pack('!IxxxB', length, proto)
    return ip_bytes(src) + ip_bytes(dst) + struct.pack('!xBH', proto, length)


def l4_checksummed(src, dst, proto, seg, csum_off):
    """The segment with its checksum filled in (pseudo header of src/dst)."""
    seg = seg[:csum_off] + b'\0\0' + seg[csum_off + 2:]
    c = csum(pseudo_sum(src, dst, proto, len(seg)) + seg)
    if proto == 17 and c == 0:
        c = 0xffff
    return seg[:csum_off] + struct.pack('!H', c) + seg[csum_off + 2:]


def ipv4_packet(src, dst, proto, payload, ident=1, ttl=64, flags_frag=0, total_len=None):
    """An IPv4 header + payload; flags_frag is the raw flags/offset field."""
    tl = 20 + len(payload) if total_len is None else total_len
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, tl, ident, flags_frag, ttl, proto, 0,
                      ip_bytes(src), ip_bytes(dst))
    hdr = hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:]
    return hdr + payload


def ipv6_packet(src, dst, nh, payload, hlim=64):
    return struct.pack('!IHBB16s16s', 6 << 28, len(payload), nh, hlim, ip_bytes(src),
                       ip_bytes(dst)) + payload


def frame4(src, dst, proto, payload, **kw):
    return ether(ipv4_packet(src, dst, proto, payload, **kw), 0x0800, mac_for(src), mac_for(dst))


def frame6(src, dst, nh, payload, hlim=64, src_mac=None):
    return ether(ipv6_packet(src, dst, nh, payload, hlim), 0x86dd, src_mac or mac_for(src),
                 v6_dst_mac(dst))


def frame(src, dst, proto, seg):
    return (frame6 if is_v6(src) else frame4)(src, dst, proto, seg)


def udp_seg(src, sport, dst, dport, data):
    seg = struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data
    return l4_checksummed(src, dst, 17, seg, 6)


def tcp_seg(src, sport, dst, dport, flags, seq=0, ack=0, data=b'', window=64240):
    bits = sum({'F': 1, 'S': 2, 'R': 4, 'P': 8, 'A': 16, 'U': 32, 'E': 64, 'C': 128}[c]
               for c in flags)
    seg = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, bits, window, 0, 0) + data
    return l4_checksummed(src, dst, 6, seg, 16)


def udp(src, sport, dst, dport, data=b''):
    return frame(src, dst, 17, udp_seg(src, sport, dst, dport, data))


def tcp(src, sport, dst, dport, flags, seq=0, ack=0, data=b''):
    return frame(src, dst, 6, tcp_seg(src, sport, dst, dport, flags, seq, ack, data))


def icmpv6_msg(src, dst, typ, code, body):
    return l4_checksummed(src, dst, 58, struct.pack('!BBH', typ, code, 0) + body, 2)


def icmpv6(src, dst, typ, code, body, hlim=255, src_mac=None):
    return frame6(src, dst, 58, icmpv6_msg(src, dst, typ, code, body), hlim, src_mac)


# --- TCP conversations ----------------------------------------------------


def tcp_session(c, cport, s, sport, exchanges, isn_c=1000, isn_s=50000):
    """Handshake, then (direction, bytes) exchanges ('c' client / 's' server),
    then FIN both ways. Returns frames."""
    out = [tcp(c, cport, s, sport, 'S', isn_c),
           tcp(s, sport, c, cport, 'SA', isn_s, isn_c + 1),
           tcp(c, cport, s, sport, 'A', isn_c + 1, isn_s + 1)]
    cs, ss = isn_c + 1, isn_s + 1
    for who, data in exchanges:
        if who == 'c':
            out.append(tcp(c, cport, s, sport, 'PA', cs, ss, data))
            out.append(tcp(s, sport, c, cport, 'A', ss, cs + len(data)))
            cs += len(data)
        else:
            out.append(tcp(s, sport, c, cport, 'PA', ss, cs, data))
            out.append(tcp(c, cport, s, sport, 'A', cs, ss + len(data)))
            ss += len(data)
    out += [tcp(c, cport, s, sport, 'FA', cs, ss), tcp(s, sport, c, cport, 'FA', ss, cs + 1),
            tcp(c, cport, s, sport, 'A', cs + 1, ss + 1)]
    return out


def connection_attempt(c, cport, s, sport, banner=b''):
    """A short connection: handshake, optional server banner, client reset."""
    out = [tcp(c, cport, s, sport, 'S', 7000), tcp(s, sport, c, cport, 'SA', 9000, 7001),
           tcp(c, cport, s, sport, 'A', 7001, 9001)]
    if banner:
        out.append(tcp(s, sport, c, cport, 'PA', 9001, 7001, banner))
    out.append(tcp(c, cport, s, sport, 'RA', 7001, 9001 + len(banner)))
    return out


def burst(c, s, port, n, banner=b''):
    frames = []
    for i in range(n):
        frames += connection_attempt(c, 40000 + i, s, port, banner)
    return frames


# --- ICMPv6 neighbour discovery --------------------------------------------


def opt_lladdr(kind, mac):
    return struct.pack('!BB', kind, 1) + mac


def opt_prefix(prefix, plen=64, valid=2592000, preferred=604800):
    return struct.pack('!BBBBIII16s', 3, 4, plen, 0xc0, valid, preferred, 0,
                       ip_bytes(prefix))


def opt_mtu(mtu):
    return struct.pack('!BBHI', 5, 1, 0, mtu)


def router_advert(src, lifetime=1800, dst='ff02::1', mac=None, hlim=255,
                  prefix='2001:db8:10::'):
    mac = mac or mac_for(src)
    body = struct.pack('!BBHII', 64, 0, lifetime, 0, 0)
    body += opt_lladdr(1, mac) + opt_mtu(1500) + opt_prefix(prefix)
    return icmpv6(src, dst, 134, 0, body, hlim, mac)


def solicited_node(target):
    return str(ipaddress.IPv6Address(b'\xff\x02' + b'\0' * 9 + b'\x01\xff' +
                                     ip_bytes(target)[13:]))


def neighbor_solicit(src, target, hlim=255):
    body = struct.pack('!I16s', 0, ip_bytes(target)) + opt_lladdr(1, mac_for(src))
    return icmpv6(src, solicited_node(target), 135, 0, body, hlim)


def neighbor_advert(src, target, dst='ff02::1', hlim=255, solicited=False):
    flags = 0x20000000 | (0x40000000 if solicited else 0)  # O, S
    body = struct.pack('!I16s', flags, ip_bytes(target)) + opt_lladdr(2, mac_for(src))
    return icmpv6(src, dst, 136, 0, body, hlim)


def echo6(src, dst, ident=1, seq=1):
    return struct.pack('!BBHHH', 128, 0, 0, ident, seq) + b'nsm4 ping'


# --- IPv6 extension headers and fragments ----------------------------------


def rh0_frame(src, via, final):
    """ICMPv6 echo with a type-0 routing header listing `via`, then `final`;
    the destination field holds the first hop, the checksum uses `final`."""
    addrs = [via, final]
    rh = struct.pack('!BBBBI', 58, 2 * len(addrs), 0, len(addrs), 0)
    rh += b''.join(ip_bytes(a) for a in addrs)
    msg = l4_checksummed(src, final, 58, echo6(src, final), 2)
    return frame6(src, via, 43, rh + msg)


def ipv6_fragments(src, dst, nh, upper, pieces, ident=0x1234):
    """Fragments of the upper-layer bytes `upper`; pieces: (offset, length, more)."""
    out = []
    for off, length, more in pieces:
        fh = struct.pack('!BBHI', nh, 0, off | (1 if more else 0), ident)
        out.append(frame6(src, dst, 44, fh + upper[off:off + length]))
    return out


def ipv4_fragments(src, dst, proto, upper, pieces, ident=0x4321):
    out = []
    for off, length, more in pieces:
        ff = (0x2000 if more else 0) | (off // 8)
        out.append(frame4(src, dst, proto, upper[off:off + length], ident=ident, flags_frag=ff))
    return out


# --- DNS -------------------------------------------------------------------


def qname(name):
    out = b''
    for label in name.split('.'):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b'\0'


def dns_query(ident, name, qtype=1):
    return struct.pack('!HHHHHH', ident, 0x0100, 1, 0, 0, 0) + qname(name) + \
        struct.pack('!HH', qtype, 1)


def dns_answer_a(ident, name, addr='192.0.2.80'):
    q = qname(name)
    return (struct.pack('!HHHHHH', ident, 0x8180, 1, 1, 0, 0) + q + struct.pack('!HH', 1, 1) +
            struct.pack('!HHHIH', 0xc00c, 1, 1, 300, 4) + ip_bytes(addr))


def dns_exchange(client, sport, ident, name, qtype=1):
    out = [udp(client, sport, RESOLVER, 53, dns_query(ident, name, qtype))]
    if qtype == 1:
        out.append(udp(RESOLVER, 53, client, sport, dns_answer_a(ident, name)))
    return out


def b32_label(rng, n):
    return ''.join(rng.choice('abcdefghijklmnopqrstuvwxyz234567') for _ in range(n))


def hex_label(rng, n):
    return ''.join(rng.choice('0123456789abcdef') for _ in range(n))


# --- malicious captures ----------------------------------------------------


def mal_rogue_ra():
    return [router_advert(ROGUE_LL, prefix='2001:db8:bad::')]


def mal_ra_zero_lifetime():
    # Spoofs the legitimate router (so 9000101 stays silent: only 9000102).
    return [router_advert(ROUTER_LL, lifetime=0, mac=ROUTER_MAC)]


def mal_ra_flood():
    rng = random.Random(103)
    return [router_advert('fe80::%x:%x' % (rng.randrange(1, 0xffff), i + 1),
                          prefix='2001:db8:%x::' % rng.randrange(0x100, 0xffff))
            for i in range(60)]


def mal_ns_flood():
    return [neighbor_solicit('fe80::%x' % (0x1000 + i), '2001:db8:10::%x' % (i + 1))
            for i in range(700)]


def mal_na_flood():
    return [neighbor_advert('fe80::%x' % (0x2000 + i), '2001:db8:10::%x' % (i + 1))
            for i in range(700)]


def mal_nd_offlink():
    return [neighbor_solicit('2001:db8:99::66', '2001:db8:10::1', hlim=60)]


def mal_rh0():
    return [rh0_frame('2001:db8:10::66', '2001:db8:10::1', '2001:db8:20::5')]


def syn_upper(src, dst, sport=44000, dport=22):
    return tcp_seg(src, sport, dst, dport, 'S', 1234)


def mal_ipv6_tiny_frag():
    src, dst = '2001:db8:99::66', '2001:db8:10::22'
    upper = syn_upper(src, dst)
    return ipv6_fragments(src, dst, 6, upper, [(0, 8, True), (8, len(upper) - 8, False)])


def mal_ipv6_overlap_frag():
    src, dst = '2001:db8:99::66', '2001:db8:10::22'
    upper = syn_upper(src, dst) + b'A' * 28  # 48 bytes
    return ipv6_fragments(src, dst, 6, upper, [(0, 32, True), (8, 40, False)])


def mal_ipv4_tiny_frag():
    src, dst = ATTACKER, '10.20.0.22'
    upper = tcp_seg(src, 44000, dst, 22, 'S', 1234)
    return ipv4_fragments(src, dst, 6, upper, [(0, 16, True), (16, len(upper) - 16, False)])


def mal_ipv4_overlap_frag():
    src, dst = ATTACKER, '10.20.0.22'
    upper = tcp_seg(src, 44000, dst, 22, 'PA', 1234, 1, b'B' * 28)  # 48 bytes
    return ipv4_fragments(src, dst, 6, upper, [(0, 32, True), (8, 40, False)])


def mal_ssh_bruteforce():
    return burst(ATTACKER, GOV_SERVER, 22, 25, b'SSH-2.0-OpenSSH_9.6\r\n')


def mal_rdp_bruteforce():
    return burst(ATTACKER, '10.20.0.11', 3389, 25)


def mal_smb_bruteforce():
    # Spraying: one source, several servers.
    frames = []
    for i in range(40):
        frames += connection_attempt(ATTACKER, 41000 + i, '10.20.0.%d' % (20 + i % 5), 445)
    return frames


def mal_telnet_bruteforce():
    return burst(ATTACKER, LAB_DEVICE, 23, 25, b'\xff\xfd\x18\xff\xfd\x20login: ')


def mal_port_scan():
    frames = []
    for i, port in enumerate(range(1000, 1120)):
        frames.append(tcp(SCANNER, 55000, '10.0.0.5', port, 'S', 100 + i))
        frames.append(tcp('10.0.0.5', port, SCANNER, 55000, 'RA', 0, 101 + i))
    return frames


def mal_telnet_cleartext():
    return tcp_session(ADMIN, 41500, GOV_SERVER, 23, [
        ('s', b'\xff\xfd\x18\xff\xfd\x20\xff\xfd\x23\xff\xfd\x27'),
        ('c', b'\xff\xfb\x18\xff\xfc\x20\xff\xfc\x23\xff\xfc\x27'),
        ('s', b'\r\nlogin: '), ('c', b'admin\r\n'), ('s', b'Password: '),
        ('c', b'S3cret!\r\n'), ('s', b'\r\nrouter# ')])


def mal_ftp_cleartext():
    return tcp_session(ADMIN, 41600, GOV_SERVER, 21, [
        ('s', b'220 gov FTP ready\r\n'), ('c', b'USER admin\r\n'),
        ('s', b'331 Password required\r\n'), ('c', b'PASS S3cret!\r\n'),
        ('s', b'230 Logged in\r\n'), ('c', b'QUIT\r\n'), ('s', b'221 Bye\r\n')])


def mal_http_basic():
    req = (b'GET /admin/ HTTP/1.1\r\nHost: portal.gov.example\r\nUser-Agent: curl/8.5\r\n'
           b'Authorization: Basic YWRtaW46UzNjcmV0IQ==\r\nAccept: */*\r\n\r\n')
    return tcp_session(ADMIN, 41700, GOV_SERVER, 80, [
        ('c', req), ('s', b'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')])


def mal_dns_long_label():
    rng = random.Random(401)
    return dns_exchange(CLIENT, 53100, 0x4101, b32_label(rng, 60) + '.t.example.net', 1)


def mal_dns_long_name():
    rng = random.Random(402)
    labels = [b32_label(rng, 40) for _ in range(4)] + ['data', 'x', 'example', 'net']
    name = '.'.join(labels)
    assert len(qname(name)) - 1 >= 180, len(qname(name))
    return dns_exchange(CLIENT, 53200, 0x4201, name, 1)


def mal_dns_entropy():
    rng = random.Random(403)
    frames = []
    for i in range(20):
        frames += dns_exchange(CLIENT, 53300 + i, 0x4300 + i,
                               hex_label(rng, 24) + '.cdn-sync.example.org', 1)
    return frames


def mal_dns_txt_tunnel():
    rng = random.Random(404)
    frames = []
    for i in range(50):
        frames += dns_exchange(CLIENT, 53400 + i, 0x4400 + i,
                               '%s.%d.tun.example.net' % (b32_label(rng, 12), i), 16)
    return frames


MALICIOUS = {
    'rogue_ra': (mal_rogue_ra, [9000101]),
    'ra_zero_lifetime': (mal_ra_zero_lifetime, [9000102]),
    'ra_flood': (mal_ra_flood, [9000103, 9000101]),
    'ns_flood': (mal_ns_flood, [9000104]),
    'na_flood': (mal_na_flood, [9000105]),
    'nd_offlink': (mal_nd_offlink, [9000106]),
    'rh0': (mal_rh0, [9000107]),
    'ipv6_tiny_frag': (mal_ipv6_tiny_frag, [9000108, 9000109]),
    'ipv6_overlap_frag': (mal_ipv6_overlap_frag, [9000109]),
    'ipv4_tiny_frag': (mal_ipv4_tiny_frag, [9000110]),
    'ipv4_overlap_frag': (mal_ipv4_overlap_frag, [9000111]),
    'ssh_bruteforce': (mal_ssh_bruteforce, [9000201]),
    'rdp_bruteforce': (mal_rdp_bruteforce, [9000202]),
    'smb_bruteforce': (mal_smb_bruteforce, [9000203]),
    'telnet_bruteforce': (mal_telnet_bruteforce, [9000204]),
    'port_scan': (mal_port_scan, [9000205]),
    'telnet_cleartext': (mal_telnet_cleartext, [9000301]),
    'ftp_cleartext': (mal_ftp_cleartext, [9000302]),
    'http_basic_cleartext': (mal_http_basic, [9000303]),
    'dns_long_label': (mal_dns_long_label, [9000401]),
    'dns_long_name': (mal_dns_long_name, [9000402]),
    'dns_high_entropy': (mal_dns_entropy, [9000403]),
    'dns_txt_tunnel': (mal_dns_txt_tunnel, [9000404]),
}

# --- benign traffic --------------------------------------------------------


def benign_frames():
    """Normal traffic of every kind the rules look at; no rule may fire."""
    f = []
    # IPv6: the legitimate router's RA (lifetime 1800), a host's RS, address
    # resolution with NS/NA (hop limit 255), an echo.
    host = 'fe80::a00:27ff:fe4e:66a1'
    f.append(icmpv6(host, 'ff02::2', 133, 0, struct.pack('!I', 0) + opt_lladdr(1, mac_for(host))))
    f.append(router_advert(ROUTER_LL, mac=ROUTER_MAC))
    for i in range(5):
        tgt = '2001:db8:10::%x' % (0x100 + i)
        f.append(neighbor_solicit('2001:db8:10::1', tgt))
        f.append(neighbor_advert(tgt, tgt, dst='2001:db8:10::1', solicited=True))
    f.append(frame6('2001:db8:10::100', '2001:db8:20::5', 58,
                    icmpv6_msg('2001:db8:10::100', '2001:db8:20::5', 128, 0,
                               struct.pack('!HH', 7, 1) + b'ping')))
    # A type-2 routing header (Mobile IPv6) is legitimate.
    home = '2001:db8:10::200'
    rh2 = struct.pack('!BBBBI16s', 58, 2, 2, 1, 0, ip_bytes(home))
    f.append(frame6('2001:db8:20::5', '2001:db8:30::9', 43,
                    rh2 + icmpv6_msg('2001:db8:20::5', home, 129, 0,
                                     struct.pack('!HH', 7, 1) + b'pong')))
    # Fragments at a real MTU: IPv6 first fragment of 1232 bytes, IPv4 of 1480.
    src6, dst6 = '2001:db8:10::100', '2001:db8:20::5'
    big6 = udp_seg(src6, 5000, dst6, 5001, bytes(range(256)) * 8)
    f += ipv6_fragments(src6, dst6, 17, big6, [(0, 1232, True), (1232, len(big6) - 1232, False)])
    big4 = udp_seg(CLIENT, 5000, '10.0.0.80', 5001, bytes(range(256)) * 8)
    f += ipv4_fragments(CLIENT, '10.0.0.80', 17, big4,
                        [(0, 1480, True), (1480, len(big4) - 1480, False)])
    # One SSH login, a few RDP / SMB / Telnet connections (below the counts).
    f += tcp_session(ADMIN, 42000, GOV_SERVER, 22, [
        ('s', b'SSH-2.0-OpenSSH_9.6\r\n'), ('c', b'SSH-2.0-OpenSSH_9.6\r\n'),
        ('c', bytes(range(64)))])
    for i in range(3):
        f += connection_attempt(ADMIN, 42100 + i, '10.20.0.11', 3389)
        f += connection_attempt(ADMIN, 42200 + i, '10.20.0.20', 445)
    # Telnet to a lab device that is not a government server.
    f += tcp_session(ADMIN, 42300, LAB_DEVICE, 23, [('s', b'login: '), ('c', b'lab\r\n')])
    # A client contacting a handful of ports on one server.
    for i, port in enumerate((22, 80, 443, 445, 3389, 8080)):
        f += connection_attempt(CLIENT, 42400 + i, '10.0.0.5', port)
    # Plain HTTP to a government server without credentials, and with a
    # bearer token; anonymous FTP listing to a public server outside GOV.
    f += tcp_session(ADMIN, 42500, GOV_SERVER, 80, [
        ('c', b'GET / HTTP/1.1\r\nHost: portal.gov.example\r\n\r\n'),
        ('s', b'HTTP/1.1 301 Moved\r\nLocation: https://portal.gov.example/\r\n\r\n')])
    f += tcp_session(ADMIN, 42501, GOV_SERVER, 80, [
        ('c', b'GET /api HTTP/1.1\r\nHost: portal.gov.example\r\nAuthorization: Bearer abc\r\n\r\n'),
        ('s', b'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n')])
    f += tcp_session(ADMIN, 42502, '192.0.2.21', 21, [
        ('s', b'220 ready\r\n'), ('c', b'USER anonymous\r\n'), ('s', b'331 ok\r\n'),
        ('c', b'PASS guest@\r\n'), ('s', b'230 ok\r\n')])
    # Normal DNS: A, AAAA, SRV, a few TXT (SPF), MX, names with hyphens and
    # digits, a CDN name with a short random label.
    names = [('www.example.gov', 1), ('mail.example.org', 28),
             ('_ldap._tcp.dc._msdcs.corp.example.gov', 33), ('example.org', 16),
             ('_dmarc.example.org', 16), ('example.org', 15),
             ('ip-10-0-0-1.eu-west-1.compute.internal', 1), ('d1x2y3z4a5b6c7.cloudfront.net', 1),
             ('windowsupdate2024.download.example.com', 1),
             ('r3---sn-4g5e6nez.googlevideo.com', 1)]
    for i, (name, qtype) in enumerate(names):
        f += dns_exchange(CLIENT, 54000 + i, 0x5000 + i, name, qtype)
    return f


def timestamps(frames, t0=T0, step=0.01):
    return [(t0 + i * step, fr) for i, fr in enumerate(frames)]


def write_pcap(path, frames, t0=T0, step=0.01):
    """frames: bytes (spaced `step` seconds apart from t0). Classic pcap, Ethernet."""
    with open(path, 'wb') as fh:
        fh.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for ts, data in timestamps(frames, t0, step):
            sec = int(ts)
            usec = int(round((ts - sec) * 1e6))
            fh.write(struct.pack('<IIII', sec, usec, len(data), len(data)))
            fh.write(data)


def write_all(outdir):
    """Writes <name>.pcap for each malicious capture and benign.pcap.
    Returns {name: (path, sids)}; benign has sids []."""
    os.makedirs(outdir, exist_ok=True)
    out = {}
    for name, (build, sids) in MALICIOUS.items():
        path = os.path.join(outdir, name + '.pcap')
        write_pcap(path, build())
        out[name] = (path, sids)
    path = os.path.join(outdir, 'benign.pcap')
    write_pcap(path, benign_frames())
    out['benign'] = (path, [])
    return out


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: nsm4traffic.py OUTDIR')
    for name, (path, sids) in write_all(sys.argv[1]).items():
        print('%-22s %s %s' % (name, path, ' '.join(map(str, sids)) or '(benign)'))
