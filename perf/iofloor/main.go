// Command iofloor measures the I/O floor of a build: the time to read a
// policy's intent files and to write an output of the same files and
// bytes, each with the fsync sgc gives it, side by side as sgc writes
// them. It is the yardstick of the goal "within 3× of the I/O floor"
// (docs/performance.md).
//
//	go run ./perf/gen -flows 50000 -groups 5000 -seed 1 -o /tmp/p50k
//	sgc build /tmp/p50k -t cloudformation --split -o /tmp/ref
//	go run ./perf/iofloor -policy /tmp/p50k -like /tmp/ref -o /tmp/floor
//
// The output's bytes are read before the clock starts; the directory -o
// must not exist.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/sgc-dev/sgc/internal/fsutil"
	"github.com/sgc-dev/sgc/internal/parallel"
)

func main() {
	policy := flag.String("policy", "", "directory of the policy's .intent files")
	like := flag.String("like", "", "an output whose files are written again")
	out := flag.String("o", "", "directory to write into (must not exist)")
	noSync := flag.Bool("no-sync", false, "write without fsync")
	flag.Parse()
	if *policy == "" || *like == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	entries, err := os.ReadDir(*like)
	check(err)
	var names []string
	var data [][]byte
	for _, e := range entries {
		if e.Type().IsRegular() {
			b, err := os.ReadFile(filepath.Join(*like, e.Name()))
			check(err)
			names, data = append(names, e.Name()), append(data, b)
		}
	}
	inputs, err := filepath.Glob(filepath.Join(*policy, "*.intent"))
	check(err)

	start := time.Now()
	read := 0
	for _, p := range inputs {
		b, err := os.ReadFile(p)
		check(err)
		read += len(b)
	}
	check(os.Mkdir(*out, 0o755))
	written := 0
	parallel.Each(len(names), func(i int) {
		f, err := os.OpenFile(filepath.Join(*out, names[i]), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		check(err)
		check(fsutil.WriteChunks(f, data[i])) // as sgc writes
		if !*noSync {
			check(f.Sync())
		}
		check(f.Close())
	})
	for _, d := range data {
		written += len(d)
	}
	fmt.Printf("read %d bytes in %d files, wrote %d bytes in %d files (GOMAXPROCS %d): %v\n",
		read, len(inputs), written, len(names), runtime.GOMAXPROCS(0), time.Since(start).Round(time.Millisecond))
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "iofloor:", err)
		os.Exit(1)
	}
}
