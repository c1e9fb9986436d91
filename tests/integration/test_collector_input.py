#!/usr/bin/env python3
"""The collector under bad input and load, over real TLS on loopback: malformed
NDJSON lines, duplicates, gzip, plain Suricata EVE, missing / wrong / revoked
credentials, oversized bodies and gzip bombs (413), unknown encodings (415),
truncated TLS, slow clients, 1,000 concurrent connections — each answered
precisely and counted, while the server keeps serving with bounded memory.
Then the query API, `promtool check metrics` on the live /metrics, and
`verify` detecting an altered and a deleted row."""
import gzip
import json
import os
import resource
import shutil
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nsm4test  # noqa: E402
from collectortest import Collector, wait_until  # noqa: E402
from nsm4test import fail  # noqa: E402

TS = '2026-11-28T10:00:%02d.000000+0000'


def alert(i, sev=1, sid=2100498, src='10.1.2.3', dst='192.0.2.7'):
    return json.dumps({'timestamp': TS % (i % 60), 'event_type': 'alert', 'src_ip': src,
                       'src_port': 40000 + i, 'dest_ip': dst, 'dest_port': 80, 'proto': 'TCP',
                       'community_id': '1:abc%d=' % i,
                       'alert': {'action': 'allowed', 'signature_id': sid, 'rev': 1,
                                 'signature': 'GPL ATTACK_RESPONSE id check returned root',
                                 'category': 'Potentially Bad Traffic', 'severity': sev}})


def heartbeat(i):
    return json.dumps({'timestamp': TS % (i % 60), 'event_type': 'stats',
                       'stats': {'uptime': 10 + i,
                                 'decoder': {'pkts': 1000 * i, 'bytes': 90000 * i,
                                             'ipv4': 700 * i, 'ipv6': 300 * i,
                                             'bytes_ipv4': 60000 * i, 'bytes_ipv6': 30000 * i},
                                 'flow': {'total': 50 * i, 'active': 5},
                                 'agent': {'version': '0.1.0', 'rules': {'version': 'abc123',
                                                                         'loaded': 42,
                                                                         'failed': 0}},
                                 'forward': {'spool_batches': 0, 'spool_bytes': 0}}})


def expect(status, want, what, body=b''):
    if status != want:
        fail('%s: expected HTTP %d, got %d %s' % (what, want, status, body[:300]))


def raw_tls(c, timeout=10):
    ctx = c.ssl_context()
    s = socket.create_connection(('127.0.0.1', c.port), timeout=timeout)
    return ctx.wrap_socket(s, server_hostname='localhost')


def reads_eof(sock, within):
    """True when the server closes the connection within `within` seconds."""
    sock.settimeout(within)
    try:
        while True:
            if not sock.recv(4096):
                return True
    except (socket.timeout, TimeoutError):
        return False
    except (ConnectionResetError, ssl.SSLError, OSError):
        return True


def rss_kib(pid):
    for line in open('/proc/%d/status' % pid):
        if line.startswith('VmRSS:'):
            return int(line.split()[1])
    return 0


