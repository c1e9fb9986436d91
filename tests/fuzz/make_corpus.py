#!/usr/bin/env python3
"""Writes a seed corpus for fuzz_decoder from capture files (pcap or pcapng),
or with --rules for fuzz_rule_parser from rule files (one seed per rule), or
with --tcp-stream synthetic operation lists for fuzz_tcp_stream, or with --http for
fuzz_http from the HTTP/1.x TCP payloads of captures (plus a few hand-written exchanges),
or with --dns for fuzz_dns from the port-53 payloads of captures, or with --tls for
fuzz_tls from the TCP payloads of captures.

usage: make_corpus.py OUTDIR CAPTURE...
       make_corpus.py --rules OUTDIR RULEFILE...
       make_corpus.py --tcp-stream OUTDIR
       make_corpus.py --http OUTDIR [CAPTURE...]
       make_corpus.py --dns OUTDIR CAPTURE...
       make_corpus.py --tls OUTDIR CAPTURE...

Per capture: one seed per distinct frame (at most --per-capture of them) and one
seed holding the capture's first frames in order, so the defragmenter and the
flow table see related packets. Seed format (see fuzz_decoder.cpp):
  [datalink selector] then per frame [dt seconds][len_hi][len_lo][frame]
"""
import argparse
import gzip
import hashlib
import os
import struct
import sys

# Keep in sync with kDatalinks in fuzz_decoder.cpp.
DATALINKS = [1, 0, 101, 228, 229, 113, 276, 12, 14]


def read_pcap(data):
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        e = '>'
    else:
        return
    dlt = struct.unpack(e + 'I', data[20:24])[0] & 0x0fffffff
    pos = 24
    while pos + 16 <= len(data):
        sec, _usec, caplen, _wirelen = struct.unpack(e + 'IIII', data[pos:pos + 16])
        pos += 16
        yield dlt, sec, data[pos:pos + caplen]
        pos += caplen


def read_pcapng(data):
    e = '<'
    links = []
    pos = 0
    while pos + 12 <= len(data):
        btype = struct.unpack(e + 'I', data[pos:pos + 4])[0]
        if btype == 0x0A0D0D0A:  # section header: byte order, new interface list
            e = '<' if data[pos + 8:pos + 12] == b'\x4d\x3c\x2b\x1a' else '>'
            links = []
        blen = struct.unpack(e + 'I', data[pos + 4:pos + 8])[0]
        if blen < 12:
            break
        body = data[pos + 8:pos + blen - 4]
        if btype == 1 and len(body) >= 8:  # interface description
            links.append(struct.unpack(e + 'H', body[:2])[0])
        elif btype == 6 and len(body) >= 20:  # enhanced packet
            ifid, ts_hi, ts_lo, caplen, _ = struct.unpack(e + 'IIIII', body[:20])
            if ifid < len(links):
                # Assumes the default microsecond resolution; only time deltas matter.
                yield links[ifid], ((ts_hi << 32) | ts_lo) // 1000000, body[20:20 + caplen]
        elif btype == 3 and len(body) >= 4 and links:  # simple packet
            yield links[0], 0, body[4:]
        pos += blen


def frames(path):
    """(linktype, seconds, frame) of every packet of a pcap or pcapng file."""
    with open(path, 'rb') as f:
        data = f.read()
    if data[:4] == b'\x0a\x0d\x0d\x0a':
        return list(read_pcapng(data))
    return list(read_pcap(data))


HTTP_STARTS = (b'GET ', b'POST ', b'HEAD ', b'PUT ', b'OPTIONS ', b'CONNECT ', b'DELETE ',
               b'PATCH ', b'HTTP/')

HTTP_EXAMPLES = [
    [(0, b'GET /a/../b%20c?x=1 HTTP/1.1\r\nHost: example.com:8080\r\nUser-Agent: x\r\n\r\n'),
     (1, b'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/html\r\n\r\nhello')],
    [(0, b'POST /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n'
         b'4;ext=1\r\nabcd\r\n0\r\nTrailer: t\r\n\r\n'),
     (1, b'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n')],
    [(0, b'GET /1 HTTP/1.1\r\nHost: a\r\n\r\nHEAD /2 HTTP/1.1\r\nHost: a\r\n\r\n'),
     (1, b'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 25\r\n\r\n'
         b'\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcbH\xcd\xc9\xc9\x07\x00\x86\xa6\x106\x05\x00'
         b'\x00\x00HTTP/1.1 304 Not Modified\r\n\r\n')],
    [(0, b'CONNECT host:443 HTTP/1.1\r\n\r\n\x16\x03\x01'), (1, b'HTTP/1.1 200 OK\r\n\r\n')],
    [(0, b'GET /\nFakeHeader\n X-Fold: a\n  b\n\n'), (1, b'<html>0.9 body</html>')],
]


