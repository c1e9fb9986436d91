"""Helpers for the collector's integration tests: a real nsm4-collector made
with `init`, real agents forwarding to it over TLS, the store read back with
sqlite3 (python3 standard library only)."""
import collections
import http.client
import json
import os
import signal
import socket
import sqlite3
import ssl
import subprocess
import time

import nsm4test
from nsm4test import fail


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def wait_until(what, predicate, timeout=60.0, step=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    fail('timed out after %.0fs waiting for %s' % (timeout, what))


class Collector:
    """One collector: `init` into a fresh directory, then run/kill/restart."""

    def __init__(self, env, agents, extra_sets=()):
        self.env = env
        self.binary = os.path.join(env.build_dir, 'collector', 'nsm4-collector')
        if not os.access(self.binary, os.X_OK):
            fail('collector binary not found at %s' % self.binary)
        self.dir = env.tmpdir('collector')
        self.port = free_port()
        argv = [self.binary, 'init', '--dir', self.dir]
        for name, site in agents:
            argv += ['--agent', '%s:%s' % (name, site)]
        self.run_cli(argv[1:])
        self.config = os.path.join(self.dir, 'collector.yaml')
        self.sets = ['listen=127.0.0.1:%d' % self.port] + list(extra_sets)
        self.proc = None
        self.log_path = os.path.join(self.dir, 'collector.log')
        self.ca = os.path.join(self.dir, 'ca.crt')
        self.db = self.store_path()

    def cli(self, args, check=True, timeout=120):
        argv = [self.binary, '-c', os.path.join(self.dir, 'collector.yaml')]
        for s in getattr(self, 'sets', []):
            argv += ['--set', s]
        return self.run_cli(argv[1:] + list(args), check=check, timeout=timeout)

    def run_cli(self, args, check=True, timeout=120):
        argv = [self.binary] + list(args)
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                           cwd=self.dir)
        p.stdout = p.stdout.decode(errors='replace')
        p.stderr = p.stderr.decode(errors='replace')
        if check and p.returncode != 0:
            fail('%s exited %d\nstdout: %s\nstderr: %s' % (' '.join(argv), p.returncode,
                                                          p.stdout[-2000:], p.stderr[-2000:]))
        return p

    def store_path(self):
        text = open(os.path.join(self.dir, 'collector.yaml')).read()
        for line in text.splitlines():
            s = line.strip()
            if s.startswith('path:') and 'db' in s:
                path = s.split(':', 1)[1].strip().strip('"')
                return path if os.path.isabs(path) else os.path.join(self.dir, path)
        return os.path.join(self.dir, 'data', 'nsm4.db')

    def token(self, agent):
        return open(os.path.join(self.dir, 'agents', agent + '.token')).read().strip()

    def start(self, wait=True):
        argv = [self.binary, '-c', self.config]
        for s in self.sets:
            argv += ['--set', s]
        argv.append('run')
        self.log = open(self.log_path, 'ab')
        self.proc = subprocess.Popen(argv, stdout=self.log, stderr=self.log, cwd=self.dir)
        if wait:
            wait_until('the collector to listen on %d' % self.port, self.healthy, timeout=30)
        return self

    def healthy(self):
        if self.proc is not None and self.proc.poll() is not None:
            fail('collector exited %d; log:\n%s' % (self.proc.returncode, self.log_tail()))
        try:
            status, _, _ = self.request('GET', '/healthz', timeout=2)
            return status == 200
        except OSError:
            return False

    def log_tail(self):
        try:
            return open(self.log_path, errors='replace').read()[-3000:]
        except OSError:
            return ''

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc = None

    def stop(self):
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail('collector did not stop within 30 s of SIGTERM')
        rc = self.proc.returncode
        self.proc = None
        if rc != 0:
            fail('collector exited %d on SIGTERM; log:\n%s' % (rc, self.log_tail()))

    def ssl_context(self):
        ctx = ssl.create_default_context(cafile=self.ca)
        return ctx

    def request(self, method, path, body=None, headers=None, timeout=30, token=None):
        conn = http.client.HTTPSConnection('127.0.0.1', self.port, timeout=timeout,
                                           context=self.ssl_context())
        hdrs = dict(headers or {})
        if token:
            hdrs['Authorization'] = 'Bearer ' + token
        try:
            conn.request(method, path, body=body, headers=hdrs)
            r = conn.getresponse()
            data = r.read()
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), data
        finally:
            conn.close()

    def get_json(self, path, token=None):
        status, _, data = self.request('GET', path, token=token)
        if status != 200:
            fail('GET %s: %d %s' % (path, status, data[:300]))
        return json.loads(data)

    def metrics(self):
        status, _, data = self.request('GET', '/metrics')
        if status != 200:
            fail('GET /metrics: %d' % status)
        return data.decode()

    def metric(self, name, **labels):
        """Sum of the samples of `name` whose labels include `labels`."""
        total, seen = 0.0, False
        for line in self.metrics().splitlines():
            if not line.startswith(name) or line.startswith('#'):
                continue
            head, _, value = line.rpartition(' ')
            metric, _, labeltext = head.partition('{')
            if metric != name:
                continue
            got = dict(kv.split('=', 1) for kv in labeltext.rstrip('}').split(',') if '=' in kv)
            got = {k: v.strip('"') for k, v in got.items()}
            if all(got.get(k) == v for k, v in labels.items()):
                total += float(value)
                seen = True
        return total if seen else None

    def rows(self, sql, args=()):
        con = sqlite3.connect('file:%s?mode=ro' % self.db, uri=True, timeout=30)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()


