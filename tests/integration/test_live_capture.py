#!/usr/bin/env python3
"""Live capture on a veth pair into a network namespace made by the test:
ICMP, ICMPv6, UDP and TCP over IPv4 and IPv6 are sent across while the agent
runs with -i; the EVE flows and the kernel packet counter must show them.
Then the same with --user nobody: the agent drops privileges and still captures.
Skipped (exit 77) only when namespaces cannot be made (not root, no CAP_NET_ADMIN)."""
import os
import signal
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nsm4test  # noqa: E402
from nsm4test import dig, flow_key, norm_ip  # noqa: E402

TAG = os.getpid() % 100000
NS = 'nsm4t%d' % TAG
HOST_IF = 'nsm4h%d' % TAG  # at most 15 characters
NS_IF = 'nsm4n%d' % TAG
NET = TAG % 250
H4, N4 = '10.213.%d.1' % NET, '10.213.%d.2' % NET
H6, N6 = 'fd00:6e73:6d34:%x::1' % NET, 'fd00:6e73:6d34:%x::2' % NET
TCP_PORT, UDP_PORT, UDP_SRC = 18080, 15353, 41001

# Runs inside the namespace: accepts one TCP connection on each of IPv4 and
# IPv6, answers the request, closes.
NS_SERVER = r'''
import socket, sys
socks = []
for fam, addr in ((socket.AF_INET, '%s'), (socket.AF_INET6, '%s')):
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, %d))
    s.listen(1)
    socks.append(s)
print('ready', flush=True)
for s in socks:
    s.settimeout(60)
    c, _ = s.accept()
    c.recv(100)
    c.sendall(b'pong\n')
    c.close()
''' % (N4, N6, TCP_PORT)

NS_UDP_CLIENT = r'''
import socket
for fam, src, dst in ((socket.AF_INET, '%s', '%s'), (socket.AF_INET6, '%s', '%s')):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((src, %d))
    s.settimeout(5)
    s.sendto(b'hello', (dst, %d))
    s.recv(100)
    s.close()
''' % (N4, H4, N6, H6, UDP_SRC, UDP_PORT)


def sh(*argv, check=True):
    p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if check and p.returncode != 0:
        raise RuntimeError('%s failed: %s' % (' '.join(argv), p.stderr.decode().strip()))
    return p


def make_namespace():
    if os.geteuid() != 0:
        nsm4test.skip('live capture needs root (CAP_NET_ADMIN) to make a network namespace')
    if not shutil.which('ip'):
        nsm4test.skip_or_fail_in_ci('the ip command (iproute2) is not installed')
    p = sh('ip', 'netns', 'add', NS, check=False)
    if p.returncode != 0:
        nsm4test.skip('cannot make a network namespace here: %s' % p.stderr.decode().strip())
    sh('ip', 'link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF)
    sh('ip', 'link', 'set', NS_IF, 'netns', NS)
    sh('sysctl', '-qw', 'net.ipv6.conf.%s.disable_ipv6=0' % HOST_IF, check=False)
    sh('ip', 'addr', 'add', H4 + '/24', 'dev', HOST_IF)
    sh('ip', '-6', 'addr', 'add', H6 + '/64', 'dev', HOST_IF, 'nodad')
    sh('ip', 'link', 'set', HOST_IF, 'up')
    nsx = ['ip', 'netns', 'exec', NS]
    sh(*nsx, 'sysctl', '-qw', 'net.ipv6.conf.%s.disable_ipv6=0' % NS_IF, check=False)
    sh(*nsx, 'ip', 'addr', 'add', N4 + '/24', 'dev', NS_IF)
    sh(*nsx, 'ip', '-6', 'addr', 'add', N6 + '/64', 'dev', NS_IF, 'nodad')
    sh(*nsx, 'ip', 'link', 'set', NS_IF, 'up')
    sh(*nsx, 'ip', 'link', 'set', 'lo', 'up')
    print('namespace %s: %s %s/%s <-> %s %s/%s' % (NS, HOST_IF, H4, H6, NS_IF, N4, N6))
    # Wait for the carrier and fill the neighbour caches before capturing, so the
    # first packets the agent sees between the two ends are the test's own.
    for addr in (N4, N6):
        for _ in range(50):
            if sh('ping', '-c', '1', '-W', '1', addr, check=False).returncode == 0:
                break
            time.sleep(0.1)


def remove_namespace():
    subprocess.run(['ip', 'netns', 'del', NS], stderr=subprocess.DEVNULL)
    subprocess.run(['ip', 'link', 'del', HOST_IF], stderr=subprocess.DEVNULL)


def start_agent(env, outdir, extra):
    argv = [env.agent, '-i', HOST_IF, '-l', outdir] + extra
    print('running: %s' % ' '.join(argv), flush=True)
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL)
    time.sleep(2.5)  # let it open the interface (longer under sanitizers is harmless)
    return p