def http_record(direction, payload):
    payload = payload[:0xffff]
    return struct.pack('!BH', direction, len(payload)) + payload


def tcp_payloads(dlt, frame):
    """(src, dst, payload) of an IPv4/IPv6 TCP frame, else None."""
    if dlt == 1:
        off, etype = 14, frame[12:14]
        while etype in (b'\x81\x00', b'\x88\xa8') and len(frame) >= off + 4:
            etype, off = frame[off + 2:off + 4], off + 4
        if etype not in (b'\x08\x00', b'\x86\xdd'):
            return None
    elif dlt == 113:
        off = 16
    elif dlt in (101, 228, 229, 12, 14):
        off = 0
    elif dlt == 0:
        off = 4
    else:
        return None
    ip = frame[off:]
    if len(ip) >= 20 and ip[0] >> 4 == 4 and ip[9] == 6:
        ihl = (ip[0] & 15) * 4
        tcp, src, dst = ip[ihl:struct.unpack('!H', ip[2:4])[0]], ip[12:16], ip[16:20]
    elif len(ip) >= 40 and ip[0] >> 4 == 6 and ip[6] == 6:
        tcp, src, dst = ip[40:], ip[8:24], ip[24:40]
    else:
        return None
    if len(tcp) < 20:
        return None
    return src + tcp[0:2], dst + tcp[2:4], tcp[(tcp[12] >> 4) * 4:]


def http_seeds(args, write):
    for conversation in HTTP_EXAMPLES:
        write(b'\x00' + b''.join(http_record(d, p) for d, p in conversation))
    for path in args.captures:
        flows = {}  # (client, server) -> records, in capture order
        for dlt, _, fr in frames(path):
            got = tcp_payloads(dlt, fr)
            if not got or not got[2]:
                continue
            src, dst, payload = got
            if (dst, src) in flows:
                flows[(dst, src)].append(http_record(1, payload))
            elif (src, dst) in flows or payload.startswith(HTTP_STARTS):
                flows.setdefault((src, dst), []).append(http_record(0, payload))
        for records in list(flows.values())[:args.per_capture]:
            seed = b'\x00'
            for rec in records:
                if len(seed) + len(rec) > args.max_seed:
                    break
                seed += rec
            write(seed)
def dns_payload(dlt, frame):
    """(is_tcp, to_client, payload) of a port-53 UDP/TCP packet, else None."""
    off = {1: 14, 0: 4, 101: 0, 228: 0, 229: 0}.get(dlt)
    if off is None or len(frame) < off + 20:
        return None
    if dlt == 1 and frame[12:14] == b'\x81\x00':
        off = 18
    ip = frame[off:]
    if ip[0] >> 4 == 4:
        hl, proto = (ip[0] & 15) * 4, ip[9]
        ip = ip[:struct.unpack('!H', ip[2:4])[0]]
    elif ip[0] >> 4 == 6 and len(ip) >= 40:
        hl, proto = 40, ip[6]
    else:
        return None
    l4 = ip[hl:]
    if len(l4) < 8 or proto not in (6, 17):
        return None
    sport, dport = struct.unpack('!HH', l4[:4])
    if 53 not in (sport, dport):
        return None
    if proto == 17:
        return False, dport != 53, l4[8:]
    if len(l4) < 20:
        return None
    return True, dport != 53, l4[(l4[12] >> 4) * 4:]


def dns_seeds(path, max_seed):
    """fuzz_dns seeds of one capture: its UDP datagrams, its TCP stream bytes
    (format in fuzz_dns.cpp), each under EVE version 3."""
    recs = {False: b'', True: b''}
    for dlt, _, fr in frames(path):
        p = dns_payload(dlt, fr)
        if p is None or not p[2]:
            continue
        tcp, to_client, data = p
        rec = struct.pack('!BH', 1 if to_client else 0, len(data)) + data
        if len(recs[tcp]) + len(rec) < max_seed - 1:
            recs[tcp] += rec
    return [bytes([1 if tcp else 0]) + body for tcp, body in recs.items() if body]
