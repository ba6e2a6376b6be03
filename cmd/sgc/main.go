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
	// sgc runs for a moment and exits: collecting garbage half as often
	// costs memory it gives back at once, and saves about a tenth of a
	// large build (measured with perf/scale.sh). GOGC still overrides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
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