def main():
    env = nsm4test.Env(__doc__.split('\n')[0])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    c = Collector(env, [('ward-1', 'ward-1'), ('ward-2', 'ward-2')],
                  extra_sets=['limits.max-body=1mb', 'limits.header-timeout=2s',
                              'limits.body-timeout=4s', 'limits.max-connections=1500'])
    c.start()
    tok1, tok2 = c.token('ward-1'), c.token('ward-2')
    ndjson = {'Content-Type': 'application/x-ndjson'}

    # A batch with good and bad lines: the good ones are stored, the bad ones named.
    lines = [alert(1), 'not json at all', heartbeat(1), '[1,2,3]', '{"timestamp":"x"}',
             alert(2, sev=2, sid=2000001, src='2001:db8::5'), '{"event_type": "flow", "trunc']
    body = '\n'.join(lines) + '\n'
    status, _, data = c.request('POST', '/api/v1/events', body, dict(ndjson, **{
        'X-Nsm4-Batch': 'test/1'}), token=tok1)
    expect(status, 200, 'mixed batch', data)
    reply = json.loads(data)
    if reply['stored'] != 3 or reply['duplicate']:
        fail('mixed batch: expected 3 stored, got %s' % reply)
    bad = sorted(r['line'] for r in reply['rejected'])
    if bad != [2, 4, 5, 7] or not all(r['error'] for r in reply['rejected']):
        fail('mixed batch: expected lines 2, 4, 5, 7 rejected with reasons, got %s' % reply)
    print('mixed batch: %s' % json.dumps(reply)[:300])

    # The same batch again: acknowledged as a duplicate, nothing stored twice.
    status, _, data = c.request('POST', '/api/v1/events', body, dict(ndjson, **{
        'X-Nsm4-Batch': 'test/1'}), token=tok1)
    expect(status, 200, 'duplicate batch', data)
    if not json.loads(data)['duplicate'] or c.rows('SELECT count(*) FROM events')[0][0] != 3:
        fail('duplicate batch was stored again: %s' % data)

    # gzip, and plain Suricata EVE lines without a batch id.
    gz = gzip.compress(('\n'.join(alert(10 + i, sev=3) for i in range(50)) + '\n').encode())
    status, _, data = c.request('POST', '/api/v1/events', gz, dict(ndjson, **{
        'Content-Encoding': 'gzip', 'X-Nsm4-Batch': 'test/2'}), token=tok1)
    expect(status, 200, 'gzip batch', data)
    # As a Suricata sensor writes them (its own field set, no site, no batch id).
    suricata = dict(json.loads(alert(30, sev=2, src='172.16.5.5')), flow_id=1234567890123,
                    in_iface='eth0', host='suricata-ward-2', pcap_cnt=7, tx_id=0)
    eve = json.dumps(suricata) + '\n' + json.dumps({
        'timestamp': TS % 31, 'flow_id': 1234567890123, 'event_type': 'flow',
        'src_ip': '172.16.5.5', 'src_port': 40030, 'dest_ip': '192.0.2.7', 'dest_port': 80,
        'proto': 'TCP', 'flow': {'pkts_toserver': 3, 'pkts_toclient': 2, 'bytes_toserver': 200,
                                 'bytes_toclient': 300, 'state': 'closed', 'reason': 'timeout',
                                 'alerted': True}}) + '\n'
    status, _, data = c.request('POST', '/api/v1/events', eve, ndjson, token=tok2)
    expect(status, 200, 'plain Suricata EVE', data)

    # Credentials.
    status, hdrs, data = c.request('POST', '/api/v1/events', alert(40), ndjson)
    expect(status, 401, 'no token', data)
    status, _, data = c.request('POST', '/api/v1/events', alert(40), ndjson, token='0' * 64)
    expect(status, 401, 'unknown token', data)
    c.cli(['agent', 'revoke', 'ward-2'])

    def revoked():
        s, _, _ = c.request('POST', '/api/v1/events', alert(41), ndjson, token=tok2)
        return s == 403
    wait_until('the revoked token to be refused (403)', revoked, timeout=5)

    # Limits: oversized body (by Content-Length, before it is sent), gzip bomb, encoding.
    s = raw_tls(c)
    s.sendall(b'POST /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ' +
              tok1.encode() + b'\r\nContent-Type: application/x-ndjson\r\n'
              b'Content-Length: 50000000\r\n\r\n')
    head = s.recv(4096)
    if b' 413 ' not in head.split(b'\r\n')[0]:
        fail('50 MB Content-Length: expected 413, got %r' % head[:200])
    s.close()
    bomb = gzip.compress(b'\n' * (300 << 20), 9)
    status, _, data = c.request('POST', '/api/v1/events', bomb, dict(ndjson, **{
        'Content-Encoding': 'gzip'}), token=tok1)
    expect(status, 413, 'gzip bomb (%d bytes expanding to 300 MB)' % len(bomb), data)
    status, _, data = c.request('POST', '/api/v1/events', b'x', dict(ndjson, **{
        'Content-Encoding': 'br'}), token=tok1)
    expect(status, 415, 'unknown Content-Encoding', data)

    # Truncated TLS handshake and a slow client: dropped, counted, server unaffected.
    t = socket.create_connection(('127.0.0.1', c.port))
    t.sendall(bytes.fromhex('160301020001'))  # a ClientHello record header, then nothing
    t.close()
    s = raw_tls(c)
    s.sendall(b'POST /api/v1/events HTTP/1.1\r\nHost: x\r\n')  # and never the rest
    t0 = time.time()
    if not reads_eof(s, 10):
        fail('a client that stops mid-header was not disconnected within 10 s')
    print('slow client dropped after %.1fs' % (time.time() - t0))

    # 1,000 concurrent connections, then the server still answers, with bounded memory.
    rss0 = rss_kib(c.proc.pid)
    conns = []
    for _ in range(1000):  # each sends a request at once (an idle one would time out)
        k = raw_tls(c, timeout=30)
        k.sendall(b'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
        conns.append(k)
    status, _, _ = c.request('GET', '/healthz')
    expect(status, 200, 'health with 1,000 open connections')
    open_now = c.metric('nsm4_collector_connections_open')
    if not open_now or open_now < 1000:
        fail('connections_open is %s with 1,000 client connections open' % open_now)
    for k in conns:
        if b' 200 ' not in k.recv(4096).split(b'\r\n')[0]:
            fail('a request on one of 1,000 open connections was not answered 200')
    rss1 = rss_kib(c.proc.pid)
    for k in conns:
        k.close()
    # ASan keeps up to 256 MiB of freed memory in quarantine and pads every allocation.
    limit_mib = 768 if nsm4test.sanitized_build(env.build_dir) else 256
    if rss1 - rss0 > limit_mib * 1024:
        fail('memory grew by %d MiB with 1,000 connections (limit %d MiB)' % (
            (rss1 - rss0) // 1024, limit_mib))
    print('1,000 connections: RSS %d -> %d MiB' % (rss0 // 1024, rss1 // 1024))

    m = {r: c.metric('nsm4_collector_rejected_requests_total', reason=r) for r in (
        'malformed_line', 'unauthorized', 'forbidden', 'too_large', 'unsupported_encoding',
        'tls_handshake', 'timeout')}
    if m['malformed_line'] < 4 or not all(v and v >= 1 for v in m.values()):
        fail('rejections not counted as expected: %s' % m)
    print('rejections counted: %s' % m)

    # The query API.
    a = c.get_json('/api/v1/alerts?site=ward-1&severity=1')
    if [x['event']['alert']['signature_id'] for x in a['alerts']] != [2100498]:
        fail('alerts?site=ward-1&severity=1: %s' % json.dumps(a)[:500])
    a = c.get_json('/api/v1/alerts?address=2001:db8::5')
    if len(a['alerts']) != 1 or a['alerts'][0]['event']['alert']['signature_id'] != 2000001:
        fail('alerts?address=2001:db8::5: %s' % json.dumps(a)[:500])
    page, seen = c.get_json('/api/v1/alerts?site=ward-1&limit=20'), 0
    while True:
        seen += len(page['alerts'])
        if not page.get('next_cursor'):
            break
        page = c.get_json('/api/v1/alerts?site=ward-1&limit=20&cursor=%s' % page['next_cursor'])
    if seen != 52:
        fail('paging ward-1 alerts 20 at a time gave %d, expected 52' % seen)
    status, _, data = c.request('GET', '/api/v1/alerts?from=yesterday')
    expect(status, 400, 'bad time parameter', data)
    agents = {x['name']: x for x in c.get_json('/api/v1/agents')['agents']}
    if not agents['ward-1']['up'] or not agents['ward-2']['revoked']:
        fail('agents: %s' % json.dumps(agents)[:500])
    sites = {x['site'] for x in c.get_json('/api/v1/sites')['sites']}
    if not {'ward-1', 'ward-2'} <= sites:
        fail('sites: %s' % sites)

    # /metrics is valid Prometheus text and carries the per-site figures.
    promtool = nsm4test.require_tool('promtool')
    text = c.metrics()
    p = subprocess.run([promtool, 'check', 'metrics'], input=text.encode(),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if p.returncode != 0:
        fail('promtool check metrics:\n%s' % p.stdout.decode()[-3000:])
    if not c.metric('nsm4_alerts_total', site='ward-1'):
        fail('no nsm4_alerts_total for ward-1 in /metrics')
    print('promtool check metrics: ok')

    # Tampering is detected.
    v = c.cli(['verify'], check=False)
    if v.returncode != 0:
        fail('verify failed on an untouched store: %s %s' % (v.stdout, v.stderr))
    c.stop()
    copy = tempfile.mkdtemp(prefix='nsm4-tamper-')
    for suffix in ('', '-wal', '-shm'):
        if os.path.exists(c.db + suffix):
            shutil.copy(c.db + suffix, os.path.join(copy, 'orig' + suffix))
    con = sqlite3.connect(c.db)
    con.execute("UPDATE events SET json = replace(json, '10.1.2.3', '10.1.2.4') WHERE id = 1")
    con.commit()
    con.close()
    v = c.cli(['verify'], check=False)
    if v.returncode != 1 or 'row 1' not in (v.stdout + v.stderr):
        fail('verify did not report the altered row 1: exit %d\n%s%s' % (v.returncode, v.stdout,
                                                                          v.stderr))
    for suffix in ('', '-wal', '-shm'):
        if os.path.exists(os.path.join(copy, 'orig' + suffix)):
            shutil.copy(os.path.join(copy, 'orig' + suffix), c.db + suffix)
    con = sqlite3.connect(c.db)
    con.execute('DELETE FROM events WHERE id = 2')
    con.commit()
    con.close()
    v = c.cli(['verify'], check=False)
    if v.returncode != 1:
        fail('verify did not detect a deleted row: %s%s' % (v.stdout, v.stderr))
    print('verify: altered and deleted rows detected')
    print('PASS')


if __name__ == '__main__':
    main()
