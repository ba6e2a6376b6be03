// Command sgc compiles security group intent into AWS security groups.
// Run `sgc --help` for the commands.
package main

import (
	"os"

	"github.com/sgc-dev/sgc/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }
