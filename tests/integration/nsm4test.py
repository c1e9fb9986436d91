"""Shared helpers for the integration tests (python3 standard library only).

Every test script is run by ctest as
    python3 tests/integration/test_X.py --build-dir BUILD --source-dir SRC
and exits 0 (pass), 1 (fail) or 77 (skipped, the reason printed).
"""
import argparse
import ipaddress
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile

SKIP = 77


def in_ci():
    return os.environ.get('CI', '').lower() in ('true', '1', 'yes')


def skip(reason):
    """Skips the test with a visible reason (ctest shows it as skipped)."""
    print('SKIPPED: ' + reason, flush=True)
    sys.exit(SKIP)


def fail(reason):
    print('FAIL: ' + reason, flush=True)
    sys.exit(1)


def skip_or_fail_in_ci(reason):
    """For prerequisites CI must have: skip on a developer machine, fail in CI."""
    if in_ci():
        fail(reason + ' (CI=true: this must not be skipped)')
    skip(reason)


class Env:
    """Paths every test needs: the build and source trees, the agent, shared/."""

    def __init__(self, description):
        ap = argparse.ArgumentParser(description=description)
        ap.add_argument('--build-dir', required=True)
        ap.add_argument('--source-dir', required=True)
        args = ap.parse_args()
        self.build_dir = os.path.abspath(args.build_dir)
        self.source_dir = os.path.abspath(args.source_dir)
        self.agent = os.path.join(self.build_dir, 'agent', 'nsm4-agent')
        if not os.access(self.agent, os.X_OK):
            fail('agent binary not found at %s (build the nsm4-agent target first)' % self.agent)
        self.shared = os.path.normpath(os.path.join(self.source_dir, '..', 'shared'))
        print('agent: %s' % self.agent)

    def require_shared(self, *parts):
        """The path under ../shared; skips (fails in CI) when it is missing."""
        path = os.path.join(self.shared, *parts)
        if not os.path.exists(path):
            skip_or_fail_in_ci('%s is missing (the shared test data lives beside the repository)'
                               % path)
        return path

    def tmpdir(self, prefix):
        return tempfile.mkdtemp(prefix='nsm4-%s-' % prefix)


def sanitized_build(build_dir):
    """True for an ASan+UBSan build (NSM4_SANITIZE=ON in its CMakeCache.txt)."""
    try:
        with open(os.path.join(build_dir, 'CMakeCache.txt')) as f:
            return any(line.strip() == 'NSM4_SANITIZE:BOOL=ON' for line in f)
    except OSError:
        return False


def require_tool(name):
    path = shutil.which(name)
    if not path:
        skip_or_fail_in_ci('%s is not installed (scripts/install-deps --test installs it)' % name)
    return path


class Result:
    def __init__(self, argv, proc, outdir):
        self.argv = argv
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.outdir = outdir

    @property
    def eve_path(self):
        return os.path.join(self.outdir, 'eve.json') if self.outdir else None

    def events(self, event_type=None):
        return read_eve(self.eve_path, event_type)

    def describe(self):
        return 'command: %s\nexit: %d\nstdout: %s\nstderr: %s' % (
            ' '.join(self.argv), self.returncode, self.stdout[-2000:], self.stderr[-2000:])


def run_agent(env, args, outdir=None, stdin=None, timeout=600, input_bytes=None):
    """Runs the agent; with outdir, adds `-l outdir` so eve.json is written there."""
    argv = [env.agent] + list(args)
    if outdir is not None:
        argv += ['-l', outdir]
    kwargs = dict(stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    if input_bytes is not None:
        kwargs['input'] = input_bytes
    else:
        kwargs['stdin'] = stdin if stdin is not None else subprocess.DEVNULL
    proc = subprocess.run(argv, **kwargs)
    proc.stdout = proc.stdout.decode(errors='replace')
    proc.stderr = proc.stderr.decode(errors='replace')
    return Result(argv, proc, outdir)


def read_eve_lines(path):
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding='utf-8', errors='replace') as f:
        return [line.rstrip('\n') for line in f if line.strip()]


def read_eve(path, event_type=None):
    events = []
    for n, line in enumerate(read_eve_lines(path), 1):
        try:
            ev = json.loads(line)
        except ValueError as e:
            raise AssertionError('%s line %d is not JSON (%s): %s' % (path, n, e, line[:200]))
        if event_type is None or ev.get('event_type') == event_type:
            events.append(ev)
    return events


def final_stats(events):
    """The last `stats` event's `stats` object, or None."""
    stats = [e for e in events if e.get('event_type') == 'stats']
    return stats[-1].get('stats') if stats else None


def dig(obj, dotted, default=None):
    for part in dotted.split('.'):
        if not isinstance(obj, dict) or part not in obj:
            return default
        obj = obj[part]
    return obj


def norm_ip(addr):
    """An address in its shortest form (EVE may write IPv6 fully expanded)."""
    try:
        return ipaddress.ip_address(str(addr)).compressed
    except ValueError:
        return addr


