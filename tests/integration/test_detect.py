#!/usr/bin/env python3
"""Detection end to end: the agent with a small rule file on a crafted capture
writes the alerts Suricata would (fields, order, flow.alerted), honours
variables from --set, reports bad rules with file:line:column and keeps the
good ones, and reloads its rules live (file change, SIGHUP) without stopping,
rejecting a broken set while the old one keeps running."""
import os
import shutil
import signal
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nsm4test  # noqa: E402
from nsm4test import icmp_echo, tcp, tcp_session, udp, write_pcap  # noqa: E402

RULES = r'''
alert tcp any any -> any 80 (msg:"evil request"; flow:to_server,established; content:"EVIL"; nocase; classtype:trojan-activity; metadata:created_at 2024_01_01, tag one, tag two; sid:1001; rev:3;)
alert tcp any 80 -> any any (msg:"reply with ok"; pcre:"/^HTTP\/1\.[01] 200/"; sid:1002;)
alert icmp any any -> any any (msg:"ping"; itype:8; threshold:type limit, track by_src, count 1, seconds 60; sid:1003;)
alert udp $HOME_NET any -> any 53 (msg:"dns from home"; priority:2; sid:1004;)
alert tcp any any -> any any (msg:"syn"; flags:S; sid:1005;)
alert tcp any any -> any any (msg:"login seen"; content:"LOGIN"; flowbits:set,logged; flowbits:noalert; sid:1006;)
alert tcp any any -> any any (msg:"after login"; flowbits:isset,logged; content:"DATA"; sid:1007;)
'''


def capture(path):
    t0 = 1700000000.0
    frames = tcp_session('10.0.0.1', 40000, '10.0.0.2', 80, request=b'GET /evil HTTP/1.0\r\n\r\n')
    frames += [icmp_echo('10.0.0.1', '10.0.0.2', 7, 1), icmp_echo('10.0.0.1', '10.0.0.2', 7, 2)]
    frames += [udp('10.0.0.1', 53000, '10.0.0.53', 53, b'\x12\x34\x01\x00' + b'\0' * 8)]
    frames += [tcp('10.0.0.1', 41000, '10.0.0.3', 21, 'A', 1, 1, b'LOGIN bob'),
               tcp('10.0.0.1', 41000, '10.0.0.3', 21, 'A', 10, 1, b'DATA x'),
               tcp('10.0.0.1', 41001, '10.0.0.3', 21, 'A', 1, 1, b'DATA y')]
    write_pcap(path, [(t0 + i * 0.01, f) for i, f in enumerate(frames)])


