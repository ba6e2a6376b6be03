// Command sgc compiles security group intent into AWS security groups.
// Run `sgc --help` for the commands.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/sgc-dev/sgc/internal/cli"
	"github.com/sgc-dev/sgc/internal/gcpace"
)

func main() {
	// A build collects no garbage until its heap reaches
	// gcpace.FirstAt, then once per fourfold growth of what is live;
	// a comparison (diff, owners) goes back to Go's default pace
	// (gcpace.Often). GOGC and GOMEMLIMIT still override.
	gcpace.Start()
	// SGC_CPUPROFILE=FILE profiles a whole process, start-up and output
	// included, which the per-stage benchmarks of perf/bench do not see;
	// SGC_MEMPROFILE=FILE writes what it allocated (go tool pprof
	// -sample_index=alloc_space).
	cpu, mem := os.Getenv("SGC_CPUPROFILE"), os.Getenv("SGC_MEMPROFILE")
	if mem == "" {
		// Go samples one allocation in every 512 KiB for a memory profile
		// that nothing here reads unless asked: each sample unwinds its
		// stack and the first makes a 1.4 MB table of buckets.
		runtime.MemProfileRate = 0
	}
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
	// The profile holds what was allocated up to the last collection: one
	// now brings in the output's allocations, made after a build's only
	// collection.
	runtime.GC()
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
