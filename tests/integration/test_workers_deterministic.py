#!/usr/bin/env python3
"""The output does not depend on the number of workers: with --workers 1, 2 and 4
the multiset of EVE lines other than `stats` events is identical."""
import glob
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nsm4test  # noqa: E402

WORKERS = (1, 2, 4)
# Conformance captures with the most flows (and IPv6 fragments, TLS, ICMPv6).
PICKED = [
    'conformance/suite/ipv6-evasion__ipv6-dos-with-ext-headers-5/input.pcap',
    'conformance/eve-suite/tls__tls-subject/input.pcap',
    'conformance/suite/http-request-invalid/input.pcap',
    'conformance/suite/transform-base64-7296/input.pcap',
    'community-id/pcaps/icmp6.pcap',
]


def non_stats_lines(path):
    lines = []
    for line in nsm4test.read_eve_lines(path):
        if json.loads(line).get('event_type') != 'stats':
            lines.append(line)
    return sorted(lines)


def cases(env, tmp):
    out = []
    many = os.path.join(tmp, 'many-flows.pcap')
    n = nsm4test.many_flows_capture(many)
    out.append(('generated: 3000 short TCP/UDP flows, %d packets' % n, many))
    if not os.path.isdir(env.shared):
        if nsm4test.in_ci():
            nsm4test.fail('%s is missing (CI=true: it must be there)' % env.shared)
        print('note: %s is missing: only the generated capture is checked' % env.shared)
        return out
    for rel in PICKED:
        path = os.path.join(env.shared, rel)
        if os.path.exists(path):
            out.append((rel, path))
        else:
            print('note: %s not found, not used' % rel)
    # All Ethernet conformance captures merged by timestamp: many flows, years
    # apart, so flows also end by timeout in packet time.
    mergecap = shutil.which('mergecap')
    eth = [f for f in sorted(glob.glob(os.path.join(env.shared, 'conformance', '*', '*',
                                                     'input.pcap')))
           if nsm4test.pcap_linktype(f) == nsm4test.DLT_EN10MB]
    if mergecap and eth:
        merged = os.path.join(tmp, 'merged.pcap')
        subprocess.run([mergecap, '-F', 'pcap', '-w', merged] + eth, check=True)
        out.append(('%d Ethernet conformance captures merged by time' % len(eth), merged))
    elif not mergecap:
        nsm4test.skip_or_fail_in_ci('mergecap (tshark\'s package) is missing')
    bench = os.path.join(env.shared, 'bench', 'sv-mix.pcap')
    if os.path.exists(bench):
        out.append(('bench/sv-mix.pcap', bench))
    return out


def main():
    env = nsm4test.Env(__doc__)
    c = nsm4test.Checks()
    tmp = env.tmpdir('workers')
    try:
        for name, pcap in cases(env, tmp):
            results = {}
            for w in WORKERS:
                d = os.path.join(tmp, 'out-%d' % w)
                shutil.rmtree(d, ignore_errors=True)
                os.makedirs(d)
                r = nsm4test.run_agent(env, ['-q', '-r', pcap, '--workers', str(w)], outdir=d)
                if not c.check(r.returncode == 0, '%s: --workers %d exits 0' % (name, w),
                               r.describe()):
                    break
                results[w] = non_stats_lines(r.eve_path)
            if len(results) != len(WORKERS):
                continue
            base = results[1]
            nflows = sum(1 for l in base if '"event_type":"flow"' in l.replace(' ', ''))
            for w in WORKERS[1:]:
                diff = describe_diff(base, results[w])
                c.check(not diff, '%s: --workers %d writes the same %d non-stats lines '
                        '(%d flow events) as --workers 1' % (name, w, len(base), nflows), diff)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    c.finish()


def describe_diff(a, b):
    if a == b:
        return ''
    from collections import Counter
    ca, cb = Counter(a), Counter(b)
    only_a = list((ca - cb).elements())
    only_b = list((cb - ca).elements())
    lines = ['%d lines only with --workers 1, %d only with more workers' % (len(only_a), len(only_b))]
    lines += ['- ' + l[:400] for l in only_a[:3]]
    lines += ['+ ' + l[:400] for l in only_b[:3]]
    return '\n'.join(lines)


if __name__ == '__main__':
    main()
