#!/usr/bin/env python3
"""Interleaved comparison of sgc binaries on whole builds.

Runs each workload with each binary in turn (A, B, A, B, ...) and prints
Markdown: the median wall time, CPU time (user + system, from rusage) and
peak memory (GNU time's maximum RSS) of every binary. Interleaving is the
point: the development VM's speed drifts by a fifth from minute to minute,
so figures taken minutes apart do not compare.

    go run ./perf/gen -flows 1000 -groups 100 -seed 1 -o /tmp/p/c1000
    go run ./perf/gen -flows 10000 -groups 1000 -seed 1 -o /tmp/p/c10000
    go run ./perf/gen -flows 50000 -groups 5000 -seed 1 -o /tmp/p/c50000
    cp "$(go env GOPATH)/bin/sgc" /tmp/old   # copy binaries: a file just
    go build -o /tmp/new.tmp ./cmd/sgc       # written by the linker is
    cp /tmp/new.tmp /tmp/new                 # mapped in larger pages
    python3 perf/ab.py /tmp/p /tmp/old,/tmp/new [cfn1k,tf50k,...]
"""
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

NOW = '2026-06-01'  # fixed, so that expiry findings do not change


def cases(policies, out):
    def build(size, *target):
        return ['build', os.path.join(policies, f'c{size}'), *target, '-o', out, '--now', NOW]
    cfn, tf = ['-t', 'cloudformation', '--split'], ['-t', 'terraform']
    # name, arguments, fresh output directory, runs
    return [
        ('version', ['--version'], True, 21),
        ('cfn1k', build(1000, *cfn), True, 21),
        ('cfn10k', build(10000, *cfn), True, 11),
        ('check50k', ['check', os.path.join(policies, 'c50000'), '--now', NOW], True, 5),
        ('tf50k', build(50000, *tf), True, 5),
        ('tf50kre', build(50000, *tf), False, 5),
        ('cfn50k', build(50000, *cfn), True, 5),
        ('cfn50kre', build(50000, *cfn), False, 5),
    ]


def run(args, out, mem):
    """One run: wall seconds, CPU seconds, peak MB."""
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.time()
    subprocess.run(['/usr/bin/time', '-f', '%M', '-o', mem] + args,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.time() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    with open(mem) as f:
        return wall, cpu, int(f.read().split()[-1]) // 1024


def main():
    if len(sys.argv) < 3 or not shutil.which('/usr/bin/time'):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    policies, bins = sys.argv[1], sys.argv[2].split(',')
    chosen = sys.argv[3].split(',') if len(sys.argv) > 3 else None
    work = tempfile.mkdtemp()
    out, mem = os.path.join(work, 'out'), os.path.join(work, 'mem')
    try:
        print('| workload | ' + ' | '.join(f'{b}: wall / CPU / MB' for b in bins) + ' |')
        print('|---' * (len(bins) + 1) + '|')
        for name, args, fresh, n in cases(policies, out):
            if chosen and name not in chosen:
                continue
            res = {b: [] for b in bins}
            for _ in range(n):
                for b in bins:
                    shutil.rmtree(out, ignore_errors=True)
                    if not fresh:  # rebuilt over the output of the same build
                        subprocess.run([b] + args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    res[b].append(run([b] + args, out, mem))
            cells = []
            for b in bins:
                w, c, m = (statistics.median(x[i] for x in res[b]) for i in range(3))
                cells.append(f'{w:.3f} / {c:.3f} / {m:.0f}')
            print(f'| {name} | ' + ' | '.join(cells) + ' |', flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
