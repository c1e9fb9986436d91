#!/usr/bin/env python3
"""Every shared capture is read to the end (exit 0) and the agent's packet count
(stats.decoder.pkts of the final EVE stats event) equals `tshark -r FILE | wc -l`."""
import concurrent.futures
import glob
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import nsm4test  # noqa: E402


def captures(env):
    conf = env.require_shared('conformance')
    files = []
    for suite in ('suite', 'eve-suite'):
        files += sorted(glob.glob(os.path.join(conf, suite, '*', 'input.pcap*')))
    files += sorted(glob.glob(os.path.join(env.require_shared('community-id', 'pcaps'), '*.pcap')))
    bench = os.path.join(env.shared, 'bench', 'sv-mix.pcap')
    if os.path.exists(bench):
        files.append(bench)
    return files


def tshark_count(path):
    # One summary line per packet, as `tshark -r FILE | wc -l` counts them.
    p = subprocess.run(['tshark', '-n', '-r', path], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=600)
    return p.stdout.count(b'\n'), p.returncode, p.stderr.decode(errors='replace').strip()


def check_one(env, path):
    """Returns (packets, None) when fine, else (packets, a one-line description)."""
    want, trc, terr = tshark_count(path)
    return want, compare(env, path, want, trc, terr)


def compare(env, path, want, trc, terr):
    out = env.tmpdir('counts')
    try:
        r = nsm4test.run_agent(env, ['-r', path, '-q'], outdir=out)
        if r.returncode != 0:
            return 'agent exited %d: %s' % (r.returncode, r.stderr.strip()[-300:])
        try:
            stats = nsm4test.final_stats(r.events())
        except AssertionError as e:
            return str(e)
        if stats is None:
            return 'no stats event in eve.json'
        got = nsm4test.dig(stats, 'decoder.pkts')
        if got != want:
            note = ' (tshark exit %d: %s)' % (trc, terr.splitlines()[-1]) if trc else ''
            return 'agent stats.decoder.pkts=%s, tshark counts %d%s' % (got, want, note)
        return None
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main():
    env = nsm4test.Env(__doc__)
    nsm4test.require_tool('tshark')
    files = captures(env)
    print('checking %d captures (2 at a time)' % len(files), flush=True)
    mismatches = []
    total = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        futures = {pool.submit(check_one, env, f): f for f in files}
        for fut in concurrent.futures.as_completed(futures):
            path = futures[fut]
            try:
                packets, problem = fut.result()
                total += packets
            except Exception as e:  # a timeout or a crash in the harness itself
                problem = 'error: %r' % e
            if problem:
                mismatches.append((os.path.relpath(path, env.shared), problem))
    ok = len(files) - len(mismatches)
    print('%d of %d captures read to the end (exit 0) with the packet count tshark reports '
          '(%d packets in all)' % (ok, len(files), total))
    if mismatches:
        print('mismatches:')
        for path, problem in sorted(mismatches):
            print('  %s: %s' % (path, problem))
        sys.exit(1)


if __name__ == '__main__':
    main()
