#!/usr/bin/env python3
"""Stream reassembly and the app layer end to end, on traffic this test makes:

  - an HTTP request cut into segments that arrive out of order and once
    twice, over IPv4, with a chunked gzip response: the http record (url,
    hostname, status, method, length), one alert per transaction for
    http.uri, file_data (after de-chunking and decompression) and a content
    that crosses a segment boundary (stream matching), each alert carrying
    tx_id and the http object;
  - HTTP on port 8080 (detected by content, not port);
  - DNS over IPv6 UDP: request and response records, dns.query alert;
  - a TLS ClientHello cut in two segments over IPv6: the tls record (sni,
    version, ja3) and a tls.sni alert;
  - flow records carry app_proto; the stats record counts flows per protocol.

Run by ctest as: test_app_layer.py --build-dir BUILD --source-dir SRC
Exit 0 pass, 1 fail, 77 skipped.
"""
import gzip
import os
import shutil
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nsm4test  # noqa: E402
from nsm4test import tcp, udp, write_pcap  # noqa: E402

RULES = r'''
alert http any any -> any any (msg:"admin login"; flow:to_server; http.uri; content:"/admin/login.php"; sid:1; rev:1;)
alert http any any -> any any (msg:"token in body"; file_data; content:"secret-token"; sid:2; rev:1;)
alert tcp any any -> any any (msg:"across segments"; content:"login.php?user=admin"; sid:3; rev:1;)
alert dns any any -> any any (msg:"evil name"; dns.query; content:"evil.example"; sid:4; rev:1;)
alert tls any any -> any any (msg:"portal sni"; tls.sni; content:"portal.gov.example"; sid:5; rev:1;)
alert http any any -> any any (msg:"odd port"; http.host; content:"intranet"; sid:6; rev:1;)
'''

CLIENT4, SERVER4 = '10.1.0.33', '10.20.0.10'
CLIENT6, RESOLVER6, SERVER6 = '2001:db8::33', '2001:db8::53', '2001:db8::443'


def session(c, cport, s, sport, client_segments, reply_segments, isn_c=1000, isn_s=90000):
    """Handshake, the client's segments (list of (offset, bytes), sent in that
    order), the server's reply segments, FIN both ways."""
    out = [tcp(c, cport, s, sport, 'S', isn_c), tcp(s, sport, c, cport, 'SA', isn_s, isn_c + 1),
           tcp(c, cport, s, sport, 'A', isn_c + 1, isn_s + 1)]
    sent = max(off + len(d) for off, d in client_segments)
    for off, data in client_segments:
        out.append(tcp(c, cport, s, sport, 'PA', isn_c + 1 + off, isn_s + 1, data))
    out.append(tcp(s, sport, c, cport, 'A', isn_s + 1, isn_c + 1 + sent))
    got = 0
    for data in reply_segments:
        out.append(tcp(s, sport, c, cport, 'PA', isn_s + 1 + got, isn_c + 1 + sent, data))
        got += len(data)
        out.append(tcp(c, cport, s, sport, 'A', isn_c + 1 + sent, isn_s + 1 + got))
    out += [tcp(c, cport, s, sport, 'FA', isn_c + 1 + sent, isn_s + 1 + got),
            tcp(s, sport, c, cport, 'FA', isn_s + 1 + got, isn_c + 2 + sent),
            tcp(c, cport, s, sport, 'A', isn_c + 2 + sent, isn_s + 2 + got)]
    return out


def http_exchange():
    request = (b'GET /admin/login.php?user=admin HTTP/1.1\r\nHost: portal.example\r\n'
               b'User-Agent: test-agent/1.0\r\n\r\n')
    # "login.php?user=admin" spans the first two segments.
    a, b = request[:20], request[20:45]
    segs = [(0, a), (45, request[45:]), (20, b), (0, a)]  # out of order, and a retransmission
    body = gzip.compress(b'<html>secret-token</html>')
    chunked = b'%x\r\n' % len(body) + body + b'\r\n0\r\n\r\n'
    reply = (b'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n'
             b'Transfer-Encoding: chunked\r\n\r\n' + chunked)
    return session(CLIENT4, 40001, SERVER4, 80, segs, [reply[:50], reply[50:]])