def send_traffic(full):
    """ICMP and ICMPv6 echo; with full, also UDP and TCP over both IP versions.
    Returns the client ports of the TCP connections (v4, v6)."""
    sh('ping', '-c', '3', '-i', '0.2', '-W', '2', N4)
    sh('ping', '-6', '-c', '3', '-i', '0.2', '-W', '2', N6)
    if not full:
        return None
    server = subprocess.Popen(['ip', 'netns', 'exec', NS, sys.executable, '-c', NS_SERVER],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = server.stdout.readline().decode().strip()
        if line != 'ready':
            raise RuntimeError('TCP server in the namespace did not start: %s %s'
                               % (line, server.stderr.read().decode()))
        # UDP: the namespace sends, a listener here answers.
        listeners = []
        for fam, addr in ((socket.AF_INET, H4), (socket.AF_INET6, H6)):
            s = socket.socket(fam, socket.SOCK_DGRAM)
            s.bind((addr, UDP_PORT))
            s.settimeout(10)
            listeners.append(s)
        client = subprocess.Popen(['ip', 'netns', 'exec', NS, sys.executable, '-c', NS_UDP_CLIENT])
        for s in listeners:
            data, peer = s.recvfrom(100)
            s.sendto(b'world', peer)
        if client.wait(timeout=30) != 0:
            raise RuntimeError('UDP client in the namespace failed')
        for s in listeners:
            s.close()
        # TCP: connect from here to the namespace.
        ports = []
        for fam, addr in ((socket.AF_INET, N4), (socket.AF_INET6, N6)):
            s = socket.create_connection((addr, TCP_PORT), timeout=10)
            ports.append(s.getsockname()[1])
            s.sendall(b'ping\n')
            s.recv(100)
            s.close()
        server.wait(timeout=30)
        time.sleep(0.5)  # let the last FIN/ACKs cross
        return ports
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def find_flow(flows, proto, src, dst, sport=None, dport=None):
    for e in flows:
        k = flow_key(e)
        if k[0] != proto or k[1] != norm_ip(src) or k[3] != norm_ip(dst):
            continue
        if sport is not None and k[2] != sport:
            continue
        if dport is not None and k[4] != dport:
            continue
        return e
    return None


def check_flows(c, label, result_events, full, tcp_ports):
    flows = [e for e in result_events if e.get('event_type') == 'flow']
    stats = nsm4test.final_stats(result_events) or {}
    kp = dig(stats, 'capture.kernel_packets')
    c.check(isinstance(kp, int) and kp > 0, '%s: stats.capture.kernel_packets > 0 (%s), '
            'kernel_drops=%s' % (label, kp, dig(stats, 'capture.kernel_drops')), 'stats: %s' % stats)
    wanted = [('ICMP v4 echo %s -> %s' % (H4, N4), ('ICMP', H4, N4, None, None), 3),
              ('ICMPv6 echo %s -> %s' % (H6, N6), ('IPV6-ICMP', H6, N6, None, None), 3)]
    if full:
        wanted += [
            ('UDP %s:%d -> %s:%d' % (N4, UDP_SRC, H4, UDP_PORT),
             ('UDP', N4, H4, UDP_SRC, UDP_PORT), 1),
            ('UDP [%s]:%d -> [%s]:%d' % (N6, UDP_SRC, H6, UDP_PORT),
             ('UDP', N6, H6, UDP_SRC, UDP_PORT), 1),
            ('TCP %s:%d -> %s:%d' % (H4, tcp_ports[0], N4, TCP_PORT),
             ('TCP', H4, N4, tcp_ports[0], TCP_PORT), 4),
            ('TCP [%s]:%d -> [%s]:%d' % (H6, tcp_ports[1], N6, TCP_PORT),
             ('TCP', H6, N6, tcp_ports[1], TCP_PORT), 4),
        ]
    for what, key, min_pkts in wanted:
        e = find_flow(flows, *key)
        ok = (e is not None and (dig(e, 'flow.pkts_toserver') or 0) >= min_pkts
              and (dig(e, 'flow.pkts_toclient') or 0) >= 1)
        c.check(ok, '%s: flow %s with >= %d packets toserver and replies' % (label, what, min_pkts),
                'event: %s\nall flows: %s' % (e, [flow_key(f) for f in flows]))


def proc_uids(pid):
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('Uid:'):
                    return [int(x) for x in line.split()[1:]]
    except OSError:
        pass
    return None


def main():
    env = nsm4test.Env(__doc__)
    c = nsm4test.Checks()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the cleanup on a ctest timeout
    tmp = env.tmpdir('live')
    os.chmod(tmp, 0o755)
    agent = None
    try:
        make_namespace()

        # 1. As root, stopped with SIGINT after the traffic.
        out1 = os.path.join(tmp, 'root')
        os.makedirs(out1)
        agent = start_agent(env, out1, ['--run-for', '120'])
        c.check(agent.poll() is None, 'agent is running on %s' % HOST_IF,
                agent.poll() is not None and agent.stderr.read().decode())
        ports = send_traffic(full=True)
        time.sleep(1.0)
        agent.send_signal(signal.SIGINT)
        try:
            rc = agent.wait(timeout=30)
        except subprocess.TimeoutExpired:
            agent.kill()
            rc = agent.wait()
        err = agent.stderr.read().decode(errors='replace')
        out = agent.stdout.read().decode(errors='replace')
        c.check(rc == 0, 'SIGINT stops the agent cleanly with exit 0 (got %d)' % rc,
                'stderr: %s' % err[-1000:])
        print('agent summary:\n  ' + out.strip().replace('\n', '\n  '))
        check_flows(c, 'root', nsm4test.read_eve(os.path.join(out1, 'eve.json')), True, ports)

        # 2. Dropping privileges to nobody, stopped by --run-for.
        out2 = os.path.join(tmp, 'nobody')
        os.makedirs(out2)
        os.chmod(out2, 0o1777)
        run_for = 8
        t0 = time.monotonic()
        agent = start_agent(env, out2, ['--run-for', str(run_for), '--user', 'nobody'])
        uids = proc_uids(agent.pid)
        c.check(uids is not None and all(u == 65534 for u in uids),
                '--user nobody: /proc/<pid>/status Uid is 65534 for real, effective, saved '
                'and fs (%s)' % uids)
        send_traffic(full=False)
        try:
            rc = agent.wait(timeout=run_for + 30)
        except subprocess.TimeoutExpired:
            agent.kill()
            rc = agent.wait()
        took = time.monotonic() - t0
        err = agent.stderr.read().decode(errors='replace')
        c.check(rc == 0 and took < run_for + 20,
                '--run-for %d stops the agent by itself with exit 0 (exit %d after %.1f s)'
                % (run_for, rc, took), 'stderr: %s' % err[-1000:])
        check_flows(c, 'nobody', nsm4test.read_eve(os.path.join(out2, 'eve.json')), False, None)
    finally:
        if agent is not None and agent.poll() is None:
            agent.kill()
            agent.wait()
        remove_namespace()
        shutil.rmtree(tmp, ignore_errors=True)
    c.finish()


if __name__ == '__main__':
    main()
