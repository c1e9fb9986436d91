#!/usr/bin/env python3
"""Writes a seed corpus for fuzz_decoder from capture files (pcap or pcapng),
or with --rules for fuzz_rule_parser from rule files (one seed per rule).

usage: make_corpus.py OUTDIR CAPTURE...
       make_corpus.py --rules OUTDIR RULEFILE...
       make_corpus.py --tls OUTDIR CAPTURE...

Per capture: one seed per distinct frame (at most --per-capture of them) and one
seed holding the capture's first frames in order, so the defragmenter and the
flow table see related packets. Seed format (see fuzz_decoder.cpp):
  [datalink selector] then per frame [dt seconds][len_hi][len_lo][frame]
"""
import argparse
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('outdir')
    ap.add_argument('captures', nargs='+', help='capture files, or rule files with --rules')
    ap.add_argument('--rules', action='store_true')
    ap.add_argument('--tls', action='store_true', help='fuzz_tls seeds: TCP payloads')
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