class Agent:
    """An agent replaying a capture and forwarding to the collector."""

    def __init__(self, env, collector, name, site, pcap, extra=()):
        self.env, self.collector, self.name, self.site, self.pcap = env, collector, name, site, pcap
        self.outdir = env.tmpdir('agent-' + name)
        self.token_file = os.path.join(self.outdir, 'token')
        with open(self.token_file, 'w') as f:
            f.write(collector.token(name) + '\n')
        os.chmod(self.token_file, 0o600)
        self.extra = list(extra)
        self.proc = None

    def argv(self, pcap=None):
        c = self.collector
        return [self.env.agent, '-r', pcap or self.pcap, '-l', self.outdir, '-q',
                '--site', self.site, '--agent-name', self.name,
                '--collector', 'https://127.0.0.1:%d' % c.port,
                '--set', 'output.forward.token-file=' + self.token_file,
                '--set', 'output.forward.ca-file=' + c.ca] + self.extra

    def start(self, pcap=None):
        log = os.path.join(self.outdir, 'agent.log')
        self.log_offset = os.path.getsize(log) if os.path.exists(log) else 0
        self.stderr = open(log, 'ab')
        self.proc = subprocess.Popen(self.argv(pcap), stdout=self.stderr, stderr=self.stderr)
        return self

    def wait(self, timeout=300):
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            fail('agent %s did not finish in %ds; log:\n%s' % (self.name, timeout, self.log_tail()))
        if rc != 0:
            fail('agent %s exited %d; log:\n%s' % (self.name, rc, self.log_tail()))
        return rc

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def log_tail(self):
        try:
            return open(os.path.join(self.outdir, 'agent.log'), errors='replace').read()[-3000:]
        except OSError:
            return ''

    def log_this_run(self):
        try:
            with open(os.path.join(self.outdir, 'agent.log'), errors='replace') as f:
                f.seek(self.log_offset)
                return f.read()
        except OSError:
            return ''

    def eve_lines(self):
        return nsm4test.read_eve_lines(os.path.join(self.outdir, 'eve.json'))

    def spool_files(self):
        spool = os.path.join(self.outdir, 'spool')
        if not os.path.isdir(spool):
            return []
        return [f for f in os.listdir(spool) if f.endswith('.gz')]


def stored_lines(collector, agent):
    return [r[0] for r in collector.rows('SELECT json FROM events WHERE agent = ? ORDER BY id',
                                         (agent,))]


def check_exactly_once(collector, agent):
    """Every line the agent wrote to its local eve.json is stored once, no more."""
    want = collections.Counter(agent.eve_lines())
    got = collections.Counter(stored_lines(collector, agent.name))
    missing = want - got
    extra = got - want
    if missing or extra:
        sample = list(missing)[:2] + list(extra)[:2]
        fail('agent %s: %d lines written, %d stored; %d missing, %d extra; e.g. %s' % (
            agent.name, sum(want.values()), sum(got.values()), sum(missing.values()),
            sum(extra.values()), sample))
    return sum(want.values())


def check_in_order(collector, agent):
    """The agent's batches were stored in sequence order."""
    rows = collector.rows('SELECT stream, seq, first_id FROM batches WHERE agent = ? '
                          'ORDER BY first_id', (agent.name,))
    seqs = [r[1] for r in rows if r[2]]
    if seqs != sorted(seqs):
        fail('agent %s: batches stored out of order: %s' % (agent.name, seqs[:50]))
    return len(seqs)
