// Command gen writes a synthetic policy, for benchmarks and experiments:
//
//	go run ./perf/gen -groups 5000 -flows 50000 -seed 1 -o /tmp/policy
//
// It is a development tool, not part of sgc's command line.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/sgc-dev/sgc/internal/synth"
)

func main() {
	var cfg synth.Config
	out := flag.String("o", "", "output directory (required)")
	flag.IntVar(&cfg.Groups, "groups", 100, "number of groups")
	flag.IntVar(&cfg.Flows, "flows", 1000, "number of flows")
	flag.Int64Var(&cfg.Seed, "seed", 1, "random seed")
	flag.IntVar(&cfg.GroupsPerFile, "groups-per-file", 50, "groups per intent file (0: one file)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "gen: -o DIR is required")
		os.Exit(2)
	}
	files := synth.Generate(cfg)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(*out, n), files[n], 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
}