def tcp_segment(dlt, frame):
    """(connection key, src endpoint, syn, payload) of a TCP frame, or None."""
    if dlt == 1:
        if len(frame) < 14:
            return None
        etype, frame = struct.unpack('!H', frame[12:14])[0], frame[14:]
        while etype == 0x8100 and len(frame) >= 4:
            etype, frame = struct.unpack('!H', frame[2:4])[0], frame[4:]
    elif dlt in (0, 108):
        frame = frame[4:]
    if not frame:
        return None
    if frame[0] >> 4 == 4 and len(frame) >= 20 and frame[9] == 6:
        hl, end = (frame[0] & 15) * 4, struct.unpack('!H', frame[2:4])[0]
        src, dst = frame[12:16], frame[16:20]
    elif frame[0] >> 4 == 6 and len(frame) >= 40 and frame[6] == 6:
        hl, end = 40, 40 + struct.unpack('!H', frame[4:6])[0]
        src, dst = frame[8:24], frame[24:40]
    else:
        return None
    tcp = frame[hl:end]
    if len(tcp) < 20:
        return None
    a, b = src + tcp[0:2], dst + tcp[2:4]
    syn_only = bool(tcp[13] & 2) and not tcp[13] & 0x10
    return (min(a, b), max(a, b)), a, syn_only, tcp[(tcp[12] >> 4) * 4:]


def tls_seeds(path, max_seed):
    """One fuzz_tls seed per TCP connection: [ctl=direction][len][payload] chunks."""
    conns = {}
    for dlt, _t, frame in frames(path):
        seg = tcp_segment(dlt, frame)
        if seg is None:
            continue
        key, src, syn, payload = seg
        # The client: the first sender (the SYN's), or the SYN-ACK's receiver.
        conn = conns.setdefault(key, {'client': src, 'seed': b''})
        if syn and not payload and not conn['seed'] and src != conn['client']:
            conn['client'] = src if not conn.get('synack') else conn['client']
        direction = 0 if src == conn['client'] else 1
        for i in range(0, len(payload), 255):
            chunk = payload[i:i + 255]
            if len(conn['seed']) + len(chunk) + 2 <= max_seed:
                conn['seed'] += bytes([direction, len(chunk)]) + chunk
    return [c['seed'] for c in conns.values() if c['seed']]


def record(dt, frame):
    frame = frame[:0xffff]
    return struct.pack('!BH', min(max(dt, 0), 255), len(frame)) + frame


def tcp_stream_seeds():
    """Operation lists in fuzz_tcp_stream.cpp's format: each policy with in-order,
    reversed, overlapping and lossy segmentations of both streams."""
    def add(stream, off, length, data=None):
        op = (0x80 if stream else 0) | (0x40 if data is None else 0)
        return bytes([op]) + struct.pack('!hB', off, length) + (data or b'')

    def ack(stream, off):
        return bytes([(0x80 if stream else 0) | 2]) + struct.pack('!h', off)

    def close(stream):
        return bytes([(0x80 if stream else 0) | 3])

    cuts = [(0, 100), (100, 100), (200, 56)]
    plans = {
        'in-order': [add(0, o, n) for o, n in cuts] + [add(1, 0, 200)],
        'reversed': [add(0, o, n) for o, n in reversed(cuts)] + [close(0)],
        'overlap': [add(0, 50, 100), add(0, 100, 100, bytes(range(100))), add(0, 0, 120),
                    add(1, 10, 10), add(1, 5, 20, b'x' * 20), add(1, 0, 5), close(1)],
        'lossy': [add(0, 0, 50), add(0, 100, 50), ack(0, 120), add(1, 300, 10), ack(1, 400),
                  close(0), close(1)],
        'old': [add(0, 0, 100), add(0, -20, 60, b'y' * 60), add(0, 90, 20, b'z' * 20)],
    }
    seeds = []
    for policy in range(6):
        for depth, window in ((0, 0), (3, 64)):
            header = struct.pack('!BBBHBI', policy, depth, 16, 4096, window, 0xfffffff0)
            seeds += [header + b''.join(plan) for plan in plans.values()]
    return seeds


