// Package testproc starts the processes tests run (moto_server,
// terraform and its provider, cfn-lint, python helpers) so that none
// outlives its test: each runs in a process group of its own, which is
// killed when the test ends, and on Linux the kernel kills it too if the
// test binary dies first (a timeout, a kill -9), which no cleanup
// function survives.
package testproc

import (
	"os/exec"
	"testing"
)

// Command is exec.Command for a test: the process and everything it
// starts are killed when tb's test ends, if still running.
func Command(tb testing.TB, name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = attrs()
	tb.Cleanup(func() { killGroup(cmd) })
	return cmd
}

// Helper is exec.Command for a helper process that serves many tests (a
// PyYAML reader started once): it is killed with the test binary, not
// with any one test.
func Helper(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = attrs()
	return cmd
}
