#!/usr/bin/env python3
"""Collector ingest benchmark (issue 5): sustained ingest from N concurrent agents over
TLS into the durable store, the collector on one core.

  bench/collector_ingest.py [--seconds 20] [--warmup 5] [--agents 50] [--sites 10]
                            [--batch-events 1000] [--build-dir build] [--keep]
                            [--probes 5] [--store-dir DIR] [--skip-ceiling]

What it does, in one run:
  1. Events: gen_traffic writes a mixed capture, the real agent (with a small bench rule
     set so that ~5% of the lines are alerts) turns it into eve.json; its flow/dns/http/tls/
     alert/... lines (not stats) are the event pool. Each agent gets 4 distinct batches of
     --batch-events lines (its own "agent"/"site" fields), gzip'd once and reused.
  2. `nsm4-collector init` with agents bench-01..bench-NN over --sites sites.
  3. Ceiling: tls_sink (bench/tls_sink.cpp: one thread, reads and discards, answers a
     fixed tiny HTTP 200 per request) on core 0 with the collector's server certificate;
     the same requests over the same number of keep-alive TLS connections.
  4. The collector (`taskset -c 0`, threads: 1) under the same load, plus --probes probe
     threads (default 5: bench-01..05, each on its own stream "probe") that post one stats
     heartbeat whose stats.decoder.pkts is a unique increasing value and then poll
     GET /metrics (plain HTTP, loopback) until nsm4_agent_packets_total{agent=...} shows
     it: the event-to-metric latency.
  Afterwards the store's row count is checked against the events acknowledged.

The load generator is this process: one thread per agent, pinned to core 1; its own CPU
use is reported so that a saturated generator is visible. Figures only: nothing here
asserts a timing.
"""
import argparse
import gzip
import http.client
import json
import os
import re
import resource
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.dirname(HERE)
CLK_TCK = os.sysconf('SC_CLK_TCK')

# Alerts on a few percent of the mixed capture's flows (HTTP 404s, NXDOMAIN answers, SSH
# and a TLS SNI pattern), so that batches carry alerts the way an agent's do.
BENCH_RULES = r'''
alert http any any -> any any (msg:"BENCH HTTP not found"; http.stat_code; content:"404"; classtype:web-application-activity; sid:9100001; rev:1;)
alert dns any any -> any any (msg:"BENCH DNS NXDOMAIN"; dns.query; content:"a"; classtype:bad-unknown; sid:9100002; rev:1;)
alert tcp any any -> any 22 (msg:"BENCH SSH session"; flow:established,to_server; content:"SSH-"; depth:4; classtype:policy-violation; sid:9100003; rev:1;)
alert tls any any -> any any (msg:"BENCH TLS SNI q"; tls.sni; content:"q"; classtype:policy-violation; sid:9100004; rev:1;)
'''


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def percentile(values, p):
    if not values:
        return float('nan')
    v = sorted(values)
    k = min(len(v) - 1, max(0, int(round(p / 100.0 * (len(v) - 1)))))
    return v[k]


