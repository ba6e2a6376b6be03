// Command sgc compiles security group intent into AWS security groups.
// Run `sgc --help` for the commands.
package main

import (
	"fmt"
	"os"
	"runtime"
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
	// A comparison (diff, owners) drops most of what it makes and goes
	// back to the default pace (internal/cli's collectOften).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	// SGC_CPUPROFILE=FILE profiles a whole process, start-up and output
	// included, which the per-stage benchmarks of perf/bench do not see;
	// SGC_MEMPROFILE=FILE writes what it allocated (go tool pprof
	// -sample_index=alloc_space).
	cpu, mem := os.Getenv("SGC_CPUPROFILE"), os.Getenv("SGC_MEMPROFILE")
	if cpu == "" && mem == "" {
		os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	stop := func() {}
	if cpu != "" {
		var err error
		if stop, err = startProfile(cpu); err != nil {
			fmt.Fprintln(os.Stderr, "sgc:", err)
			os.Exit(cli.ExitUsage)
		}
	}
	if mem != "" {
		runtime.MemProfileRate = 16 << 10
	}
	code := cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if mem != "" {
		if err := writeMemProfile(mem); err != nil {
			fmt.Fprintln(os.Stderr, "sgc:", err)
			os.Exit(cli.ExitUsage)
		}
	}
	os.Exit(code)
}

// writeMemProfile writes the allocations of the whole run to path.
func writeMemProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("SGC_MEMPROFILE: %w", err)
	}
	defer f.Close()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		return fmt.Errorf("SGC_MEMPROFILE: %w", err)
	}
	return f.Close()
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