def http_odd_port():
    request = b'GET / HTTP/1.1\r\nHost: intranet.local\r\n\r\n'
    reply = b'HTTP/1.1 204 No Content\r\n\r\n'
    return session(CLIENT4, 40002, SERVER4, 8080, [(0, request)], [reply])


def qname(name):
    return b''.join(bytes([len(p)]) + p.encode() for p in name.split('.')) + b'\0'


def dns_exchange():
    q = struct.pack('!HHHHHH', 0x4242, 0x0100, 1, 0, 0, 0) + qname('www.evil.example') + \
        struct.pack('!HH', 28, 1)
    a = struct.pack('!HHHHHH', 0x4242, 0x8180, 1, 1, 0, 0) + qname('www.evil.example') + \
        struct.pack('!HH', 28, 1) + struct.pack('!HHHIH', 0xc00c, 28, 1, 60, 16) + \
        bytes.fromhex('20010db8000000000000000000000bad')
    return [udp(CLIENT6, 53001, RESOLVER6, 53, q), udp(RESOLVER6, 53, CLIENT6, 53001, a)]


def client_hello(sni):
    name = sni.encode()
    sni_ext = struct.pack('!HHHBH', 0, len(name) + 5, len(name) + 3, 0, len(name)) + name
    exts = sni_ext + struct.pack('!HHH', 10, 4, 2) + struct.pack('!H', 29)  # supported_groups
    exts += struct.pack('!HHB', 11, 2, 1) + b'\0'  # ec_point_formats
    ciphers = struct.pack('!HHH', 0xc02f, 0xc030, 0x009c)
    body = struct.pack('!H', 0x0303) + bytes(32) + b'\0' + struct.pack('!H', len(ciphers)) + \
        ciphers + b'\x01\x00' + struct.pack('!H', len(exts)) + exts
    hs = b'\x01' + struct.pack('!I', len(body))[1:] + body
    return b'\x16\x03\x01' + struct.pack('!H', len(hs)) + hs


def tls_exchange():
    hello = client_hello('portal.gov.example')
    return session(CLIENT6, 40443, SERVER6, 443, [(0, hello[:30]), (30, hello[30:])], [])


def capture(path):
    frames = http_exchange() + http_odd_port() + dns_exchange() + tls_exchange()
    t0 = 1767225600.0
    write_pcap(path, [(t0 + i * 0.001, f) for i, f in enumerate(frames)])


def main():
    env = nsm4test.Env(__doc__)
    c = nsm4test.Checks()
    tmp = env.tmpdir('app')
    try:
        pcap = os.path.join(tmp, 'app.pcap')
        capture(pcap)
        rules = os.path.join(tmp, 'app.rules')
        with open(rules, 'w') as f:
            f.write(RULES)
        r = nsm4test.run_agent(env, ['-r', pcap, '-S', rules, '-q', '-k', 'none'],
                               os.path.join(tmp, 'out'))
        if not c.check(r.returncode == 0, 'agent runs', r.describe()):
            c.finish()
        check_alerts(c, r)
        check_http(c, r)
        check_dns(c, r)
        check_tls(c, r)
        check_flows_and_stats(c, r)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    c.finish()