def proc_cpu_seconds(pid):
    """utime + stime of a process (all its threads), from /proc/<pid>/stat."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def thread_cpu_seconds(pid):
    """{tid: (name, cpu seconds)} for every thread of a process."""
    out = {}
    for tid in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/stat' % (pid, tid)) as f:
                text = f.read()
        except OSError:
            continue
        name = text[text.index('(') + 1:text.rindex(')')]
        fields = text.rsplit(')', 1)[1].split()
        out[int(tid)] = (name, (int(fields[11]) + int(fields[12])) / CLK_TCK)
    return out


def run_queue_wait_seconds(pid):
    """Time the process's threads spent runnable but waiting for a CPU (/proc schedstat)."""
    total = 0
    for tid in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/schedstat' % (pid, tid)) as f:
                total += int(f.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
    return total / 1e9


def self_cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# ---------------------------------------------------------------------------- events

def make_event_pool(args, work):
    gen = os.path.join(args.build_dir, 'bench', 'gen_traffic')
    agent = os.path.join(args.build_dir, 'agent', 'nsm4-agent')
    for b in (gen, agent):
        if not os.access(b, os.X_OK):
            sys.exit('missing %s (build the gen_traffic and nsm4-agent targets)' % b)
    pcap = os.path.join(work, 'mix.pcap')
    subprocess.run([gen, '-o', pcap, '--packets', str(args.pcap_packets), '--concurrent', '500',
                    '--seed', '5'], check=True, stdout=subprocess.DEVNULL)
    rules = os.path.join(work, 'bench.rules')
    with open(rules, 'w') as f:
        f.write(BENCH_RULES)
    outdir = os.path.join(work, 'agent-out')
    os.makedirs(outdir)
    subprocess.run([agent, '-r', pcap, '-l', outdir, '-q', '-S', rules, '--site', 'SITEX',
                    '--agent-name', 'AGENTX'], check=True, stdout=subprocess.DEVNULL)
    lines = []
    types = {}
    with open(os.path.join(outdir, 'eve.json'), 'rb') as f:
        for raw in f:
            raw = raw.rstrip(b'\n')
            if not raw:
                continue
            t = json.loads(raw).get('event_type')
            if t == 'stats':
                continue  # heartbeats are the probe's; an agent sends one every few seconds
            types[t] = types.get(t, 0) + 1
            lines.append(raw)
    if not lines:
        sys.exit('the agent wrote no events')
    # Keep every k-th alert so that alerts are ~5% of the pool, as on a real network.
    alerts = types.get('alert', 0)
    others = len(lines) - alerts
    want = max(1, others // 19)
    if alerts > want:
        kept, seen = [], 0
        for raw in lines:
            if b'"event_type":"alert"' in raw:
                seen += 1
                if seen * want // alerts == (seen - 1) * want // alerts:
                    continue
            kept.append(raw)
        lines = kept
        types['alert'] = sum(1 for x in lines if b'"event_type":"alert"' in x)
    return lines, types


def build_batches(lines, name, site, batch_events, count, offset):
    """`count` distinct gzip'd NDJSON bodies for one agent (its own agent/site fields)."""
    bodies = []
    raw_bytes = 0
    for b in range(count):
        start = (offset + b * batch_events) % len(lines)
        chunk = [lines[(start + i) % len(lines)] for i in range(batch_events)]
        text = b'\n'.join(chunk) + b'\n'
        text = text.replace(b'"agent":"AGENTX"', b'"agent":"%s"' % name.encode())
        text = text.replace(b'"site":"SITEX"', b'"site":"%s"' % site.encode())
        raw_bytes += len(text)
        bodies.append(gzip.compress(text, 6))
    return bodies, raw_bytes / count


# ---------------------------------------------------------------------------- HTTP over TLS

class Conn:
    """One keep-alive HTTP/1.1 connection over TLS, one request in flight."""

    def __init__(self, port, ctx):
        sock = socket.create_connection(('127.0.0.1', port), timeout=60)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = ctx.wrap_socket(sock, server_hostname='127.0.0.1')
        self.buf = b''

    def _fill(self):
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError('connection closed by the server')
        self.buf += data

    def exchange(self, head, body):
        """Sends one request; returns (status, response body)."""
        self.sock.sendall(head + body)
        while b'\r\n\r\n' not in self.buf:
            self._fill()
        header, self.buf = self.buf.split(b'\r\n\r\n', 1)
        status = int(header.split(b' ', 2)[1])
        m = re.search(rb'(?im)^content-length:\s*(\d+)', header)
        length = int(m.group(1)) if m else 0
        while len(self.buf) < length:
            self._fill()
        reply, self.buf = self.buf[:length], self.buf[length:]
        return status, reply

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def request_head(port, token, stream, seq, body_len):
    return ('POST /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n'
            'Authorization: Bearer %s\r\nContent-Type: application/x-ndjson\r\n'
            'Content-Encoding: gzip\r\nX-Nsm4-Batch: %s/%d\r\nContent-Length: %d\r\n\r\n'
            % (port, token, stream, seq, body_len)).encode()


class Sender(threading.Thread):
    """One agent: posts its batches back to back on one connection until stopped."""

    def __init__(self, port, ctx, token, stream, bodies, batch_events, check_reply, stop):
        super().__init__(daemon=True)
        self.port, self.ctx, self.token, self.stream = port, ctx, token, stream
        self.bodies, self.batch_events, self.check_reply, self.stop = (
            bodies, batch_events, check_reply, stop)
        self.acked_events = 0
        self.acked_batches = 0
        self.wire_bytes = 0
        self.refused = {}
        self.errors = []
        self.ack_latencies = []  # (send time, seconds)

    def run(self):
        try:
            conn = Conn(self.port, self.ctx)
            seq = 1
            while not self.stop.is_set():
                body = self.bodies[seq % len(self.bodies)]
                head = request_head(self.port, self.token, self.stream, seq, len(body))
                t0 = time.monotonic()
                status, reply = conn.exchange(head, body)
                t1 = time.monotonic()
                if status != 200:
                    self.refused[status] = self.refused.get(status, 0) + 1
                    time.sleep(0.05)
                    continue  # the same seq again, as an agent retries
                stored = self.batch_events
                if self.check_reply:
                    r = json.loads(reply)
                    if r.get('duplicate') or r.get('stored') != self.batch_events:
                        raise RuntimeError('unexpected reply %r' % reply[:200])
                    stored = r['stored']
                self.acked_events += stored
                self.acked_batches += 1
                self.wire_bytes += len(head) + len(body)
                self.ack_latencies.append((t0, t1 - t0))
                seq += 1
            conn.close()
        except Exception as e:  # reported by the main thread
            self.errors.append(repr(e))


class Probe(threading.Thread):
    """Heartbeats with a unique stats.decoder.pkts as one agent; send -> visible in /metrics."""

    def __init__(self, port, ctx, agent, token, site, interval, poll, stop):
        super().__init__(daemon=True)
        self.port, self.ctx, self.agent, self.token, self.site = port, ctx, agent, token, site
        self.interval, self.poll, self.stop = interval, poll, stop
        self.samples = []  # (send time, send->ack, send->visible)
        self.acked_events = 0
        self.errors = []
        self.pattern = re.compile(
            r'^nsm4_agent_packets_total\{[^}]*agent="%s"[^}]*\} (\S+)$' % agent, re.M)

    def heartbeat(self, pkts):
        now = time.time()
        ts = time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(now)) + '.%06d+0000' % (
            int(now * 1e6) % 1000000)
        line = json.dumps({'timestamp': ts, 'event_type': 'stats', 'site': self.site,
                           'agent': self.agent,
                           'stats': {'uptime': int(now) % 100000,
                                     'decoder': {'pkts': pkts, 'bytes': pkts * 600,
                                                 'ipv4': pkts, 'ipv6': 0,
                                                 'bytes_ipv4': pkts * 600, 'bytes_ipv6': 0},
                                     'flow': {'total': pkts // 30, 'active': 100},
                                     'agent': {'version': 'bench',
                                               'rules': {'version': 'bench', 'loaded': 4,
                                                         'failed': 0}}}},
                          separators=(',', ':'))
        return gzip.compress(line.encode() + b'\n')

    def visible_value(self, mconn):
        mconn.request('GET', '/metrics')
        r = mconn.getresponse()
        text = r.read().decode()
        m = self.pattern.search(text)
        return float(m.group(1)) if m else None

    def run(self):
        try:
            conn = Conn(self.port, self.ctx)
            mconn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=60)
            seq = 1
            pkts = 1000000
            while not self.stop.is_set():
                pkts += 1
                body = self.heartbeat(pkts)
                head = request_head(self.port, self.token, 'probe', seq, len(body))
                t0 = time.monotonic()
                status, reply = conn.exchange(head, body)
                t_ack = time.monotonic()
                if status != 200:
                    time.sleep(0.05)
                    pkts -= 1
                    continue
                self.acked_events += json.loads(reply)['stored']
                seq += 1
                while self.visible_value(mconn) != pkts:
                    time.sleep(self.poll)
                t_vis = time.monotonic()
                self.samples.append((t0, t_ack - t0, t_vis - t0))
                self.stop.wait(self.interval)
            conn.close()
            mconn.close()
        except Exception as e:
            self.errors.append(repr(e))


# ---------------------------------------------------------------------------- one load phase

def run_load(name, port, ctx, agents, tokens, bodies, args, server_pid, check_reply, probes=()):
    """Warm-up, then a measured window; returns the figures of the window."""
    stop = threading.Event()
    senders = [Sender(port, ctx, tokens[a], 'bench', bodies[a], args.batch_events, check_reply,
                      stop) for a, _ in agents]
    threads = senders + list(probes)
    for t in threads:
        t.start()
    log('%s: warm-up %ds' % (name, args.warmup))
    time.sleep(args.warmup)

    def snapshot():
        return {'t': time.monotonic(),
                'events': sum(s.acked_events for s in senders),
                'batches': sum(s.acked_batches for s in senders),
                'bytes': sum(s.wire_bytes for s in senders),
                'server_cpu': proc_cpu_seconds(server_pid),
                'server_wait': run_queue_wait_seconds(server_pid),
                'server_threads': thread_cpu_seconds(server_pid),
                'gen_cpu': self_cpu_seconds()}

    a = snapshot()
    log('%s: measuring %ds' % (name, args.seconds))
    time.sleep(args.seconds)
    b = snapshot()
    stop.set()
    for p in probes:
        p.stop.set()
    for t in threads:
        t.join(timeout=120)
    errors = [e for t in threads for e in t.errors]
    if errors:
        sys.exit('%s: sender errors: %s' % (name, errors[:3]))
    refused = {}
    for s in senders:
        for k, v in s.refused.items():
            refused[k] = refused.get(k, 0) + v
    dt = b['t'] - a['t']
    lat = [d for s in senders for (t0, d) in s.ack_latencies if a['t'] <= t0 < b['t']]
    threads_cpu = {}
    for tid, (tname, cpu) in b['server_threads'].items():
        before = a['server_threads'].get(tid, (tname, 0.0))[1]
        threads_cpu[tid] = (tname, (cpu - before) / dt)
    return {
        'seconds': dt,
        'events_per_s': (b['events'] - a['events']) / dt,
        'batches_per_s': (b['batches'] - a['batches']) / dt,
        'bytes_per_s': (b['bytes'] - a['bytes']) / dt,
        'server_cpu': (b['server_cpu'] - a['server_cpu']) / dt,
        'server_wait': (b['server_wait'] - a['server_wait']) / dt,
        'server_threads': threads_cpu,
        'gen_cpu': (b['gen_cpu'] - a['gen_cpu']) / dt,
        'ack_p50': percentile(lat, 50), 'ack_p99': percentile(lat, 99),
        'acked_events_total': sum(s.acked_events for s in senders),
        'refused': refused,
        'window': (a['t'], b['t']),
    }


# ---------------------------------------------------------------------------- processes

def collector_paths(cdir):
    """tls.cert, tls.key and store.path from the collector.yaml that `init` wrote."""
    text = open(os.path.join(cdir, 'collector.yaml')).read()
    found, section = {}, ''
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith('#'):
            continue
        key, _, value = line.strip().partition(':')
        value = value.strip().strip('"')
        if not line.startswith(' '):
            section = key
        if value:
            full = '%s.%s' % (section, key) if line.startswith(' ') else key
            found[full] = value if os.path.isabs(value) else os.path.join(cdir, value)
    return found


def start_pinned(argv, cwd, logfile, core):
    return subprocess.Popen(['taskset', '-c', str(core)] + argv, cwd=cwd, stdout=logfile,
                            stderr=subprocess.STDOUT)


def wait_healthy(port, proc, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit('the collector exited %d' % proc.returncode)
        try:
            c = http.client.HTTPConnection('127.0.0.1', port, timeout=2)
            c.request('GET', '/healthz')
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit('the collector did not answer /healthz')


def stop_process(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    return proc.returncode


# ---------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--seconds', type=int, default=20, help='measured window (default 20)')
    ap.add_argument('--warmup', type=int, default=5, help='warm-up before it (default 5)')
    ap.add_argument('--agents', type=int, default=50)
    ap.add_argument('--sites', type=int, default=10)
    ap.add_argument('--batch-events', type=int, default=1000,
                    help='events per batch (default 1000; the agent sends up to 2000/1 MB)')
    ap.add_argument('--build-dir', default=os.path.join(SOURCE_DIR, 'build'))
    ap.add_argument('--pcap-packets', type=int, default=400000,
                    help='packets of the capture the event pool comes from')
    ap.add_argument('--probes', type=int, default=5,
                    help='probe threads, as agents bench-01.. on their own stream (default 5)')
    ap.add_argument('--probe-interval', type=float, default=0.1,
                    help='pause between samples of one probe (default 0.1 s)')
    ap.add_argument('--store-dir', help='put the store here (e.g. /dev/shm/x, to take the '
                    'disk out of the figure; default: in the work directory)')
    ap.add_argument('--probe-poll', type=float, default=0.005)
    ap.add_argument('--collector-core', type=int, default=0)
    ap.add_argument('--load-core', type=int, default=1)
    ap.add_argument('--skip-ceiling', action='store_true')
    ap.add_argument('--keep', action='store_true', help='keep the work directory')
    args = ap.parse_args()
    args.build_dir = os.path.abspath(args.build_dir)
    collector_bin = os.path.join(args.build_dir, 'collector', 'nsm4-collector')
    sink_bin = os.path.join(args.build_dir, 'bench', 'tls_sink')
    for b in (collector_bin, sink_bin):
        if not os.access(b, os.X_OK):
            sys.exit('missing %s (build the nsm4-collector and tls_sink targets)' % b)

    work = tempfile.mkdtemp(prefix='nsm4-collector-ingest-')
    load_before = os.getloadavg()
    try:
        log('work directory %s' % work)
        lines, types = make_event_pool(args, work)
        avg_line = sum(len(x) + 1 for x in lines) / len(lines)
        log('event pool: %d lines, %.0f bytes on average, %s' % (
            len(lines), avg_line, ', '.join('%s %d' % kv for kv in
                                            sorted(types.items(), key=lambda kv: -kv[1]))))

        agents = [('bench-%02d' % (i + 1), 'site-%02d' % (i % args.sites + 1))
                  for i in range(args.agents)]
        cdir = os.path.join(work, 'collector')
        argv = [collector_bin, 'init', '--dir', cdir]
        for a, s in agents:
            argv += ['--agent', '%s:%s' % (a, s)]
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        paths = collector_paths(cdir)
        tokens = {a: open(os.path.join(cdir, 'agents', a + '.token')).read().strip()
                  for a, _ in agents}
        ctx = ssl.create_default_context(cafile=os.path.join(cdir, 'ca.crt'))

        bodies, raw_batch = {}, 0.0
        for i, (a, s) in enumerate(agents):
            bodies[a], raw = build_batches(lines, a, s, args.batch_events, 4, i * 7919)
            raw_batch += raw / len(agents)
        gz_batch = sum(len(b) for v in bodies.values() for b in v) / (4 * len(agents))
        log('batches: %d events, %.0f kB NDJSON, %.0f kB gzip'
            % (args.batch_events, raw_batch / 1e3, gz_batch / 1e3))

        os.sched_setaffinity(0, {args.load_core})

        ceiling = None
        if not args.skip_ceiling:
            sink_log = open(os.path.join(work, 'tls_sink.log'), 'wb+')
            sink = subprocess.Popen(['taskset', '-c', str(args.collector_core), sink_bin,
                                     '--cert', paths['tls.cert'], '--key', paths['tls.key']],
                                    stdout=subprocess.PIPE, stderr=sink_log)
            first = sink.stdout.readline().decode().split()
            if len(first) != 2 or first[0] != 'listening':
                sys.exit('tls_sink did not start: %r' % first)
            ceiling = run_load('ceiling (tls_sink)', int(first[1]), ctx, agents, tokens, bodies,
                               args, sink.pid, check_reply=False)
            stop_process(sink)
            ceiling['sink_totals'] = sink.stdout.read().decode().strip()

        port = free_port()
        clog = open(os.path.join(cdir, 'collector.log'), 'wb')
        sets = ['listen=127.0.0.1:%d' % port, 'threads=1']
        if args.store_dir:
            os.makedirs(args.store_dir, exist_ok=True)
            moved = os.path.join(os.path.abspath(args.store_dir), 'nsm4.db')
            for suffix in ('', '-wal'):  # the store holds the agent registry `init` wrote
                if os.path.exists(paths['store.path'] + suffix):
                    shutil.copy2(paths['store.path'] + suffix, moved + suffix)
            paths['store.path'] = moved
            sets.append('store.path=' + paths['store.path'])
        argv = [collector_bin, '-c', os.path.join(cdir, 'collector.yaml')]
        for kv in sets:
            argv += ['--set', kv]
        collector = start_pinned(argv + ['run'], cdir, clog, args.collector_core)
        wait_healthy(port, collector)
        probe_stop = threading.Event()
        probes = [Probe(port, ctx, a, tokens[a], s, args.probe_interval, args.probe_poll,
                        probe_stop) for a, s in agents[:args.probes]]
        res = run_load('collector', port, ctx, agents, tokens, bodies, args, collector.pid,
                       check_reply=True, probes=probes)
        acked = res['acked_events_total'] + sum(p.acked_events for p in probes)
        db = paths.get('store.path') or os.path.join(cdir, 'data', 'nsm4.db')
        store_bytes = sum(os.path.getsize(p) for p in (db, db + '-wal') if os.path.exists(p))
        rc = stop_process(collector)
        if rc != 0:
            sys.exit('the collector exited %d on SIGTERM' % rc)
        con = sqlite3.connect('file:%s?mode=ro' % db, uri=True)
        rows = con.execute('SELECT count(*) FROM events').fetchone()[0]
        con.close()
        window = [s for p in probes for s in p.samples
                  if res['window'][0] <= s[0] < res['window'][1]]
        vis = [s[2] for s in window]
        ack = [s[1] for s in window]

        nproc = os.cpu_count()
        print()
        print('collector ingest: %d agents over %d sites, TLS, batches of %d events '
              '(%.0f kB NDJSON, %.0f kB gzip, %.0f B/event), %ds measured after %ds warm-up'
              % (args.agents, args.sites, args.batch_events, raw_batch / 1e3, gz_batch / 1e3,
                 avg_line, args.seconds, args.warmup))
        print('machine: nproc %d, load average before %.2f %.2f %.2f; collector and sink on '
              'core %d, load generator on core %d'
              % ((nproc,) + load_before + (args.collector_core, args.load_core)))
        print()
        rows_out = [
            ('events/s stored (acknowledged)', '%.0f' % res['events_per_s']),
            ('batches/s', '%.1f' % res['batches_per_s']),
            ('MB/s on the wire (HTTP requests, gzip)', '%.2f' % (res['bytes_per_s'] / 1e6)),
            ('MB/s NDJSON (uncompressed)', '%.1f' % (res['events_per_s'] * avg_line / 1e6)),
            ('event -> /metrics latency p50 / p99 (ms, %d samples)' % len(vis),
             '%.0f / %.0f' % (percentile(vis, 50) * 1e3, percentile(vis, 99) * 1e3)),
            ('  of which send -> ack p50 / p99 (ms)',
             '%.0f / %.0f' % (percentile(ack, 50) * 1e3, percentile(ack, 99) * 1e3)),
            ('load batch send -> ack p50 / p99 (ms)',
             '%.0f / %.0f' % (res['ack_p50'] * 1e3, res['ack_p99'] * 1e3)),
            ('collector CPU (cores, all threads)', '%.2f' % res['server_cpu']),
            ('collector threads runnable, waiting for core 0 (sum; incl. each other)',
             '%.2f' % res['server_wait']),
            ('load generator CPU (cores)', '%.2f' % res['gen_cpu']),
        ]
        if ceiling:
            rows_out += [
                ('ceiling events/s (tls_sink, same requests)', '%.0f' % ceiling['events_per_s']),
                ('ceiling MB/s on the wire', '%.2f' % (ceiling['bytes_per_s'] / 1e6)),
                ('ratio to ceiling', '%.2f' % (res['events_per_s'] / ceiling['events_per_s'])),
                ('ceiling: sink CPU / load generator CPU (cores)',
                 '%.2f / %.2f' % (ceiling['server_cpu'], ceiling['gen_cpu'])),
            ]
        rows_out += [
            ('store size after the run (db + wal, MB)', '%.1f' % (store_bytes / 1e6)),
            ('store rows / events acknowledged', '%d / %d %s' % (
                rows, acked, 'ok' if rows == acked else 'MISMATCH')),
            ('refused requests (status: count)', ', '.join(
                '%d: %d' % kv for kv in sorted(res['refused'].items())) or 'none'),
        ]
        width = max(len(k) for k, _ in rows_out)
        for k, v in rows_out:
            print('%-*s  %s' % (width, k, v))
        print()
        print('collector threads (CPU cores in the window):')
        for tid, (tname, cpu) in sorted(res['server_threads'].items(),
                                        key=lambda kv: -kv[1][1]):
            if cpu >= 0.005:
                print('  tid %-8d %-16s %.2f%s' % (tid, tname, cpu,
                                                   '  (main)' if tid == collector.pid else ''))
        if ceiling:
            print('tls_sink totals: %s' % ceiling['sink_totals'])
        if rows != acked:
            return 1
        return 0
    finally:
        if args.keep:
            log('kept %s' % work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    sys.exit(main())
