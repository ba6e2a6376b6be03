// Command sgc compiles security group intent into AWS security groups.
// Run `sgc --help` for the commands.
package main

import (
	"os"
	"runtime/debug"

	"github.com/sgc-dev/sgc/internal/cli"
)

func main() {
	// sgc runs for a moment and exits: collecting garbage half as often
	// costs memory it gives back at once, and saves about a tenth of a
	// large build (measured with perf/scale.sh). GOGC still overrides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