def flow_key(ev):
    """(proto, src_ip, src_port, dest_ip, dest_port) of an event, proto upper-case,
    addresses normalised; ports are None for ICMP."""
    return (str(ev.get('proto', '')).upper(), norm_ip(ev.get('src_ip')), ev.get('src_port'),
            norm_ip(ev.get('dest_ip')), ev.get('dest_port'))


def canonical(ev, drop=()):
    return json.dumps({k: v for k, v in ev.items() if k not in drop}, sort_keys=True)


class Checks:
    """Collects named checks, prints each one, and exits accordingly at the end."""

    def __init__(self):
        self.failed = []
        self.passed = 0

    def check(self, ok, what, detail=''):
        if ok:
            self.passed += 1
            print('ok    %s' % what, flush=True)
        else:
            self.failed.append(what)
            print('FAIL  %s%s' % (what, ('\n      ' + detail.replace('\n', '\n      '))
                                  if detail else ''), flush=True)
        return ok

    def finish(self):
        print('%d checks passed, %d failed' % (self.passed, len(self.failed)), flush=True)
        if self.failed:
            for f in self.failed:
                print('  failed: %s' % f)
            sys.exit(1)
        sys.exit(0)


def one_line_error(stderr):
    """True when stderr is exactly one line starting with 'nsm4-agent: '."""
    lines = [l for l in stderr.splitlines() if l.strip()]
    return len(lines) == 1 and lines[0].startswith('nsm4-agent: ')


# --- Crafting captures ------------------------------------------------------

DLT_EN10MB = 1


def write_pcap(path, frames, dlt=DLT_EN10MB, snaplen=65535):
    """frames: iterable of (timestamp_seconds_float, bytes)."""
    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, snaplen, dlt))
        for ts, data in frames:
            sec = int(ts)
            usec = int(round((ts - sec) * 1e6))
            f.write(struct.pack('<IIII', sec, usec, len(data), len(data)))
            f.write(data)


def pcap_linktype(path):
    """Link type of a classic pcap file, or None for anything else (pcapng...)."""
    with open(path, 'rb') as f:
        hdr = f.read(24)
    if len(hdr) < 24:
        return None
    magic = hdr[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'):
        return struct.unpack('<I', hdr[20:24])[0] & 0x0fffffff
    if magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'):
        return struct.unpack('>I', hdr[20:24])[0] & 0x0fffffff
    return None


def _csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def _ip_bytes(addr):
    return ipaddress.ip_address(addr).packed


def ether(payload, ethertype, src=b'\x02\0\0\0\0\x01', dst=b'\x02\0\0\0\0\x02'):
    return dst + src + struct.pack('!H', ethertype) + payload


def ipv4(src, dst, proto, payload, ident=1, ttl=64):
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident, 0, ttl, proto, 0,
                      _ip_bytes(src), _ip_bytes(dst))
    hdr = hdr[:10] + struct.pack('!H', _csum(hdr)) + hdr[12:]
    return ether(hdr + payload, 0x0800)


def ipv6(src, dst, nh, payload, hlim=64):
    hdr = struct.pack('!IHBB16s16s', 6 << 28, len(payload), nh, hlim, _ip_bytes(src),
                      _ip_bytes(dst))
    return ether(hdr + payload, 0x86dd)


def _l4(src, dst, proto, seg, csum_off):
    if ':' in src:
        pseudo = _ip_bytes(src) + _ip_bytes(dst) + struct.pack('!IxxxB', len(seg), proto)
    else:
        pseudo = _ip_bytes(src) + _ip_bytes(dst) + struct.pack('!xBH', proto, len(seg))
    c = _csum(pseudo + seg)
    if proto == 17 and c == 0:
        c = 0xffff
    seg = seg[:csum_off] + struct.pack('!H', c) + seg[csum_off + 2:]
    return (ipv6 if ':' in src else ipv4)(src, dst, proto, seg)


def udp(src, sport, dst, dport, data=b''):
    seg = struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data
    return _l4(src, dst, 17, seg, 6)


def tcp(src, sport, dst, dport, flags, seq=0, ack=0, data=b''):
    """flags: a string of S A F R P letters."""
    bits = sum({'F': 1, 'S': 2, 'R': 4, 'P': 8, 'A': 16}[c] for c in flags)
    seg = struct.pack('!HHIIBBHHH', sport, dport, seq, ack, 5 << 4, bits, 65535, 0, 0) + data
    return _l4(src, dst, 6, seg, 16)


def icmp_echo(src, dst, ident, seq, reply=False):
    if ':' in src:
        msg = struct.pack('!BBHHH', 129 if reply else 128, 0, 0, ident, seq) + b'ping'
        return _l4(src, dst, 58, msg, 2)
    msg = struct.pack('!BBHHH', 0 if reply else 8, 0, 0, ident, seq) + b'ping'
    msg = msg[:2] + struct.pack('!H', _csum(msg)) + msg[4:]
    return ipv4(src, dst, 1, msg)