def main():
    env = nsm4test.Env(__doc__)
    c = nsm4test.Checks()
    tmp = env.tmpdir('detect')
    try:
        alerts(env, c, tmp)
        variables(env, c, tmp)
        bad_rules(env, c, tmp)
        live_reload(env, c, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    c.finish()


def write(path, text):
    with open(path, 'w') as f:
        f.write(text)


def alerts(env, c, tmp):
    pcap = os.path.join(tmp, 'd.pcap')
    capture(pcap)
    rules = os.path.join(tmp, 'd.rules')
    write(rules, RULES)
    out = os.path.join(tmp, 'a')
    r = nsm4test.run_agent(env, ['-r', pcap, '-S', rules, '-q'], out)
    if not c.check(r.returncode == 0, 'agent runs with rules', r.describe()):
        return
    al = r.events('alert')
    # Workers write independently: order by packet (within a packet, the order is kept).
    got = sorted((a['pcap_cnt'], a['alert']['signature_id']) for a in al)
    want = [(1, 1005), (4, 1001), (5, 1002), (9, 1003), (11, 1004), (13, 1007)]
    c.check(got == want, 'alerts by packet and sid', 'got %s\nwant %s' % (got, want))
    evil = [a for a in al if a['alert']['signature_id'] == 1001]
    if evil:
        a = evil[0]
        c.check(a['alert'] == {'action': 'allowed', 'gid': 1, 'signature_id': 1001, 'rev': 3,
                               'signature': 'evil request',
                               'category': 'A Network Trojan was detected', 'severity': 1,
                               'metadata': {'created_at': ['2024_01_01'],
                                            'tag': ['one', 'two']}},
                'alert object as Suricata writes it', str(a['alert']))
        c.check((a['src_ip'], a['src_port'], a['dest_ip'], a['dest_port'], a['proto']) ==
                ('10.0.0.1', 40000, '10.0.0.2', 80, 'TCP'), 'alert addresses from the packet')
        c.check(a.get('direction') == 'to_server' and 'flow_id' in a and 'community_id' in a,
                'alert has direction, flow_id and community_id')
    dns = [a for a in al if a['alert']['signature_id'] == 1004]
    c.check(bool(dns) and dns[0]['alert']['severity'] == 2 and dns[0]['alert']['category'] == '',
            'priority is the severity; no classtype, empty category')
    flows = {(f['src_port'] if 'src_port' in f else None, f['proto']): f['flow']['alerted']
             for f in r.events('flow')}
    c.check(flows.get((40000, 'TCP')) is True and flows.get((41001, 'TCP')) is False,
            'flow.alerted marks the flows with alerts', str(flows))


def variables(env, c, tmp):
    pcap = os.path.join(tmp, 'd.pcap')
    rules = os.path.join(tmp, 'd.rules')
    out = os.path.join(tmp, 'v')
    r = nsm4test.run_agent(env, ['-r', pcap, '-S', rules, '-q', '--set',
                                 'vars.address-groups.HOME_NET=[192.168.0.0/16]'], out)
    sids = {a['alert']['signature_id'] for a in r.events('alert')}
    c.check(r.returncode == 0 and 1004 not in sids and 1001 in sids,
            'HOME_NET from --set changes what $HOME_NET rules match', r.describe())


def bad_rules(env, c, tmp):
    pcap = os.path.join(tmp, 'd.pcap')
    rules = os.path.join(tmp, 'bad.rules')
    write(rules, 'alert tcp any any -> any any (msg:"ok"; flags:S; sid:1;)\n'
                 'alert tcp any any -> any any (msg:"bad"; ttl:abc; sid:2;)\n')
    r = nsm4test.run_agent(env, ['-r', pcap, '-S', rules, '-q'], os.path.join(tmp, 'b'))
    c.check('bad.rules:2:' in r.stderr and 'ttl' in r.stderr,
            'a bad rule is reported with file:line:column', r.stderr)
    sids = {a['alert']['signature_id'] for a in r.events('alert')}
    c.check(r.returncode == 0 and sids == {1}, 'the good rules still run', r.describe())


def pcap_header():
    return struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)


def pcap_record(ts, frame):
    return struct.pack('<IIII', int(ts), 0, len(frame), len(frame)) + frame


def live_reload(env, c, tmp):
    rules = os.path.join(tmp, 'live.rules')
    write(rules, 'alert udp any any -> any any (msg:"old"; content:"ping"; sid:1;)\n')
    out = os.path.join(tmp, 'live')
    os.makedirs(out)
    proc = subprocess.Popen([env.agent, '-r', '-', '-S', rules, '-l', out, '-q', '--set', 'workers=1'],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    t = [1700000000]

    def send(n):
        for _ in range(n):
            t[0] += 1
            proc.stdin.write(pcap_record(t[0], udp('10.0.0.1', 5000, '10.0.0.2', 6000,
                                                   b'ping')))
        proc.stdin.flush()

    try:
        proc.stdin.write(pcap_header())
        send(2)
        time.sleep(1.0)
        # A changed file is picked up once it has held still for a poll (1 s).
        write(rules, 'alert udp any any -> any any (msg:"new"; content:"ping"; sid:2;)\n')
        time.sleep(3.5)
        send(2)
        time.sleep(0.5)
        # A broken set on SIGHUP is rejected; sid 2 keeps running.
        write(rules, 'alert udp any any -> any any (msg:"broken"; content:"ping"; ttl:x; sid:3;)\n')
        proc.send_signal(signal.SIGHUP)
        time.sleep(2.5)
        send(2)
        time.sleep(0.5)
        proc.stdin.close()
        err = proc.stderr.read()
        proc.wait(timeout=60)
    except BrokenPipeError:
        err = proc.stderr.read()
        proc.wait(timeout=60)
        c.check(False, 'agent keeps reading during reloads',
                'exit %s, stderr %s' % (proc.returncode, err.decode(errors='replace')))
        return
    finally:
        if proc.poll() is None:
            proc.kill()
    err = err.decode(errors='replace')
    sids = [a['alert']['signature_id'] for a in nsm4test.read_eve(os.path.join(out, 'eve.json'),
                                                                  'alert')]
    c.check(sids == [1, 1, 2, 2, 2, 2], 'rules reload live; a broken set keeps the old one',
            'sids %s\nstderr %s' % (sids, err))
    c.check('rejected' in err and 'live.rules:1:' in err,
            'the rejected set is reported with its errors', err)


if __name__ == '__main__':
    main()