def check_alerts(c, r):
    alerts = r.events('alert')
    sids = sorted(a['alert']['signature_id'] for a in alerts)
    c.check(sids == [1, 2, 3, 4, 5, 6], 'each rule alerts exactly once', str(sids))
    by_sid = {a['alert']['signature_id']: a for a in alerts}
    a1 = by_sid.get(1, {})
    c.check(a1.get('tx_id') == 0 and nsm4test.dig(a1, 'http.url') ==
            '/admin/login.php?user=admin' and a1.get('app_proto') == 'http',
            'an http.uri alert carries tx_id, app_proto and the http object', str(a1)[:600])
    c.check(by_sid.get(3, {}).get('src_ip') == CLIENT4, 'stream match on the client side',
            str(by_sid.get(3))[:400])
    c.check(nsm4test.norm_ip(by_sid.get(4, {}).get('src_ip', '')) == nsm4test.norm_ip(CLIENT6),
            'dns.query alert on the request',
            str(by_sid.get(4))[:400])


def check_http(c, r):
    http = r.events('http')
    c.check(len(http) == 2, 'two http records', str(http)[:600])
    main = [h for h in http if h.get('dest_port') == 80]
    if c.check(len(main) == 1, 'one http record for port 80'):
        h = main[0]['http']
        c.check((h.get('hostname'), h.get('url'), h.get('http_method'), h.get('status'),
                 h.get('protocol'), h.get('http_user_agent')) ==
                ('portal.example', '/admin/login.php?user=admin', 'GET', 200, 'HTTP/1.1',
                 'test-agent/1.0'), 'http record fields', str(h))
        c.check(main[0]['src_ip'] == CLIENT4 and main[0]['dest_ip'] == SERVER4,
                'http record from client to server')
    odd = [h for h in http if h.get('dest_port') == 8080]
    c.check(len(odd) == 1 and odd[0]['http'].get('status') == 204,
            'HTTP on port 8080 detected by content', str(odd)[:400])


def check_dns(c, r):
    dns = r.events('dns')
    req = [d for d in dns if nsm4test.dig(d, 'dns.type') == 'request']
    resp = [d for d in dns if nsm4test.dig(d, 'dns.type') == 'response']
    c.check(len(req) == 1 and len(resp) == 1, 'one dns request and one response record',
            str(dns)[:600])
    if req:
        c.check(nsm4test.dig(req[0], 'dns.queries')[0] == {'rrname': 'www.evil.example',
                                                          'rrtype': 'AAAA'},
                'dns request names the query', str(req[0]))
    if resp:
        ans = nsm4test.dig(resp[0], 'dns.answers') or [{}]
        # EVE writes IPv6 addresses in full, as Suricata does.
        c.check(nsm4test.norm_ip(ans[0].get('rdata', '')) == '2001:db8::bad' and
                nsm4test.norm_ip(resp[0]['src_ip']) == nsm4test.norm_ip(RESOLVER6),
                'dns response answer, from the resolver', str(resp[0]))


def check_tls(c, r):
    tls = r.events('tls')
    if c.check(len(tls) == 1, 'one tls record', str(tls)[:600]):
        t = tls[0]['tls']
        c.check(t.get('sni') == 'portal.gov.example', 'tls sni', str(t))
        c.check(len(nsm4test.dig(t, 'ja3.hash', '')) == 32 and
                nsm4test.dig(t, 'ja3.string', '').startswith('771,49199-49200-156,0-10-11,29,0'),
                'ja3 of the client hello', str(t))


def check_flows_and_stats(c, r):
    protos = sorted(f.get('app_proto', '') for f in r.events('flow'))
    c.check(protos == ['dns', 'http', 'http', 'tls'], 'flow records carry app_proto', str(protos))
    stats = nsm4test.final_stats(r.events()) or {}
    flows = nsm4test.dig(stats, 'app_layer.flow') or {}
    c.check((flows.get('http'), flows.get('dns'), flows.get('tls')) == (2, 1, 1),
            'stats count flows per protocol', str(flows))
    c.check(nsm4test.dig(stats, 'tcp.out_of_order', 0) >= 1 and
            nsm4test.dig(stats, 'tcp.retransmissions', 0) >= 1,
            'stats count out-of-order segments and retransmissions', str(stats.get('tcp')))


if __name__ == '__main__':
    main()
