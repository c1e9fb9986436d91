#!/usr/bin/env python3
"""Nothing lost, nothing stored twice, with real processes on loopback:
1. three agents (a district and two wards) forward > 100k events over TLS; the
   collector is killed with SIGKILL in the middle and restarted: every event
   each agent wrote is stored exactly once, batches in order per agent, and
   `nsm4-collector verify` accepts the hash chain;
2. the collector is down while two agents run: they spool, then deliver
   everything in order once it is back;
3. an agent is killed with SIGKILL while its spool holds batches: restarted,
   it delivers them."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nsm4test  # noqa: E402
from collectortest import (Agent, Collector, check_exactly_once, check_in_order,  # noqa: E402
                           wait_until)
from nsm4test import fail  # noqa: E402

AGENTS = [('district-1', 'district'), ('ward-1', 'ward-1'), ('ward-2', 'ward-2')]
FORWARD = ['--set', 'output.forward.batch.max-events=500',
           '--set', 'output.forward.retry.initial=100ms',
           '--set', 'output.forward.retry.max=1s',
           '--set', 'output.forward.drain-timeout=180s']


def make_pcap(env, path, flows, seed):
    gen = os.path.join(env.build_dir, 'bench', 'gen_traffic')
    subprocess.run([gen, '-o', path, '--flows', str(flows), '--packets', '0', '--seed', str(seed),
                    '--concurrent', '200'], check=True, stdout=subprocess.DEVNULL)
    return path


def stored(c):
    return c.rows('SELECT count(*) FROM events')[0][0]


def main():
    env = nsm4test.Env(__doc__.split('\n')[0])
    c = Collector(env, AGENTS)
    work = env.tmpdir('delivery')

    # 1. SIGKILL of the collector in the middle of > 100k events from three agents.
    c.start()
    agents = []
    for i, (name, site) in enumerate(AGENTS):
        pcap = make_pcap(env, os.path.join(work, '%s.pcap' % name), 16000, 11 + i)
        agents.append(Agent(env, c, name, site, pcap, FORWARD).start())
    wait_until('10,000 events stored', lambda: stored(c) >= 10000, timeout=120, step=0.05)
    c.kill9()
    killed_at = stored(c)
    time.sleep(2)
    c.start()
    for a in agents:
        a.wait()
    total = sum(check_exactly_once(c, a) for a in agents)
    batches = sum(check_in_order(c, a) for a in agents)
    if total < 100000:
        fail('only %d events were forwarded; the test needs more than 100,000' % total)
    if killed_at >= total:
        fail('the collector was killed after everything was stored (%d of %d)' % (killed_at, total))
    for a in agents:
        if a.spool_files():
            fail('agent %s left batches in its spool: %s' % (a.name, a.spool_files()[:5]))
    print('1. collector killed at %d of %d events (%d batches): all stored exactly once, in order'
          % (killed_at, total, batches))

    # 2. Collector down while two agents run: they spool, then deliver in order.
    c.stop()
    late = agents[1:]  # same agents (same spool and local eve.json), new traffic
    for i, a in enumerate(late):
        a.start(make_pcap(env, os.path.join(work, '%s-late.pcap' % a.name), 2000, 31 + i))
    for a in late:
        wait_until('agent %s to spool batches' % a.name, lambda a=a: len(a.spool_files()) >= 3,
                   timeout=60)
    time.sleep(3)  # a few failed attempts, with backoff
    spooled = {a.name: len(a.spool_files()) for a in late}
    c.start()
    for a in late:
        a.wait()
        check_exactly_once(c, a)
        check_in_order(c, a)
        if a.spool_files():
            fail('agent %s still has spooled batches after delivery' % a.name)
    print('2. collector down: agents spooled %s batches, all delivered once, in order' % spooled)

    # 3. SIGKILL of an agent with a non-empty spool; the restarted agent delivers it.
    c.stop()
    a = agents[0]
    name = a.name
    a.start(make_pcap(env, os.path.join(work, 'd-kill.pcap'), 2000, 41))
    wait_until('agent %s to finish reading and spool its batches' % name,
               lambda: 'draining' in a.log_this_run() and len(a.spool_files()) >= 3, timeout=60)
    a.kill9()
    left = len(a.spool_files())
    tiny = make_pcap(env, os.path.join(work, 'tiny.pcap'), 5, 43)
    c.start()
    a.start(tiny)
    a.wait()
    check_exactly_once(c, a)
    check_in_order(c, a)
    if a.spool_files():
        fail('agent %s still has spooled batches after its restart' % name)
    print('3. agent killed with %d spooled batches: delivered after its restart' % left)

    v = c.cli(['verify'], check=False)
    if v.returncode != 0:
        fail('verify failed after the faults:\n%s%s' % (v.stdout, v.stderr))
    c.stop()
    print('verify: %s' % (v.stdout.strip().splitlines() or [''])[-1])
    print('PASS')


if __name__ == '__main__':
    main()
