#!/usr/bin/env python3
"""Memory of stream reassembly and the app layer per 100k concurrent flows.

Writes a capture of N concurrent TCP connections (IPv4 and IPv6 alternating)
that all stay open until the end: handshake, the first part of an HTTP
request (headers not finished, so the parser holds it), and a segment sent
ahead of a hole (so the stream holds it out of order). Then runs the agent
twice on it, one worker, with the app layer on and off, and prints the peak
RSS of each and the difference per 100k flows.

    bench/app_memory.py --agent build/agent/nsm4-agent [--flows 100000]

Figures only; nothing is asserted. Record results in bench/RESULTS.md.
"""
import argparse
import ipaddress
import os
import resource
import struct
import subprocess
import sys
import tempfile


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def frame(src, dst, sport, dport, flags, seq, ack, data=b''):
    seg = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data
    s, d = src.packed, dst.packed
    if src.version == 4:
        pseudo = s + d + struct.pack('!xBH', 6, len(seg))
        seg = seg[:16] + struct.pack('!H', csum(pseudo + seg)) + seg[18:]
        hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(seg), 1, 0, 64, 6, 0, s, d)
        hdr = hdr[:10] + struct.pack('!H', csum(hdr)) + hdr[12:]
        return b'\2\0\0\0\0\2\2\0\0\0\0\1\x08\x00' + hdr + seg
    pseudo = s + d + struct.pack('!IxxxB', len(seg), 6)
    seg = seg[:16] + struct.pack('!H', csum(pseudo + seg)) + seg[18:]
    hdr = struct.pack('!IHBB16s16s', 6 << 28, len(seg), 6, 64, s, d)
    return b'\2\0\0\0\0\2\2\0\0\0\0\1\x86\xdd' + hdr + seg


def write_capture(path, flows):
    head = b'GET /index.html?session=%08d HTTP/1.1\r\nHost: portal.example\r\nUser-Agent: bench\r\n'
    ahead = b'Accept: */*\r\n'
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        t = 1767225600.0
        for i in range(flows):
            if i % 2:
                c = ipaddress.ip_address('2001:db8:1::') + i
                s = ipaddress.ip_address('2001:db8:2::80')
            else:
                c = ipaddress.ip_address('10.0.0.0') + (i % 16000000) + 1
                s = ipaddress.ip_address('10.255.0.80')
            cport = 1024 + i % 60000
            req = head % i
            pkts = [frame(c, s, cport, 80, 0x02, 1000, 0),
                    frame(s, c, 80, cport, 0x12, 5000, 1001),
                    frame(c, s, cport, 80, 0x10, 1001, 5001),
                    frame(c, s, cport, 80, 0x18, 1001, 5001, req),
                    # after a 20-byte hole: held out of order
                    frame(c, s, cport, 80, 0x18, 1001 + len(req) + 20, 5001, ahead)]
            for p in pkts:
                t += 0.00001
                sec = int(t)
                f.write(struct.pack('<IIII', sec, int((t - sec) * 1e6), len(p), len(p)) + p)


def peak_rss_kib(argv):
    """Runs argv and returns the child's peak RSS in KiB (ru_maxrss of this child alone)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode != 0:
        sys.exit('agent failed: %s\n%s' % (' '.join(argv), proc.stderr.decode()[-2000:]))
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the maximum over all of them: run the larger one last.
    return after, before


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('--agent', required=True)
    ap.add_argument('--flows', type=int, default=100000)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix='nsm4-appmem-')
    pcap = os.path.join(tmp, 'flows.pcap')
    write_capture(pcap, args.flows)
    base = [args.agent, '-r', pcap, '--workers', '1', '-q', '-l', tmp,
            '--set', 'flow.memcap=4gb', '--set', 'eve.flow=no']
    off, _ = peak_rss_kib(base + ['--set', 'app-layer.enabled=no'])
    on, _ = peak_rss_kib(base)
    per = (on - off) * 100000.0 / args.flows
    print('flows                  %d (concurrent until the end of the capture)' % args.flows)
    print('peak RSS, app off      %.1f MiB' % (off / 1024.0))
    print('peak RSS, app on       %.1f MiB' % (on / 1024.0))
    print('reassembly + app layer %.1f MiB per 100k flows (%.0f bytes per flow)'
          % (per / 1024.0, (on - off) * 1024.0 / args.flows))
    for name in os.listdir(tmp):
        os.remove(os.path.join(tmp, name))
    os.rmdir(tmp)


if __name__ == '__main__':
    main()
