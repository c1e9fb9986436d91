#!/usr/bin/env python3
"""nsm4-rules check on the public rule sets (../shared/rulesets) and on small
crafted files: no crash, no syntax error on rules Suricata / Snort 3 accept,
every rule accounted for, and the loaded share never goes down (ratchet).

Run by ctest as: test_rulesets.py --build-dir BUILD --source-dir SRC
Exit 0 pass, 1 fail, 77 skipped (../shared missing; a failure when CI=true).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nsm4test  # noqa: E402

# Ratchet: the number of rules that load with the default keyword registry,
# as measured when this test was written. Raise these when nsm4 supports more;
# never lower them. Shares are printed for the README.
MIN_LOADED = {
    'etopen': 13817,           # of 13943 (99.1%) with HTTP, DNS and TLS parsing
    'snort3-community': 3969,  # of 4004 (99.1%)
}
MIN_LOADED_PERCENT_WITHOUT_APP_LAYER = 99.5
# Issue 4's figure: the share of all ET Open rules the agent's engine compiles.
MIN_ENGINE_PERCENT = {'etopen': 85.0}
AGENT_LOADED = re.compile(r'(\d+) rules loaded \((\d+) skipped, (\d+) with errors\)')

RULE_LINE = re.compile(r'^\s*(alert|pass|drop|reject|rejectsrc|rejectdst|rejectboth)\s')
DISABLED_LINE = re.compile(
    r'^\s*#\s*(alert|pass|drop|reject|rejectsrc|rejectdst|rejectboth)\s+\S+[\s(].*\(')


def run(argv, timeout=300):
    start = time.monotonic()
    proc = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
    return proc, time.monotonic() - start


def describe(argv, proc):
    return 'command: %s\nexit: %d\nstderr: %s' % (' '.join(argv), proc.returncode,
                                                  proc.stderr.decode(errors='replace')[-2000:])


def check_cli(tool, checks):
    tmp = tempfile.mkdtemp(prefix='nsm4-rules-')
    good = os.path.join(tmp, 'good.rules')
    bad = os.path.join(tmp, 'bad.rules')
    with open(good, 'w') as f:
        f.write('alert tcp $HOME_NET any -> $EXTERNAL_NET 22 (msg:"ssh"; sid:1; rev:1;)\n'
                '#alert tcp any any -> any any (msg:"off"; sid:2;)\n')
    with open(bad, 'w') as f:
        f.write('alert tcp any any -> any any (msg:"x"; content:"|0g|"; sid:3;)\n')

    proc, _ = run([tool, 'check', good])
    checks.check(proc.returncode == 0, 'a valid file exits 0', describe([tool, good], proc))
    out = proc.stdout.decode()
    checks.check('1 loaded, 0 skipped, 0 errors, 1 disabled' in out,
                 'text summary counts the loaded and the disabled rule', out)

    proc, _ = run([tool, 'check', bad])
    err = proc.stderr.decode()
    checks.check(proc.returncode == 1, 'a syntax error exits 1', describe([tool, bad], proc))
    checks.check(err.startswith(bad + ':1:51: error: '),
                 'errors are printed as file:line:column: error: message', err)

    proc, _ = run([tool, 'check', '--var', 'HOME_NET=[10.0.0.0/8', good])
    checks.check(proc.returncode == 1 and 'missing \']\'' in proc.stderr.decode(),
                 'a bad --var value is reported where the variable is used',
                 describe([tool, '--var'], proc))

    for argv, what in (([tool], 'no arguments'), ([tool, 'check'], 'no files'),
                       ([tool, 'check', '--bogus', good], 'an unknown option'),
                       ([tool, 'lint', good], 'an unknown command')):
        proc, _ = run(argv)
        checks.check(proc.returncode == 2, '%s exits 2 (usage)' % what, describe(argv, proc))


def count_lines(files):
    rules = disabled = 0
    for path in files:
        with open(path, encoding='utf-8', errors='replace') as f:
            for line in f:
                if RULE_LINE.match(line):
                    rules += 1
                elif DISABLED_LINE.match(line):
                    disabled += 1
    return rules, disabled


def check_set(tool, name, path, checks):
    files = sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith('.rules'))
    argv = [tool, 'check', '--json', path]
    proc, elapsed = run(argv)
    if not checks.check(proc.returncode in (0, 1), '%s: nsm4-rules does not crash' % name,
                        describe(argv, proc)):
        return
    try:
        report = json.loads(proc.stdout)
    except ValueError as e:
        checks.check(False, '%s: --json output is JSON' % name, str(e))
        return
    totals = report['totals']
    errors = [d for d in report['diagnostics'] if d['severity'] == 'error']
    checks.check(proc.returncode == 0 and not errors,
                 '%s: no syntax error (every rule is accepted by Suricata / Snort 3)' % name,
                 '\n'.join('%s:%d:%d: %s' % (d['file'], d['line'], d['column'], d['message'])
                           for d in errors[:20]))
    checks.check(sorted(f['file'] for f in report['files']) == files and
                 all(f['readable'] for f in report['files']),
                 '%s: all %d files read' % (name, len(files)))
    rules, disabled = count_lines(files)
    checks.check(totals['rules'] == rules,
                 '%s: every rule accounted for (%d loaded + skipped + errors + duplicates)'
                 % (name, rules), 'tool: %d, file lines: %d' % (totals['rules'], rules))
    checks.check(totals['disabled'] == disabled, '%s: %d disabled rules counted' % (name, disabled),
                 'tool: %d' % totals['disabled'])
    checks.check(totals['loaded'] >= MIN_LOADED[name],
                 '%s: at least %d rules load (ratchet)' % (name, MIN_LOADED[name]),
                 'loaded: %d' % totals['loaded'])
    checks.check(totals['loaded_percent_without_app_layer'] >= MIN_LOADED_PERCENT_WITHOUT_APP_LAYER,
                 '%s: >= %.1f%% of the rules needing no app-layer parsing load'
                 % (name, MIN_LOADED_PERCENT_WITHOUT_APP_LAYER),
                 '%.2f%%' % totals['loaded_percent_without_app_layer'])
    print('%s: %d rules, %d loaded (%.1f%%), %d skipped (%d only for app-layer), %d disabled, '
          '%.1f%% of rules without app-layer needs load; checked in %.2f s'
          % (name, totals['rules'], totals['loaded'], totals['loaded_percent'], totals['skipped'],
             totals['skipped_app_layer'], totals['disabled'],
             totals['loaded_percent_without_app_layer'], elapsed))
    for u in report['unsupported'][:12]:
        print('    %6d  %-24s %s' % (u['rules'], u['keyword'], u['reason']))

    # Round trip: what `print` writes (Suricata syntax, Snort 3 translated) loads again whole.
    printed = os.path.join(tempfile.mkdtemp(prefix='nsm4-rules-'), name + '.rules')
    argv = [tool, 'print', path]
    proc, _ = run(argv)
    with open(printed, 'wb') as f:
        f.write(proc.stdout)
    argv = [tool, 'check', '--json', '--dialect', 'suricata', printed]
    proc2, _ = run(argv)
    again = json.loads(proc2.stdout)['totals'] if proc2.returncode in (0, 1) else {}
    checks.check(proc.returncode == 0 and proc2.returncode == 0 and
                 again.get('loaded') == totals['loaded'] and again.get('rules') == totals['loaded'],
                 '%s: the rules as printed by nsm4-rules print load again, all %d'
                 % (name, totals['loaded']), describe(argv, proc2) + '\n' + str(again))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--build-dir', required=True)
    ap.add_argument('--source-dir', required=True)
    args = ap.parse_args()
    tool = os.path.join(os.path.abspath(args.build_dir), 'rules', 'nsm4-rules')
    if not os.access(tool, os.X_OK):
        nsm4test.fail('nsm4-rules not found at %s (build the nsm4-rules target first)' % tool)
    checks = nsm4test.Checks()
    check_cli(tool, checks)

    shared = os.path.normpath(os.path.join(os.path.abspath(args.source_dir), '..', 'shared',
                                           'rulesets'))
    missing = [n for n in MIN_LOADED if not os.path.isdir(os.path.join(shared, n))]
    if missing:
        if checks.failed:
            checks.finish()
        nsm4test.skip_or_fail_in_ci('%s is missing %s (the shared rule sets live beside the '
                                    'repository)' % (shared, ', '.join(missing)))
    for name in MIN_LOADED:
        check_set(tool, name, os.path.join(shared, name), checks)
    agent = os.path.join(os.path.abspath(args.build_dir), 'agent', 'nsm4-agent')
    for name, percent in MIN_ENGINE_PERCENT.items():
        check_engine(agent, name, os.path.join(shared, name), percent, checks)
    checks.finish()


def check_engine(agent, name, path, percent, checks):
    """The agent itself compiles the set (every file with -S) and runs it."""
    files = sorted(os.path.join(path, f) for f in os.listdir(path) if f.endswith('.rules'))
    tmp = tempfile.mkdtemp(prefix='nsm4-engine-')
    pcap = os.path.join(tmp, 'one.pcap')
    nsm4test.write_pcap(pcap, [(1700000000.0, nsm4test.tcp('10.0.0.1', 40000, '10.0.0.2', 80,
                                                            'PA', 1, 1, b'GET / HTTP/1.0\r\n\r\n'))])
    argv = [agent, '-r', pcap, '-l', tmp]
    for f in files:
        argv += ['-S', f]
    proc, elapsed = run(argv, timeout=900)
    m = AGENT_LOADED.search(proc.stderr.decode(errors='replace'))
    rules, _ = count_lines(files)
    loaded = int(m.group(1)) if m else 0
    share = 100.0 * loaded / rules if rules else 0.0
    checks.check(proc.returncode == 0 and m is not None and share >= percent,
                 '%s: the agent compiles >= %.0f%% of all rules' % (name, percent),
                 '%d of %d (%.1f%%)\n%s' % (loaded, rules, share, describe(argv, proc)))
    print('%s: the agent loaded %d of %d rules (%.1f%%) in %.1f s' % (name, loaded, rules, share,
                                                                      elapsed))


if __name__ == '__main__':
    main()
