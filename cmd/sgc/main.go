// Command sgc compiles security group intent into AWS security groups.
// Run `sgc --help` for the commands.
package main

import (
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"

	"github.com/sgc-dev/sgc/internal/cli"
)

func main() {
	// sgc runs for a moment and exits, and most of what it allocates stays
	// live until the output is written: collecting garbage a quarter as
	// often saves a tenth of a large build for less than a tenth more peak
	// memory (50k flows, split CloudFormation: 0.87 s and 380 MB, against
	// 0.92 s and 390 MB at 200, 0.95 s and 350 MB at the default 100;
	// medians of 7 interleaved runs, 2026-12-02). GOGC still overrides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	// SGC_CPUPROFILE=FILE profiles a whole process, start-up and output
	// included, which the per-stage benchmarks of perf/bench do not see.
	if path := os.Getenv("SGC_CPUPROFILE"); path != "" {
		stop, err := startProfile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "sgc:", err)
			os.Exit(cli.ExitUsage)
		}
		code := cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// startProfile starts a CPU profile written to path and returns what
// stops it.
func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("SGC_CPUPROFILE: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("SGC_CPUPROFILE: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
