//go:build linux

package testproc

import (
	"os/exec"
	"syscall"
)

// attrs puts the process in a group of its own, and asks the kernel to
// kill it when the thread that started it (the test binary) dies.
func attrs() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup kills the process's group: the process and its children (a
// provider plugin, a server's workers).
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
