#!/usr/bin/env python3
"""The agent's command line: --help, exit codes and one-line errors, stdin and
pcapng input, BPF filters, --eve, on a crafted capture with known flows."""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nsm4test  # noqa: E402
from nsm4test import canonical, flow_key, one_line_error  # noqa: E402

OPTIONS = ['-r', '-i', '--snaplen', '--buffer-size', '--no-promisc', '-S', '-l', '--eve', '-c',
           '--set', '--bpf', '--workers', '-k', '--midstream', '--user', '--group', '--run-for',
           '-q', '--help', '--version']


def flows_of(result):
    return sorted(canonical(e) for e in result.events('flow'))


def main():
    env = nsm4test.Env(__doc__)
    c = nsm4test.Checks()
    tmp = env.tmpdir('cli')
    try:
        run(env, c, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    c.finish()


def out(tmp, name):
    d = os.path.join(tmp, name)
    os.makedirs(d)
    return d


def run(env, c, tmp):
    pcap = os.path.join(tmp, 'mixed.pcap')
    expected, nframes = nsm4test.mixed_capture(pcap)

    # --help and --version
    r = nsm4test.run_agent(env, ['--help'])
    c.check(r.returncode == 0, '--help exits 0', r.describe())
    words = set(r.stdout.replace(',', ' ').replace('=', ' ').replace('[', ' ')
                .replace(']', ' ').replace('|', ' ').split())
    missing = [o for o in OPTIONS if o not in words]
    c.check(not missing, '--help documents every option (%d)' % len(OPTIONS),
            'missing: %s' % missing)
    c.check('exit' in r.stdout.lower(), '--help documents the exit codes')
    r = nsm4test.run_agent(env, ['--version'])
    c.check(r.returncode == 0 and r.stdout.strip() != '', '--version exits 0 and prints a version',
            r.describe())

    # Reading a file: the flows and the packet count.
    d = out(tmp, 'file')
    r = nsm4test.run_agent(env, ['-r', pcap], outdir=d)
    c.check(r.returncode == 0, '-r FILE exits 0', r.describe())
    c.check(r.stdout.strip() != '', '-r FILE prints a summary on stdout')
    stats = nsm4test.final_stats(r.events())
    c.check(nsm4test.dig(stats or {}, 'decoder.pkts') == nframes,
            'final stats event: stats.decoder.pkts == %d' % nframes, 'stats: %s' % stats)
    file_flows = r.events('flow')
    got = {flow_key(e): (nsm4test.dig(e, 'flow.pkts_toserver'), nsm4test.dig(e, 'flow.pkts_toclient'))
           for e in file_flows}
    c.check(len(file_flows) == len(expected), '%d flow events (one per flow)' % len(expected),
            'got keys: %s' % sorted(map(str, got)))
    for key, pkts in expected.items():
        c.check(got.get(key) == pkts, 'flow %s %s:%s -> %s:%s has pkts toserver/toclient %s'
                % (key + (pkts,)), 'got %s' % (got.get(key),))
    c.check(all(e.get('community_id', '').startswith('1:') for e in file_flows),
            'every flow event has a community_id "1:..."')

    # -q: no summary on stdout, same events.
    d = out(tmp, 'quiet')
    r = nsm4test.run_agent(env, ['-q', '-r', pcap], outdir=d)
    c.check(r.returncode == 0 and r.stdout.strip() == '', '-q prints nothing on stdout',
            r.describe())

    # stdin
    d = out(tmp, 'stdin')
    with open(pcap, 'rb') as f:
        r = nsm4test.run_agent(env, ['-r', '-'], outdir=d, input_bytes=f.read())
    c.check(r.returncode == 0, "-r - (stdin) exits 0", r.describe())
    c.check(flows_of(r) == sorted(canonical(e) for e in file_flows),
            'stdin gives the same flow events as the file')

    # pcapng
    ng = os.path.join(tmp, 'mixed.pcapng')
    editcap = shutil.which('editcap')
    if not editcap:
        nsm4test.skip_or_fail_in_ci('editcap (tshark\'s package) is missing: cannot make a pcapng')
    subprocess.run([editcap, '-F', 'pcapng', pcap, ng], check=True)
    d = out(tmp, 'pcapng')
    r = nsm4test.run_agent(env, ['-r', ng], outdir=d)
    c.check(r.returncode == 0, 'pcapng input exits 0', r.describe())
    c.check(flows_of(r) == sorted(canonical(e) for e in file_flows),
            'pcapng gives the same flow events as pcap')
    d = out(tmp, 'pcapng-stdin')
    with open(ng, 'rb') as f:
        r = nsm4test.run_agent(env, ['-r', '-'], outdir=d, input_bytes=f.read())
    c.check(r.returncode == 0 and flows_of(r) == sorted(canonical(e) for e in file_flows),
            'pcapng on stdin gives the same flow events', r.describe())

    # BPF, as --bpf and as trailing arguments
    d = out(tmp, 'bpf')
    r = nsm4test.run_agent(env, ['-r', pcap, '--bpf', 'udp'], outdir=d)
    udp_flows = r.events('flow')
    want_udp = {k for k in expected if k[0] == 'UDP'}
    c.check(r.returncode == 0 and {flow_key(e) for e in udp_flows} == want_udp,
            "--bpf 'udp' keeps exactly the UDP flows",
            'got %s\n%s' % (sorted(map(str, (flow_key(e) for e in udp_flows))), r.describe()))
    d = out(tmp, 'bpf-trailing')
    r = nsm4test.run_agent(env, ['-r', pcap, 'ip6', 'and', 'tcp'], outdir=d)
    want = {k for k in expected if k[0] == 'TCP' and ':' in k[1]}
    c.check(r.returncode == 0 and {flow_key(e) for e in r.events('flow')} == want,
            "trailing BPF 'ip6 and tcp' keeps exactly the IPv6 TCP flow", r.describe())
    stats = nsm4test.final_stats(r.events())
    c.check(nsm4test.dig(stats or {}, 'decoder.pkts') == 8,
            'with a BPF filter, stats.decoder.pkts counts the 8 matching packets',
            'stats: %s' % stats)

    # --eve FILE
    eve = os.path.join(tmp, 'elsewhere.json')
    r = nsm4test.run_agent(env, ['-r', pcap, '--eve', eve])
    c.check(r.returncode == 0 and len(nsm4test.read_eve(eve, 'flow')) == len(expected),
            '--eve FILE writes the events to FILE', r.describe())

    # --workers, -k, --midstream, --set are accepted
    d = out(tmp, 'opts')
    r = nsm4test.run_agent(env, ['-r', pcap, '--workers', '2', '-k', 'all', '--midstream',
                                 '--set', 'stream.midstream=true'], outdir=d)
    c.check(r.returncode == 0 and len(r.events('flow')) == len(expected),
            '--workers 2 -k all --midstream --set stream.midstream=true: same %d flows'
            % len(expected), r.describe())

    # Errors: exit codes and one line on stderr.
    def error_case(args, code, what):
        r = nsm4test.run_agent(env, args, timeout=60)
        c.check(r.returncode == code and one_line_error(r.stderr),
                '%s: exit %d with one line "nsm4-agent: ..." on stderr' % (what, code),
                r.describe())

    error_case(['-r', os.path.join(tmp, 'no-such-file.pcap')], 1, 'missing file')
    not_pcap = os.path.join(tmp, 'not-a-capture.pcap')
    with open(not_pcap, 'w') as f:
        f.write('this is not a capture\n' * 10)
    error_case(['-r', not_pcap], 1, 'a file that is not a capture')
    dlt = os.path.join(tmp, 'dlt147.pcap')
    nsm4test.write_pcap(dlt, [(1.0, b'\0' * 60)], dlt=147)
    error_case(['-r', dlt], 1, 'unsupported link type (DLT 147)')
    error_case(['-r', pcap, '--bpf', 'this is (not a filter'], 2, 'bad BPF (--bpf)')
    error_case(['-r', pcap, 'tcp', 'port', 'notaport'], 2, 'bad BPF (trailing arguments)')
    error_case(['--no-such-option'], 2, 'unknown option')
    error_case(['-r', pcap, '-k', 'sometimes'], 2, 'bad -k value')
    error_case(['-r', pcap, '--workers', 'many'], 2, 'bad --workers value')
    error_case([], 2, 'neither -r nor -i')
    bad_yaml = os.path.join(tmp, 'bad.yaml')
    with open(bad_yaml, 'w') as f:
        f.write('outputs: [unclosed\n  - : :\n')
    error_case(['-c', bad_yaml, '-r', pcap], 2, 'malformed -c agent.yaml')
    error_case(['-i', 'nsm4-nosuch0', '--run-for', '1'], 1, 'bad interface')


if __name__ == '__main__':
    main()