def ingest_seeds():
    """fuzz_ingest seeds: [flags][body], EVE NDJSON batches plain and gzip'd (format in
    fuzz_ingest.cpp), and a few API request targets."""
    lines = [
        b'{"timestamp":"2026-01-02T03:04:05.123456+0000","flow_id":1,"event_type":"alert",'
        b'"src_ip":"10.0.0.1","src_port":1,"dest_ip":"2001:db8::1","dest_port":80,"proto":"TCP",'
        b'"community_id":"1:abc=","alert":{"action":"allowed","gid":1,"signature_id":2001,'
        b'"rev":1,"signature":"caf\\u00e9 \\"x\\"","category":"Misc activity","severity":2}}',
        b'{"timestamp":"2026-01-02T03:04:05Z","event_type":"stats","stats":{"uptime":4,'
        b'"capture":{"kernel_packets":5,"kernel_drops":1},"decoder":{"pkts":5,"bytes_ipv4":70},'
        b'"flow":{"total":2},"agent":{"version":"0.5","rules":{"version":"r1","loaded":3,'
        b'"failed":0}},"forward":{"spool_batches":1,"spool_bytes":9}}}',
        b'{"event_type":"dns","dns":{"answers":[{"rdata":"1.2.3.4","ttl":-1.5e3}]},"x":[true,null]}',
        b'not json', b'[1,2]', b'{"event_type":7}',
    ]
    body = b'\n'.join(lines) + b'\n'
    seeds = [bytes([0]) + body, bytes([2]) + body, bytes([1]) + gzip.compress(body),
             bytes([0]) + lines[0], bytes([0]) + lines[1],
             bytes([0]) + b'/api/v1/alerts?site=ward-1&from=2026-01-02T03:04:05Z&to=1767323045.5'
             b'&q=a+b%20c&limit=10']
    return seeds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('outdir')
    ap.add_argument('captures', nargs='*', help='capture files, or rule files with --rules')
    ap.add_argument('--rules', action='store_true')
    ap.add_argument('--tcp-stream', action='store_true', help='synthetic fuzz_tcp_stream seeds')
    ap.add_argument('--http', action='store_true', help='seeds for fuzz_http')
    ap.add_argument('--dns', action='store_true', help='fuzz_dns seeds')
    ap.add_argument('--tls', action='store_true', help='fuzz_tls seeds: TCP payloads')
    ap.add_argument('--ingest', action='store_true', help='synthetic fuzz_ingest seeds')
    ap.add_argument('--max-rules', type=int, default=3000, help='rule seeds at most')
    ap.add_argument('--per-capture', type=int, default=100)
    ap.add_argument('--sequence', type=int, default=32, help='frames in the in-order seed')
    ap.add_argument('--max-seed', type=int, default=16384,
                    help='bytes per in-order seed (the fuzzer runs with -max_len of this)')
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    written = set()

    def write(seed):
        name = hashlib.sha1(seed).hexdigest()
        if name not in written:
            written.add(name)
            with open(os.path.join(args.outdir, name), 'wb') as f:
                f.write(seed)

    if args.ingest:
        for seed in ingest_seeds():
            write(seed)
        print('make_corpus: %d ingest seeds in %s' % (len(written), args.outdir))
        return 0

    if args.tcp_stream:
        for seed in tcp_stream_seeds():
            write(seed)
        print('make_corpus: %d tcp stream seeds in %s' % (len(written), args.outdir))
        return 0

    if args.http:
        http_seeds(args, write)
        print('make_corpus: %d http seeds from %d captures in %s' % (len(written), len(args.captures),
                                                                   args.outdir))
        return 0

    if not args.captures:
        ap.error('capture or rule files are needed')
    if args.rules:
        rules = []
        for path in args.captures:
            with open(path, 'rb') as f:
                rules += [l.strip() for l in f if l.strip() and not l.lstrip().startswith(b'#')]
        rules = sorted(set(rules))
        step = max(1, len(rules) // args.max_rules)  # an even sample across all files
        for rule in rules[::step]:
            write(rule + b'\n')
        print('make_corpus: %d rule seeds from %d files in %s' % (len(written), len(args.captures),
                                                                   args.outdir))
        return 0

    if args.dns:
        for path in args.captures:
            for seed in dns_seeds(path, args.max_seed):
                write(seed)
        print('make_corpus: %d dns seeds from %d captures in %s' % (len(written), len(args.captures),
                                                                    args.outdir))
        return 0

    if args.tls:
        for path in args.captures:
            for seed in tls_seeds(path, args.max_seed):
                write(seed)
        print('make_corpus: %d tls seeds from %d captures in %s' % (len(written), len(args.captures),
                                                                    args.outdir))
        return 0

    for path in args.captures:
        pkts = [(DATALINKS.index(d), t, fr) for d, t, fr in frames(path) if d in DATALINKS]
        for sel, _, fr in pkts[:args.per_capture]:
            write(bytes([sel]) + record(0, fr))
        seq = [p for p in pkts[:args.sequence] if p[0] == (pkts[0][0] if pkts else 0)]
        if len(seq) > 1:
            prev = seq[0][1]
            body = b''
            for _, t, fr in seq:
                rec = record(t - prev, fr)
                if len(body) + len(rec) > args.max_seed - 1:
                    break
                body += rec
                prev = t
            write(bytes([seq[0][0]]) + body)
    print('make_corpus: %d seeds from %d captures in %s' % (len(written), len(args.captures),
                                                             args.outdir))
    return 0


if __name__ == '__main__':
    sys.exit(main())