def tcp_session(c, cport, s, sport, request=b'GET / HTTP/1.0\r\n\r\n', reply=b'HTTP/1.0 200 OK\r\n\r\n'):
    """A complete TCP session: handshake, one request, one reply, FIN/ACK both ways.
    Returns 8 frames: 5 from the client, 3 from the server."""
    ci, si = 1000, 5000
    return [
        tcp(c, cport, s, sport, 'S', ci, 0),
        tcp(s, sport, c, cport, 'SA', si, ci + 1),
        tcp(c, cport, s, sport, 'A', ci + 1, si + 1),
        tcp(c, cport, s, sport, 'PA', ci + 1, si + 1, request),
        tcp(s, sport, c, cport, 'PA', si + 1, ci + 1 + len(request), reply),
        tcp(c, cport, s, sport, 'FA', ci + 1 + len(request), si + 1 + len(reply)),
        tcp(s, sport, c, cport, 'FA', si + 1 + len(reply), ci + 2 + len(request)),
        tcp(c, cport, s, sport, 'A', ci + 2 + len(request), si + 2 + len(reply)),
    ]


def mixed_capture(path, t0=1700000000.0):
    """A small Ethernet capture with known flows, IPv4 and IPv6:
      TCP  10.0.0.1:40000 -> 10.0.0.2:80      5 toserver, 3 toclient
      UDP  10.0.0.1:53000 -> 10.0.0.53:53     1 toserver, 1 toclient
      ICMP 10.0.0.1 -> 10.0.0.2 echo          2 toserver, 2 toclient
      TCP  2001:db8::1:41000 -> 2001:db8::2:443   5 / 3
      UDP  2001:db8::1:53001 -> 2001:db8::53:53   1 / 1
      ICMPv6 2001:db8::1 -> 2001:db8::2 echo       1 / 1
    Returns the expected {flow_key: (pkts_toserver, pkts_toclient)} and the frame count."""
    frames = []
    frames += tcp_session('10.0.0.1', 40000, '10.0.0.2', 80)
    frames += [udp('10.0.0.1', 53000, '10.0.0.53', 53, b'\x12\x34\x01\x00' + b'\0' * 8),
               udp('10.0.0.53', 53, '10.0.0.1', 53000, b'\x12\x34\x81\x80' + b'\0' * 8)]
    frames += [icmp_echo('10.0.0.1', '10.0.0.2', 7, 1), icmp_echo('10.0.0.2', '10.0.0.1', 7, 1, True),
               icmp_echo('10.0.0.1', '10.0.0.2', 7, 2), icmp_echo('10.0.0.2', '10.0.0.1', 7, 2, True)]
    frames += tcp_session('2001:db8::1', 41000, '2001:db8::2', 443)
    frames += [udp('2001:db8::1', 53001, '2001:db8::53', 53, b'\x56\x78\x01\x00' + b'\0' * 8),
               udp('2001:db8::53', 53, '2001:db8::1', 53001, b'\x56\x78\x81\x80' + b'\0' * 8)]
    frames += [icmp_echo('2001:db8::1', '2001:db8::2', 9, 1),
               icmp_echo('2001:db8::2', '2001:db8::1', 9, 1, True)]
    write_pcap(path, [(t0 + i * 0.01, f) for i, f in enumerate(frames)])
    expected = {
        ('TCP', '10.0.0.1', 40000, '10.0.0.2', 80): (5, 3),
        ('UDP', '10.0.0.1', 53000, '10.0.0.53', 53): (1, 1),
        ('ICMP', '10.0.0.1', None, '10.0.0.2', None): (2, 2),
        ('TCP', '2001:db8::1', 41000, '2001:db8::2', 443): (5, 3),
        ('UDP', '2001:db8::1', 53001, '2001:db8::53', 53): (1, 1),
        ('IPV6-ICMP', '2001:db8::1', None, '2001:db8::2', None): (1, 1),
    }
    return expected, len(frames)


def many_flows_capture(path, n_flows=3000, t0=1700000000.0):
    """A capture with many interleaved short flows (TCP and UDP, IPv4 and IPv6),
    with gaps long enough that some flows time out in packet time."""
    frames = []
    t = t0
    for i in range(n_flows):
        v6 = i % 3 == 0
        c = '2001:db8:1::%x' % (i % 200 + 1) if v6 else '10.1.%d.%d' % (i // 250 % 250, i % 250 + 1)
        s = '2001:db8:2::%x' % (i % 7 + 1) if v6 else '192.168.7.%d' % (i % 7 + 1)
        cport = 20000 + i % 40000
        if i % 2:
            pkts = [udp(c, cport, s, 53, b'q%d' % i), udp(s, 53, c, cport, b'r%d' % i)]
        else:
            pkts = tcp_session(c, cport, s, 80 + i % 5)[:5]
        for p in pkts:
            frames.append((t, p))
            t += 0.001
        if i % 500 == 499:
            t += 400.0  # past the UDP and new-TCP timeouts
    write_pcap(path, frames)
    return len(frames)
